#include "keras/callbacks/csv_logger.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "callbacks/python_format.hpp"
#include "keras/core/errors.hpp"

namespace keras::callbacks {
namespace {

// Python's csv.excel dialect with QUOTE_MINIMAL: quote a field holding the delimiter, a quote or
// a line break; double the quotes inside.
std::string csv_field(const std::string& s, char sep) {
  if (s.find_first_of(std::string{sep, '"', '\r', '\n'}) == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

CSVLogger::CSVLogger(CSVLoggerOptions options) : options_(std::move(options)) {
  if (options_.filename.empty()) throw ValueError("CSVLogger: `filename` must not be empty");
  const std::string& s = options_.separator;
  if (s.size() != 1 || s[0] == '"' || s[0] == '\r' || s[0] == '\n')
    throw ValueError(
        "CSVLogger: `separator` must be a single character other than a quote or "
        "a line break, got \"" +
        s + "\"");
}

CSVLogger::~CSVLogger() { close(); }

void CSVLogger::close() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

void CSVLogger::write(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0)
    throw OSError("CSVLogger: could not write to '" + options_.filename +
                  "': " + std::strerror(errno));
}

void CSVLogger::on_train_begin(Logs&) {
  append_header_ = true;
  if (options_.append) {
    std::ifstream existing(options_.filename);
    if (existing) {
      std::string first_line;
      std::getline(existing, first_line);
      append_header_ = first_line.empty() && existing.eof();
    }
  }
  close();
  file_ = std::fopen(options_.filename.c_str(), options_.append ? "ab" : "wb");
  if (!file_)
    throw OSError("CSVLogger: could not open '" + options_.filename +
                  "' for writing: " + std::strerror(errno));
  keys_.reset();
  header_written_ = false;
}

void CSVLogger::on_epoch_end(int epoch, Logs& logs) {
  if (!file_) return;  // not inside fit
  const char sep = options_.separator[0];
  if (!keys_) {
    // Logs iterate in sorted order, as Keras's sorted(logs.keys()).
    std::vector<std::string> keys;
    bool val_keys_found = false;
    for (const auto& [k, v] : logs) {
      keys.push_back(k);
      if (k.rfind("val_", 0) == 0) val_keys_found = true;
    }
    if (!val_keys_found && !keys.empty()) {
      size_t n = keys.size();
      for (size_t i = 0; i < n; ++i) keys.push_back("val_" + keys[i]);
    }
    keys_ = std::move(keys);
  }
  std::string text;
  if (!header_written_) {
    if (append_header_) {
      text += "epoch";
      for (const std::string& k : *keys_) text += sep + csv_field(k, sep);
      text += "\r\n";
    }
    header_written_ = true;
  }
  text += std::to_string(epoch);
  for (const std::string& k : *keys_) {
    auto it = logs.find(k);
    text += sep;
    text += it == logs.end() ? "NA" : csv_field(detail::python_float(it->second), sep);
  }
  text += "\r\n";
  write(text);
}

void CSVLogger::on_train_end(Logs&) {
  close();
  header_written_ = false;
}

}  // namespace keras::callbacks
