#pragma once
// Internal helpers shared by the callbacks: Python's str()/repr() of a float (what Keras's
// messages and CSVLogger rows print) and Keras's print_msg / warnings.warn.
#include <string>

namespace keras::callbacks::detail {

// repr(float(value)) in Python: the shortest digits that round-trip, in fixed notation unless
// the exponent is below -4 or at least 16 ("0.001", "1e-05", "1234.0", "1e+16", "nan", "-inf").
std::string python_float(double value);

// io_utils.print_msg: the message and a newline on standard output, flushed.
void print_msg(const std::string& message);

// warnings.warn(message): "UserWarning: message" on standard error.
void warn(const std::string& message);

}  // namespace keras::callbacks::detail
