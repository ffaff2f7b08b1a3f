#include "terminal_text.hpp"

#include <cstdio>
#include <sstream>

namespace keras::tools {

void TerminalSafeBuf::emit_escaped(unsigned char c) {
  char text[8];
  switch (c) {
    case '\r':
      out_->sputn("\\r", 2);
      return;
    case '\b':
      out_->sputn("\\b", 2);
      return;
    default:
      std::snprintf(text, sizeof text, "\\x%02x", c);
      out_->sputn(text, 4);
  }
}

void TerminalSafeBuf::flush_pending_escaped() {
  for (char c : pending_) emit_escaped(static_cast<unsigned char>(c));
  pending_.clear();
  needed_ = 0;
}

void TerminalSafeBuf::put(unsigned char c) {
  if (needed_ > 0) {
    if (c >= 0x80 && c <= 0xbf) {
      pending_.push_back(static_cast<char>(c));
      if (--needed_ > 0) return;
      auto lead = static_cast<unsigned char>(pending_[0]);
      auto second = static_cast<unsigned char>(pending_[1]);
      bool overlong_or_surrogate =
          (lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f) ||
          (lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second > 0x8f);
      if (lead == 0xc2 && second <= 0x9f) {  // a C1 control
        char text[8];
        std::snprintf(text, sizeof text, "\\u%04x", second);
        out_->sputn(text, 6);
        pending_.clear();
      } else if (overlong_or_surrogate) {
        flush_pending_escaped();
      } else {
        out_->sputn(pending_.data(), static_cast<std::streamsize>(pending_.size()));
        pending_.clear();
      }
      return;
    }
    flush_pending_escaped();  // a sequence cut short; `c` starts afresh
  }
  if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
    out_->sputc(static_cast<char>(c));
  } else if (c >= 0xc2 && c <= 0xf4) {
    pending_.assign(1, static_cast<char>(c));
    needed_ = c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
  } else {
    emit_escaped(c);
  }
}

int TerminalSafeBuf::overflow(int ch) {
  if (ch == traits_type::eof()) return traits_type::not_eof(ch);
  put(static_cast<unsigned char>(ch));
  return ch;
}

std::streamsize TerminalSafeBuf::xsputn(const char* s, std::streamsize n) {
  for (std::streamsize i = 0; i < n; ++i) put(static_cast<unsigned char>(s[i]));
  return n;
}

// An incomplete sequence stays held back: the rest may come with the next write.
int TerminalSafeBuf::sync() { return out_->pubsync(); }

void TerminalSafeBuf::finish() {
  flush_pending_escaped();
  out_->pubsync();
}

TerminalSafeStream::TerminalSafeStream(std::ostream& stream)
    : stream_(stream), original_(stream.rdbuf()), buf_(original_) {
  stream_.flush();
  stream_.rdbuf(&buf_);
}

TerminalSafeStream::~TerminalSafeStream() {
  stream_.flush();
  buf_.finish();
  stream_.rdbuf(original_);
}

std::string terminal_safe(const std::string& text) {
  std::ostringstream out;
  {
    TerminalSafeBuf buf(out.rdbuf());
    buf.sputn(text.data(), static_cast<std::streamsize>(text.size()));
    buf.finish();
  }
  return out.str();
}

}  // namespace keras::tools
