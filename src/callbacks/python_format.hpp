#pragma once
// Internal helpers shared by the callbacks: Python's str()/repr() of a float (what Keras's
// messages and CSVLogger rows print) and Keras's print_msg / warnings.warn.
#include <map>
#include <string>

#include "utils/python_float.hpp"

namespace keras::callbacks::detail {

// repr(float(value)) in Python (src/utils/python_float.hpp).
using utils::python_float;

// io_utils.print_msg: the message and a newline on standard output, flushed.
void print_msg(const std::string& message);

// warnings.warn(message): "UserWarning: message" on standard error.
void warn(const std::string& message);

// A value for python_format: Python int or float (they format differently: "{epoch}" is "3",
// "{loss}" is "0.25").
struct FormatValue {
  double value = 0;
  bool is_int = false;
};

// Python's str.format(**values) for the placeholders Keras's checkpoint paths use: "{name}" and
// "{name:SPEC}" with SPEC = [[fill]align][sign][0][width][.precision][type], type one of
// d, f, F, e, E, g, G, % (or none); "{{" and "}}" are literal braces. ValueError for a missing
// placeholder, a malformed pattern or a spec that does not fit the value (as Python).
std::string python_format(const std::string& pattern,
                          const std::map<std::string, FormatValue>& values);

}  // namespace keras::callbacks::detail
