#pragma once
// Python's repr() of a float, which Keras's messages, CSVLogger rows and config.json (json.dumps)
// print: the shortest digits that round-trip, in fixed notation unless the decimal exponent is
// below -4 or at least 16 ("0.001", "1e-05", "1234.0", "1e+16", "nan", "-inf").
#include <string>

namespace keras::utils {

std::string python_float(double value);

}  // namespace keras::utils
