// .npy / .npz reader for the fixture tests (see npz.hpp): a thin layer over the library's reader
// (keras/saving/numpy.hpp), which parses the files, checks them and converts big-endian and
// Fortran-order data; here the arrays are put in the shape npz.hpp promises (raw little-endian
// C-order bytes, or decoded strings).
#include "testing/npz.hpp"

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

}  // namespace keras::testing
