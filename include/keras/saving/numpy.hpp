#pragma once
// NumPy's .npy and .npz files, read and written byte-compatibly with NumPy (numpy.lib.format).
//
//   auto arrays = keras::saving::load_npz("data.npz");            // [(name, NpyArray)], in order
//   keras::Tensor x = arrays[0].second.to_tensor();               // on the current backend
//   keras::saving::save_npz("out.npz", {{"x", x}, {"y", y}}, /*compressed=*/true);
//   keras::saving::save_npy("x.npy", x);
//
// Read: format versions 1.0, 2.0 and 3.0; C and Fortran order; little- and big-endian data
// (converted to the host's order by to_tensor() / normalized()); dtypes b1 i1-i8 u1-u8 f2 f4 f8,
// c8/c16 (kept, but no tensor dtype), U (unicode) and S (bytes) strings. .npz members may be
// stored or deflated. Object arrays ('|O', i.e. pickles) are refused, as NumPy does with
// allow_pickle=False. Malformed files throw keras::ValueError naming the file (and member) and
// the problem; unreadable files keras::OSError.
// Write: the exact bytes np.save writes (NumPy 1.24); .npz via ZipWriter; every file is written
// atomically (a temporary file renamed onto the path).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::saving {

struct NpyArray {
  std::string descr;           // NumPy's dtype string as stored: "<f4", ">i8", "|b1", "<U12"
  Shape shape;                 // () for a 0-d array
  bool fortran_order = false;  // `data` is in Fortran (column-major) order
  std::string data;            // the raw elements as stored: the file's byte order and layout

  int64_t size() const;       // number of elements
  uint64_t itemsize() const;  // bytes per element
  bool is_string() const;     // 'U' or 'S' dtype
  // The Keras dtype of a numeric array; nullopt for strings and complex numbers.
  std::optional<DType> dtype() const;

  // A copy in the host's byte order and C order (descr rewritten accordingly).
  NpyArray normalized() const;
  // The array as a tensor on `backend` ("" = keras::config::backend()). ValueError for string
  // arrays (use as_string()/as_strings()), TypeError for complex ones.
  Tensor to_tensor(const std::string& backend = "") const;
  // The single element of a string array of size 1 (e.g. the 0-d arrays np.array("3.15.1")
  // makes), as UTF-8. ValueError for a numeric array or another size.
  std::string as_string() const;
  // Every element of a string array, in C order, as UTF-8 (trailing NULs removed).
  std::vector<std::string> as_strings() const;

  // The tensor's data ("<f4" for float32, ...). ValueError for symbolic tensors and bfloat16
  // (NumPy has no bfloat16; cast to float32 first).
  static NpyArray from_tensor(const Tensor& x);
  // A '<U' array of the given strings (UTF-8), padded to the longest like NumPy; `shape` defaults
  // to 0-d for one string and (n,) otherwise.
  static NpyArray from_strings(const std::vector<std::string>& strings,
                               std::optional<Shape> shape = std::nullopt);
  static NpyArray from_string(const std::string& text) { return from_strings({text}); }

  // Parses the bytes of a whole .npy file; `what` names it in error messages.
  static NpyArray parse(std::string_view npy_file, const std::string& what = "<.npy data>");
  // The bytes of a .npy file holding this array, as np.save writes them.
  std::string serialize() const;
};

NpyArray load_npy(const std::string& path);
void save_npy(const std::string& path, const NpyArray& array);
void save_npy(const std::string& path, const Tensor& x);

// The arrays of an .npz archive in archive order, keyed like NumPy's NpzFile (member name
// without ".npy"). A member that is not an .npy file is a ValueError.
std::vector<std::pair<std::string, NpyArray>> load_npz(const std::string& path);
// The numeric arrays of an .npz archive as tensors on `backend`; string members are left out
// (read them with load_npz()).
std::map<std::string, Tensor> load_npz_tensors(const std::string& path,
                                               const std::string& backend = "");
// np.savez (compressed = false) / np.savez_compressed (true): one "<name>.npy" member per entry,
// in the given order. ValueError for a duplicate or invalid name.
void save_npz(const std::string& path, const std::vector<std::pair<std::string, NpyArray>>& entries,
              bool compressed = false);
void save_npz(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& entries,
              bool compressed = false);

}  // namespace keras::saving
