// Direct float64 loops (channels_last) that the fused kernels are checked against.
#pragma once

#include <vector>

#include "keras/backend/backend.hpp"

namespace keras::backend::contract {

std::vector<double> reference_conv(const std::vector<double>& x, const Shape& xs,
                                   const std::vector<double>& w, const Shape& ws,
                                   const ConvParams& p, Shape* out_shape);
// Average pooling divides by the number of non-padding elements in each window.
std::vector<double> reference_pool(const std::vector<double>& x, const Shape& xs,
                                   const PoolParams& p, bool max, Shape* out_shape);

}  // namespace keras::backend::contract
