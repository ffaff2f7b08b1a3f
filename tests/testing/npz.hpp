#pragma once
// A reader for NumPy's .npy and .npz files, for tests that compare with Python Keras fixtures.
//
//   auto arrays = keras::testing::load_npz(KERAS_FIXTURES_DIR "/ops.npz");
//   Tensor x = keras::testing::to_tensor(arrays.at("add__broadcast_size1__input_0"), "cpu");
//
// A thin layer over the library's reader (include/keras/saving/numpy.hpp): every numeric dtype
// that maps to a keras::DType in either byte order and C or Fortran order (normalized here to
// little-endian C order), and unicode strings (<U), decoded to UTF-8. Malformed files throw
// keras::ValueError naming the file and the reason; unreadable files throw keras::OSError.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::testing {

struct NpyArray {
  Shape shape;
  std::string descr;                 // NumPy's dtype string, e.g. "<f4", "<U39"
  std::optional<DType> dtype;        // empty for unicode arrays
  std::vector<uint8_t> data;         // raw little-endian elements, C order (numeric arrays)
  std::vector<std::string> strings;  // unicode arrays: the elements, UTF-8, trailing NULs removed

  bool is_string() const { return !dtype.has_value(); }
  int64_t size() const;
  // The single element of a unicode array (0-d or size 1); ValueError otherwise.
  const std::string& str() const;
  // The elements converted to double (numeric arrays only).
  std::vector<double> to_doubles() const;
};

// Parses the bytes of one .npy file; `what` names it in error messages.
NpyArray parse_npy(const std::vector<uint8_t>& bytes, const std::string& what);
NpyArray load_npy(const std::string& path);
// name (without the ".npy" suffix) -> array, for every member of the archive.
std::map<std::string, NpyArray> load_npz(const std::string& path);
// load_npz, read once per path for the whole test program.
const std::map<std::string, NpyArray>& cached_npz(const std::string& path);

// The array as a tensor on `backend` ("" = the default backend). Throws ValueError for strings.
Tensor to_tensor(const NpyArray& array, const std::string& backend = "");

// The fixtures' tolerance (fixtures README): the same shape and
// max |ours - keras| <= tol * max(1, max |keras|); a NaN difference fails.
::testing::AssertionResult close_to_keras(const Tensor& ours, const NpyArray& keras,
                                          double tol = 1e-5);

// The cases of a fixture archive: "<case>" for every member named "<case>__config".
std::vector<std::string> fixture_cases(const std::map<std::string, NpyArray>& arrays);

}  // namespace keras::testing
