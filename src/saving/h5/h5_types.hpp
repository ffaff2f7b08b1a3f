#pragma once
// What both HDF5 sides share (the libhdf5 wrapper in h5.hpp, used for writing, and the
// bounds-checked reader in reader.hpp, used for loading): object locations for messages, link and
// object kinds, the structure listing used to compare files, and element sizes.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "keras/core/dtype.hpp"
#include "keras/core/shape.hpp"

namespace keras::saving::h5 {

// Where an object lives, for error messages: the file's name and the object's path.
struct Location {
  std::string file;              // the file name, or a description of an in-memory image
  std::string path;              // "/layers/dense/vars"
  std::string describe() const;  // "'/layers/dense/vars' in file 'x.weights.h5'"
  std::string child(const std::string& name) const;
};

// Kind of a link inside a group, as Keras's safe_get_h5_* functions check it.
enum class LinkKind { Missing, Hard, Soft, External, Other };
// Kind of the object a hard link points to.
enum class ObjectKind { Group, Dataset, Other };

// One object of a file, for comparing the structure of two files (tests, tools).
struct TreeEntry {
  std::string path;  // "/layers/dense/vars/0"
  bool is_group = false;
  Shape shape;                                                  // datasets
  DType dtype = DType::Float32;                                 // datasets
  std::vector<std::pair<std::string, std::string>> attributes;  // string attributes, by name
};

// Bytes per element (keras::dtype_size, repeated here so that the HDF5 code and its fuzz target
// need only shape.cpp of the core).
constexpr size_t element_size(DType dtype) {
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

// Keras's shape-bomb guard (saving_lib.safe_get_h5_dataset): a dataset that declares more than
// 4 GiB and more than 1000x the bytes it stores is refused.
constexpr uint64_t kBombFloorBytes = uint64_t{1} << 32;
constexpr uint64_t kMaxExpansion = 1000;
// No dataset may have more dimensions than this (HDF5's own limit is 32).
constexpr int kMaxRank = 32;

}  // namespace keras::saving::h5
