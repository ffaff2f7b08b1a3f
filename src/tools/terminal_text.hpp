#pragma once
// Text from files (layer and model names, HDF5 member names, metadata) reaches keras-cpp's output
// and error messages, and from there a terminal. An escape sequence in a crafted name could move
// the cursor, rewrite what was printed, set the window title or worse, so everything keras-cpp
// prints as text goes through TerminalSafeBuf, which spells terminal controls out:
//   C0 controls except newline and tab, DEL     -> \x1b, \x07, \r, \x7f ...
//   C1 controls (U+0080..U+009F, e.g. the CSI)  -> \u009b
//   bytes that are not well-formed UTF-8        -> \xff
// Everything else, box drawing and other UTF-8 text included, passes unchanged.
#include <ostream>
#include <streambuf>
#include <string>

namespace keras::tools {

class TerminalSafeBuf : public std::streambuf {
 public:
  explicit TerminalSafeBuf(std::streambuf* out) : out_(out) {}
  // Writes an incomplete UTF-8 sequence still held back, escaped.
  void finish();

 protected:
  int overflow(int ch) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void put(unsigned char c);
  void emit_escaped(unsigned char c);
  void flush_pending_escaped();

  std::streambuf* out_;
  std::string pending_;  // the bytes of a UTF-8 sequence begun but not complete
  size_t needed_ = 0;    // continuation bytes still expected
};

// Installs a TerminalSafeBuf on `stream` for the lifetime of this object.
class TerminalSafeStream {
 public:
  explicit TerminalSafeStream(std::ostream& stream);
  ~TerminalSafeStream();
  TerminalSafeStream(const TerminalSafeStream&) = delete;
  TerminalSafeStream& operator=(const TerminalSafeStream&) = delete;

 private:
  std::ostream& stream_;
  std::streambuf* original_;
  TerminalSafeBuf buf_;
};

// `text` with terminal controls spelled out as TerminalSafeBuf does.
std::string terminal_safe(const std::string& text);

}  // namespace keras::tools
