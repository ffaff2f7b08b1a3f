// NpyArray and the .npy/.npz files (numpy.hpp). The byte-level format is in npy_format.cpp, the
// zip container in zip_archive.cpp / zip_writer.cpp.
#include "keras/saving/numpy.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "keras/ops/core.hpp"
#include "keras/saving/zip_archive.hpp"
#include "keras/serialization/atomic_file.hpp"
#include "saving/npy_format.hpp"

namespace keras::saving {
namespace {

std::string read_whole_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw OSError("cannot read \"" + path + "\": it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw OSError("cannot open \"" + path + "\": " + std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw OSError("cannot read \"" + path + "\"");
  return bytes;
}

npy::Descr descr_of(const NpyArray& a) { return npy::parse_descr(a.descr, "NpyArray"); }

std::optional<DType> dtype_of_descr(const npy::Descr& d) {
  switch (d.kind) {
    case 'b':
      return DType::Bool;
    case 'i':
      switch (d.itemsize) {
        case 1:
          return DType::Int8;
        case 2:
          return DType::Int16;
        case 4:
          return DType::Int32;
        default:
          return DType::Int64;
      }
    case 'u':
      switch (d.itemsize) {
        case 1:
          return DType::UInt8;
        case 2:
          return DType::UInt16;
        case 4:
          return DType::UInt32;
        default:
          return DType::UInt64;
      }
    case 'f':
      switch (d.itemsize) {
        case 2:
          return DType::Float16;
        case 4:
          return DType::Float32;
        default:
          return DType::Float64;
      }
    default:
      return std::nullopt;
  }
}

void check_consistent(const NpyArray& a, const npy::Descr& d, const char* op) {
  for (int64_t dim : a.shape)
    if (dim < 0)
      throw ValueError(std::string(op) + ": shape " + a.shape.to_string() +
                       " has a negative dimension");
  uint64_t need = static_cast<uint64_t>(a.size()) * d.itemsize;
  if (a.data.size() != need)
    throw ValueError(std::string(op) + ": the array of shape " + a.shape.to_string() +
                     " and dtype '" + a.descr + "' needs " + std::to_string(need) +
                     " bytes of data, it has " + std::to_string(a.data.size()));
}

}  // namespace

int64_t NpyArray::size() const {
  uint64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      throw ValueError("NpyArray: shape " + shape.to_string() + " has a negative dimension");
    if (d != 0 && n > npy::kMaxElements / static_cast<uint64_t>(d))
      throw ValueError("NpyArray: shape " + shape.to_string() + " is absurdly large");
    n *= static_cast<uint64_t>(d);
  }
  return static_cast<int64_t>(n);
}

uint64_t NpyArray::itemsize() const { return descr_of(*this).itemsize; }
bool NpyArray::is_string() const { return descr_of(*this).is_string(); }
std::optional<DType> NpyArray::dtype() const { return dtype_of_descr(descr_of(*this)); }

NpyArray NpyArray::normalized() const {
  npy::Descr d = descr_of(*this);
  check_consistent(*this, d, "NpyArray::normalized");
  NpyArray out;
  out.shape = shape;
  out.descr = npy::native_descr(d.kind, d.itemsize);
  out.data = fortran_order && shape.size() > 1 ? npy::fortran_to_c(data, shape, d.itemsize) : data;
  if (d.needs_swap()) npy::swap_bytes(out.data.data(), out.data.size(), d.swap_unit());
  return out;
}

Tensor NpyArray::to_tensor(const std::string& backend) const {
  npy::Descr d = descr_of(*this);
  if (d.is_string())
    throw ValueError("NpyArray::to_tensor: a string array ('" + descr + "', shape " +
                     shape.to_string() +
                     ") cannot become a tensor; use as_string() or as_strings()");
  std::optional<DType> dtype = dtype_of_descr(d);
  if (!dtype)
    throw TypeError("NpyArray::to_tensor: dtype '" + descr +
                    "' (complex) has no Keras tensor dtype");
  bool as_is = !d.needs_swap() && !(fortran_order && shape.size() > 1) && *dtype != DType::Bool;
  if (as_is) {  // already native C-order data: no copy here
    check_consistent(*this, d, "NpyArray::to_tensor");
    return ops::from_buffer(data.data(), shape, *dtype, backend);
  }
  NpyArray n = normalized();
  if (*dtype == DType::Bool)  // NumPy reads any nonzero byte as True
    for (char& c : n.data) c = c != 0;
  return ops::from_buffer(n.data.data(), n.shape, *dtype, backend);
}

std::vector<std::string> NpyArray::as_strings() const {
  npy::Descr d = descr_of(*this);
  if (!d.is_string())
    throw ValueError("NpyArray::as_strings: the array has numeric dtype '" + descr +
                     "'; use to_tensor()");
  NpyArray n = normalized();
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(n.size()));
  for (uint64_t k = 0; k < static_cast<uint64_t>(n.size()); ++k) {
    const char* p = n.data.data() + k * d.itemsize;
    if (d.kind == 'U') {
      out.push_back(npy::utf32_to_utf8(p, d.itemsize / 4, "NpyArray::as_strings"));
    } else {  // 'S': NumPy drops trailing NULs
      uint64_t len = d.itemsize;
      while (len > 0 && p[len - 1] == '\0') --len;
      out.emplace_back(p, len);
    }
  }
  return out;
}

std::string NpyArray::as_string() const {
  if (!is_string())
    throw ValueError("NpyArray::as_string: the array has numeric dtype '" + descr +
                     "'; use to_tensor()");
  if (size() != 1)
    throw ValueError("NpyArray::as_string: the string array has shape " + shape.to_string() + " (" +
                     std::to_string(size()) + " elements); use as_strings()");
  return as_strings()[0];
}

