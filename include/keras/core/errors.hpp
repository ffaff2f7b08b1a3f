#pragma once
// Exception types. They mirror the Python exceptions Keras raises, so a message reads the same.
#include <stdexcept>
#include <string>

namespace keras {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Python's ValueError: an argument has the right type but a bad value (shapes, axes, names).
class ValueError : public Error {
 public:
  explicit ValueError(const std::string& message) : Error("keras::ValueError: " + message) {}
};

// Python's TypeError: the argument's dtype or kind is not accepted.
class TypeError : public Error {
 public:
  explicit TypeError(const std::string& message) : Error("keras::TypeError: " + message) {}
};

// Python's IndexError: an index is out of range.
class IndexError : public Error {
 public:
  explicit IndexError(const std::string& message) : Error("keras::IndexError: " + message) {}
};

// Python's NotImplementedError: the feature exists in Keras but not (yet) here or on this backend.
class NotImplementedError : public Error {
 public:
  explicit NotImplementedError(const std::string& message)
      : Error("keras::NotImplementedError: " + message) {}
};

// Python's RuntimeError: a failure that is not the caller's argument (a backend library failed).
class RuntimeError : public Error {
 public:
  explicit RuntimeError(const std::string& message) : Error("keras::RuntimeError: " + message) {}
};

// Python's OSError: a file could not be read or written.
class OSError : public Error {
 public:
  explicit OSError(const std::string& message) : Error("keras::OSError: " + message) {}
};

}  // namespace keras
