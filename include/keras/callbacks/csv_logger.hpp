#pragma once
// keras::callbacks::CSVLogger (keras/src/callbacks/csv_logger.py): writes each epoch's logs as a
// row of a CSV file, as Python's csv module with Keras's settings does: the header is "epoch"
// then the first epoch's log names sorted (plus "val_<name>" for each when no validation values
// were logged), rows end in "\r\n", values are Python's repr of the float, a name missing from
// an epoch's logs is written "NA". Each row is written in one piece and flushed, so the file is
// complete after every epoch.
//
//   auto csv = std::make_shared<keras::callbacks::CSVLogger>("training.log");
//   model.fit(x, y, {.callbacks = {csv}});
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

struct CSVLoggerOptions {
  std::string filename;
  std::string separator = ",";  // one character
  bool append = false;          // append to an existing file (no second header) or overwrite
};

class CSVLogger : public Callback {
 public:
  using Options = CSVLoggerOptions;
  // ValueError for an empty filename or a separator that is not one character (or is a quote,
  // "\r" or "\n").
  explicit CSVLogger(CSVLoggerOptions options);
  explicit CSVLogger(std::string filename, std::string separator = ",", bool append = false)
      : CSVLogger(CSVLoggerOptions{std::move(filename), std::move(separator), append}) {}
  ~CSVLogger() override;
  CSVLogger(const CSVLogger&) = delete;
  CSVLogger& operator=(const CSVLogger&) = delete;

  // Opens the file (OSError when it cannot be opened).
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

  const CSVLoggerOptions& options() const { return options_; }

 private:
  void close();
  void write(const std::string& text);

  CSVLoggerOptions options_;
  std::FILE* file_ = nullptr;
  std::optional<std::vector<std::string>> keys_;
  bool append_header_ = true;
  bool header_written_ = false;
};

}  // namespace keras::callbacks
