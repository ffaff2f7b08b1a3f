#pragma once
// Reader for the IDX format (http://yann.lecun.com/exdb/mnist/), gzip-compressed or not, as the
// MNIST-family data sets ship. Returns a tensor with the file's dtype and shape.
#include <string>

#include "keras/core/tensor.hpp"

namespace keras::datasets {

// Reads an IDX file (".gz" or plain) into a tensor on `backend` (default: config's). Throws
// keras::OSError if the file cannot be opened and keras::ValueError if it is not valid IDX
// (bad magic, unknown type code, size not matching the header, trailing data).
Tensor load_idx(const std::string& path, const std::string& backend = "");

}  // namespace keras::datasets
