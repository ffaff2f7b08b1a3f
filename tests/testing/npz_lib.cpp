// .npy / .npz reader for the fixture tests (see npz.hpp): a thin layer over the library's reader
// (keras/saving/numpy.hpp), which parses the files, checks them and converts big-endian and
// Fortran-order data; here the arrays are put in the shape npz.hpp promises (raw little-endian
// C-order bytes, or decoded strings).
#include "testing/npz.hpp"

#include <cmath>

#include "keras/ops/core.hpp"
#include "keras/saving/numpy.hpp"

namespace keras::testing {
namespace {

NpyArray convert(const saving::NpyArray& file, const std::string& what) {
  NpyArray a;
  a.descr = file.descr;
  a.shape = file.shape;
  if (file.is_string()) {
    a.strings = file.as_strings();
    return a;
  }
  a.dtype = file.dtype();
  if (!a.dtype)
    throw ValueError(what + ": unsupported dtype '" + file.descr + "' (no Keras dtype)");
  saving::NpyArray native = file.normalized();
  a.data.assign(native.data.begin(), native.data.end());
  if (*a.dtype == DType::Bool)
    for (uint8_t& v : a.data) v = v != 0;
  return a;
}

}  // namespace

int64_t NpyArray::size() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

const std::string& NpyArray::str() const {
  if (!is_string() || strings.size() != 1)
    throw ValueError("NpyArray::str: array '" + descr + "' of shape " + shape.to_string() +
                     " is not a single string");
  return strings[0];
}

std::vector<double> NpyArray::to_doubles() const {
  if (is_string()) throw ValueError("NpyArray::to_doubles: array is a unicode string array");
  std::vector<double> out(static_cast<size_t>(size()));
  detail::convert_elements(data.data(), *dtype, out.data(), DType::Float64, size());
  return out;
}

NpyArray parse_npy(const std::vector<uint8_t>& bytes, const std::string& what) {
  std::string_view view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return convert(saving::NpyArray::parse(view, what), what);
}

NpyArray load_npy(const std::string& path) { return convert(saving::load_npy(path), path); }

std::map<std::string, NpyArray> load_npz(const std::string& path) {
  std::map<std::string, NpyArray> out;
  for (const auto& [name, array] : saving::load_npz(path))
    out.emplace(name, convert(array, path + " member \"" + name + ".npy\""));
  return out;
}

Tensor to_tensor(const NpyArray& array, const std::string& backend) {
  if (array.is_string())
    throw ValueError("to_tensor: a unicode ('" + array.descr + "') array cannot become a tensor");
  return ops::from_buffer(array.data.data(), array.shape, *array.dtype, backend);
}

::testing::AssertionResult close_to_keras(const Tensor& ours, const NpyArray& keras, double tol) {
  if (ours.shape() != keras.shape)
    return ::testing::AssertionFailure()
           << "shape " << ours.shape().to_string() << " vs Keras " << keras.shape.to_string();
  Tensor expected = to_tensor(keras, std::string(ours.backend_name()));
  std::vector<double> a = ops::cast(ours, DType::Float64).to_vector<double>();
  std::vector<double> b = ops::cast(expected, DType::Float64).to_vector<double>();
  double scale = 1.0, worst = 0.0;
  size_t worst_at = 0;
  for (double v : b) scale = std::max(scale, std::abs(v));
  for (size_t i = 0; i < a.size(); ++i) {
    double d = std::abs(a[i] - b[i]);
    if (!(d <= worst)) worst = d, worst_at = i;  // NaN counts as the worst
  }
  if (worst <= tol * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "max abs difference " << worst << " > " << tol * scale << " at element " << worst_at
         << ": " << a[worst_at] << " vs keras " << b[worst_at];
}

const std::map<std::string, NpyArray>& cached_npz(const std::string& path) {
  static std::map<std::string, std::map<std::string, NpyArray>> cache;
  auto it = cache.find(path);
  if (it == cache.end()) it = cache.emplace(path, load_npz(path)).first;
  return it->second;
}

std::vector<std::string> fixture_cases(const std::map<std::string, NpyArray>& arrays) {
  std::vector<std::string> out;
  const std::string suffix = "__config";
  for (const auto& [key, value] : arrays)
    if (key.size() > suffix.size() && key.ends_with(suffix))
      out.push_back(key.substr(0, key.size() - suffix.size()));
  return out;
}

}  // namespace keras::testing
