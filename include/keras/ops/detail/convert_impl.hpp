#pragma once
// Template bodies of convert_to_tensor.
#include <type_traits>

namespace keras::ops {

template <class T>
Tensor convert_to_tensor(const std::vector<T>& data, const Shape& shape, ConvertOptions options) {
  static_assert(
      std::is_arithmetic_v<T> || std::is_same_v<T, float16_t> || std::is_same_v<T, bfloat16_t>,
      "convert_to_tensor: element type must be arithmetic");
  if (!shape.is_fully_defined() || shape.num_elements() != static_cast<int64_t>(data.size()))
    throw ValueError("convert_to_tensor: " + std::to_string(data.size()) +
                     " values cannot fill shape " + shape.to_string());
  Tensor t;
  if constexpr (std::is_same_v<T, bool>) {
    std::vector<uint8_t> bytes(data.begin(), data.end());
    t = from_buffer(bytes.data(), shape, DType::Bool, options.backend);
  } else if constexpr (std::is_same_v<T, long> && !std::is_same_v<long, int64_t>) {
    std::vector<int64_t> wide(data.begin(), data.end());
    t = from_buffer(wide.data(), shape, DType::Int64, options.backend);
  } else {
    t = from_buffer(data.data(), shape, dtype_of<T>(), options.backend);
  }
  return options.dtype && *options.dtype != t.dtype() ? cast(t, *options.dtype) : t;
}

}  // namespace keras::ops
