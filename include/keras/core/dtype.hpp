#pragma once
// Data types and Keras 3's type-promotion rules (keras/src/backend/common/dtypes.py).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "keras/core/half.hpp"

namespace keras {

enum class DType : uint8_t {
  Bool,
  Int8,
  Int16,
  Int32,
  Int64,
  UInt8,
  UInt16,
  UInt32,
  UInt64,
  Float16,
  BFloat16,
  Float32,
  Float64,
};

inline constexpr int kNumDTypes = 13;

// "float32", "int64", ... (Keras's names).
std::string_view dtype_name(DType dtype);
// Parses a Keras dtype name; throws ValueError listing the accepted names.
DType dtype_from_name(std::string_view name);
size_t dtype_size(DType dtype);
bool is_floating(DType dtype);
bool is_integer(DType dtype);  // signed or unsigned, not bool
bool is_unsigned(DType dtype);
inline bool is_bool(DType dtype) { return dtype == DType::Bool; }

// Keras's result_type: the least upper bound on the promotion lattice. `weak` marks an operand that
// came from a C++ scalar (a Python int/float in Keras): it adopts the other operand's type when it
// can. Unlike Keras's JAX-aligned default we keep 64-bit results 64-bit (as the TensorFlow backend
// does for floats), because float64 is needed for gradient checks.
DType result_type(DType a, DType b, bool a_weak = false, bool b_weak = false);

// The floating dtype an integer or bool input is computed in by ops that must return floats
// (sqrt, exp, mean, divide, ...): floatx for ints and bool, the input itself for floats.
DType float_result_type(DType dtype);

template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, bool>)
    return DType::Bool;
  else if constexpr (std::is_same_v<T, int8_t>)
    return DType::Int8;
  else if constexpr (std::is_same_v<T, int16_t>)
    return DType::Int16;
  else if constexpr (std::is_same_v<T, int32_t>)
    return DType::Int32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return DType::Int64;
  else if constexpr (std::is_same_v<T, long long>)
    return DType::Int64;
  else if constexpr (std::is_same_v<T, uint8_t>)
    return DType::UInt8;
  else if constexpr (std::is_same_v<T, uint16_t>)
    return DType::UInt16;
  else if constexpr (std::is_same_v<T, uint32_t>)
    return DType::UInt32;
  else if constexpr (std::is_same_v<T, uint64_t>)
    return DType::UInt64;
  else if constexpr (std::is_same_v<T, unsigned long long>)
    return DType::UInt64;
  else if constexpr (std::is_same_v<T, float16_t>)
    return DType::Float16;
  else if constexpr (std::is_same_v<T, bfloat16_t>)
    return DType::BFloat16;
  else if constexpr (std::is_same_v<T, float>)
    return DType::Float32;
  else if constexpr (std::is_same_v<T, double>)
    return DType::Float64;
  else
    static_assert(sizeof(T) == 0, "unsupported element type");
}

// Calls f.template operator()<T>() with the C++ storage type of `dtype`.
template <class F>
decltype(auto) visit_dtype(DType dtype, F&& f) {
  switch (dtype) {
    case DType::Bool:
      return f.template operator()<bool>();
    case DType::Int8:
      return f.template operator()<int8_t>();
    case DType::Int16:
      return f.template operator()<int16_t>();
    case DType::Int32:
      return f.template operator()<int32_t>();
    case DType::Int64:
      return f.template operator()<int64_t>();
    case DType::UInt8:
      return f.template operator()<uint8_t>();
    case DType::UInt16:
      return f.template operator()<uint16_t>();
    case DType::UInt32:
      return f.template operator()<uint32_t>();
    case DType::UInt64:
      return f.template operator()<uint64_t>();
    case DType::Float16:
      return f.template operator()<float16_t>();
    case DType::BFloat16:
      return f.template operator()<bfloat16_t>();
    case DType::Float32:
      return f.template operator()<float>();
    case DType::Float64:
      return f.template operator()<double>();
  }
  return f.template operator()<float>();
}

}  // namespace keras