NpyArray NpyArray::from_tensor(const Tensor& x) {
  if (!x.defined()) throw ValueError("NpyArray::from_tensor: the tensor is undefined");
  if (x.is_symbolic())
    throw ValueError("NpyArray::from_tensor: a symbolic tensor (shape " + x.shape().to_string() +
                     ") has no data");
  static const std::map<DType, std::pair<char, int>> kinds = {
      {DType::Bool, {'b', 1}},    {DType::Int8, {'i', 1}},    {DType::Int16, {'i', 2}},
      {DType::Int32, {'i', 4}},   {DType::Int64, {'i', 8}},   {DType::UInt8, {'u', 1}},
      {DType::UInt16, {'u', 2}},  {DType::UInt32, {'u', 4}},  {DType::UInt64, {'u', 8}},
      {DType::Float16, {'f', 2}}, {DType::Float32, {'f', 4}}, {DType::Float64, {'f', 8}}};
  auto it = kinds.find(x.dtype());
  if (it == kinds.end())
    throw ValueError("NpyArray::from_tensor: NumPy has no " + std::string(dtype_name(x.dtype())) +
                     " dtype; cast the tensor (e.g. to float32) first");
  NpyArray a;
  a.descr = npy::native_descr(it->second.first, static_cast<uint64_t>(it->second.second));
  a.shape = x.shape();
  a.data.resize(static_cast<size_t>(x.size()) * dtype_size(x.dtype()));
  if (!a.data.empty()) x.copy_to_host(a.data.data(), a.data.size());
  return a;
}

NpyArray NpyArray::from_strings(const std::vector<std::string>& strings,
                                std::optional<Shape> shape) {
  Shape s = shape ? *shape : (strings.size() == 1 ? Shape{} : Shape{int64_t(strings.size())});
  NpyArray a;
  a.shape = s;
  if (a.size() != static_cast<int64_t>(strings.size()))
    throw ValueError("NpyArray::from_strings: " + std::to_string(strings.size()) +
                     " strings do not fill shape " + s.to_string());
  std::vector<std::u32string> wide;
  size_t chars = 1;  // NumPy's np.array("") is '<U1'
  for (const std::string& str : strings) {
    wide.push_back(npy::utf8_to_utf32(str, "NpyArray::from_strings"));
    chars = std::max(chars, wide.back().size());
  }
  a.descr = npy::native_descr('U', chars * 4);
  a.data.assign(strings.size() * chars * 4, '\0');
  for (size_t k = 0; k < wide.size(); ++k)
    std::memcpy(&a.data[k * chars * 4], wide[k].data(), wide[k].size() * 4);
  return a;
}

namespace {

NpyArray from_header(const npy::Header& h) {
  NpyArray a;
  a.descr = h.descr_text;
  a.shape = Shape(h.shape);
  a.fortran_order = h.fortran_order;
  return a;
}

// Parses a whole file held in `bytes`, reusing its buffer for the data (no second copy).
NpyArray parse_owned(std::string bytes, const std::string& what) {
  npy::Header h = npy::parse(bytes, what);
  NpyArray a = from_header(h);
  bytes.erase(0, h.data_offset);
  a.data = std::move(bytes);
  return a;
}

}  // namespace

NpyArray NpyArray::parse(std::string_view npy_file, const std::string& what) {
  npy::Header h = npy::parse(npy_file, what);
  NpyArray a = from_header(h);
  a.data.assign(npy_file.substr(h.data_offset, h.data_bytes));
  return a;
}

std::string NpyArray::serialize() const {
  npy::Descr d = descr_of(*this);
  check_consistent(*this, d, "NpyArray::serialize");
  std::vector<int64_t> dims(shape.begin(), shape.end());
  return npy::make_header(descr, fortran_order, dims) + data;
}

NpyArray load_npy(const std::string& path) { return parse_owned(read_whole_file(path), path); }

void save_npy(const std::string& path, const NpyArray& array) {
  write_file_atomically(path, array.serialize());
}

void save_npy(const std::string& path, const Tensor& x) {
  save_npy(path, NpyArray::from_tensor(x));
}

std::vector<std::pair<std::string, NpyArray>> load_npz(const std::string& path) {
  ZipReader zip = ZipReader::open(path);
  std::vector<std::pair<std::string, NpyArray>> out;
  for (const std::string& name : zip.names()) {
    if (name.size() <= 4 || name.compare(name.size() - 4, 4, ".npy") != 0)
      throw ValueError(".npz archive \"" + path + "\": member \"" + name + "\" is not a .npy file");
    out.emplace_back(name.substr(0, name.size() - 4),
                     parse_owned(zip.read(name), path + " member \"" + name + "\""));
  }
  return out;
}

std::map<std::string, Tensor> load_npz_tensors(const std::string& path,
                                               const std::string& backend) {
  std::map<std::string, Tensor> out;
  for (const auto& [name, array] : load_npz(path))
    if (!array.is_string()) out.emplace(name, array.to_tensor(backend));
  return out;
}

void save_npz(const std::string& path, const std::vector<std::pair<std::string, NpyArray>>& entries,
              bool compressed) {
  ZipWriter zip(path);
  for (const auto& [name, array] : entries) zip.add(name + ".npy", array.serialize(), compressed);
  zip.commit();
}

void save_npz(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& entries,
              bool compressed) {
  ZipWriter zip(path);
  for (const auto& [name, x] : entries)
    zip.add(name + ".npy", NpyArray::from_tensor(x).serialize(), compressed);
  zip.commit();
}

}  // namespace keras::saving
