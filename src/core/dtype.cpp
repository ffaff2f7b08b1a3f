#include "keras/core/dtype.hpp"

#include <array>
#include <bit>
#include <vector>

#include "keras/core/config.hpp"
#include "keras/core/errors.hpp"

namespace keras {
namespace {

constexpr std::array<std::string_view, kNumDTypes> kNames = {
    "bool",   "int8",   "int16",   "int32",    "int64",   "uint8",  "uint16",
    "uint32", "uint64", "float16", "bfloat16", "float32", "float64"};

// Nodes of Keras's promotion lattice: the 13 dtypes plus the weak "int" and "float".
enum Node : int { kWeakInt = kNumDTypes, kWeakFloat = kNumDTypes + 1, kNumNodes = kNumDTypes + 2 };

int node(DType d) { return static_cast<int>(d); }

// Bit mask of every node above (and including) each node, from the lattice in Keras's dtypes.py.
std::array<uint32_t, kNumNodes> make_upper_bounds() {
  std::array<std::vector<int>, kNumNodes> up;
  auto n = [](DType d) { return node(d); };
  up[n(DType::Bool)] = {kWeakInt};
  up[n(DType::UInt8)] = {n(DType::Int16), n(DType::UInt16)};
  up[n(DType::UInt16)] = {n(DType::Int32), n(DType::UInt32)};
  up[n(DType::UInt32)] = {n(DType::Int64), n(DType::UInt64)};
  up[n(DType::UInt64)] = {kWeakFloat};
  up[kWeakInt] = {n(DType::UInt8), n(DType::Int8)};
  up[n(DType::Int8)] = {n(DType::Int16)};
  up[n(DType::Int16)] = {n(DType::Int32)};
  up[n(DType::Int32)] = {n(DType::Int64)};
  up[n(DType::Int64)] = {kWeakFloat};
  up[kWeakFloat] = {n(DType::BFloat16), n(DType::Float16)};
  up[n(DType::BFloat16)] = {n(DType::Float32)};
  up[n(DType::Float16)] = {n(DType::Float32)};
  up[n(DType::Float32)] = {n(DType::Float64)};
  std::array<uint32_t, kNumNodes> bounds{};
  for (int i = 0; i < kNumNodes; ++i) {
    uint32_t set = 1u << i;
    while (true) {
      uint32_t next = set;
      for (int j = 0; j < kNumNodes; ++j)
        if (set & (1u << j))
          for (int k : up[j]) next |= 1u << k;
      if (next == set) break;
      set = next;
    }
    bounds[i] = set;
  }
  return bounds;
}

const std::array<uint32_t, kNumNodes>& upper_bounds() {
  static const auto bounds = make_upper_bounds();
  return bounds;
}

int least_upper_bound(int a, int b) {
  const auto& ub = upper_bounds();
  uint32_t common = ub[a] & ub[b];
  uint32_t inputs = (1u << a) | (1u << b);
  if (common & inputs) return std::countr_zero(common & inputs);
  for (int c = 0; c < kNumNodes; ++c)
    if ((common & (1u << c)) && (common & ub[c]) == common) return c;
  throw ValueError("result_type: no promotion path between the input dtypes");
}

int weak_node(DType d) {
  if (d == DType::Bool) return node(d);
  return is_floating(d) ? kWeakFloat : kWeakInt;
}

}  // namespace

std::string_view dtype_name(DType dtype) { return kNames[static_cast<int>(dtype)]; }

DType dtype_from_name(std::string_view name) {
  for (int i = 0; i < kNumDTypes; ++i)
    if (kNames[i] == name) return static_cast<DType>(i);
  std::string all;
  for (auto n : kNames) all += std::string(all.empty() ? "" : ", ") + std::string(n);
  throw ValueError("Invalid dtype '" + std::string(name) + "'. Expected one of: " + all + ".");
}

size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::Bool:
    case DType::Int8:
    case DType::UInt8:
      return 1;
    case DType::Int16:
    case DType::UInt16:
    case DType::Float16:
    case DType::BFloat16:
      return 2;
    case DType::Int32:
    case DType::UInt32:
    case DType::Float32:
      return 4;
    case DType::Int64:
    case DType::UInt64:
    case DType::Float64:
      return 8;
  }
  return 0;
}

bool is_floating(DType d) {
  return d == DType::Float16 || d == DType::BFloat16 || d == DType::Float32 || d == DType::Float64;
}
bool is_unsigned(DType d) {
  return d == DType::UInt8 || d == DType::UInt16 || d == DType::UInt32 || d == DType::UInt64;
}
bool is_integer(DType d) { return !is_floating(d) && d != DType::Bool; }

DType result_type(DType a, DType b, bool a_weak, bool b_weak) {
  if (a == b && !(a_weak && b_weak)) return a;
  int out;
  bool out_weak;
  if (a_weak && b_weak) {
    out = least_upper_bound(node(a), node(b));
    out_weak = true;
  } else {
    out = least_upper_bound(a_weak ? weak_node(a) : node(a), b_weak ? weak_node(b) : node(b));
    out_weak = out == kWeakInt || out == kWeakFloat;
  }
  if (out == node(DType::Bool)) return DType::Bool;
  if (!out_weak) return static_cast<DType>(out);
  // A weak result resolves with the precision of floatx ("float32" -> 32 bits).
  DType floatx = config::floatx();
  bool kind_float = out == kWeakFloat || (out < kNumDTypes && is_floating(static_cast<DType>(out)));
  if (kind_float) return floatx;
  bool kind_unsigned = out < kNumDTypes && is_unsigned(static_cast<DType>(out));
  switch (floatx) {
    case DType::Float16:
    case DType::BFloat16:
      return kind_unsigned ? DType::UInt16 : DType::Int16;
    case DType::Float64:
      return kind_unsigned ? DType::UInt64 : DType::Int64;
    default:
      return kind_unsigned ? DType::UInt32 : DType::Int32;
  }
}

DType float_result_type(DType dtype) { return is_floating(dtype) ? dtype : config::floatx(); }

}  // namespace keras
