#pragma once
// The bounds-checked HDF5 reader used to load weights files (.weights.h5 and the
// model.weights.h5 member of .keras archives).
//
// Loading does not go through libhdf5: Debian's libhdf5 1.10.8 is not hardened against crafted
// files (fuzzing found heap overflows, unbounded allocations and endless loops inside it; see
// fuzz/README.md), and a weights file is untrusted input. This reader understands the subset of
// HDF5 that h5py and libhdf5 write for Keras (format.hpp: superblocks 0-3, object headers 1-2,
// symbol-table and compact groups, contiguous and compact datasets of integers, IEEE floats,
// h5py's bool enum and Keras's bfloat16, string attributes) and refuses anything else with a
// keras::ValueError naming the file, the object and the feature. Every size, offset and count is
// checked against the file before it is used; nothing it allocates exceeds the file's size.
//
// Objects are immutable once opened and keep the file open; unlike the libhdf5 wrapper (h5.hpp,
// used for writing), no global lock is needed.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "saving/h5/h5_types.hpp"

namespace keras::saving::h5 {

namespace format {
class FileContext;
struct ObjectHeader;
struct Link;
}  // namespace format

class ReadDataset;

class ReadGroup {
 public:
  const Location& location() const { return location_; }
  const std::string& path() const { return location_.path; }
  // The address of the group's object header: the same for every link to the same group.
  uint64_t address() const;

  // Names of the direct members (links), in byte order.
  std::vector<std::string> member_names() const;
  LinkKind link_kind(const std::string& name) const;
  bool has(const std::string& name) const { return link_kind(name) != LinkKind::Missing; }
  // The kind of object behind the hard link `name` (which must exist).
  ObjectKind object_kind(const std::string& name) const;
  // Opens a child group reached by a hard link (soft / external links, non-groups and missing
  // names are a ValueError, like Keras's safe_get_h5_group).
  ReadGroup open_group(const std::string& name) const;
  // Opens a child dataset reached by a hard link (checked like Keras's safe_get_h5_dataset).
  ReadDataset open_dataset(const std::string& name) const;

  std::vector<std::string> attribute_names() const;
  // A string attribute (scalar, fixed or variable length); nullopt when absent, ValueError when
  // it is not a string.
  std::optional<std::string> string_attribute(const std::string& name) const;

 private:
  friend class ReadFile;
  friend class ReadDataset;
  ReadGroup(std::shared_ptr<const format::FileContext> file, uint64_t address, Location location);
  const format::Link& link(const std::string& name) const;  // a hard link, checked

  std::shared_ptr<const format::FileContext> file_;
  std::shared_ptr<const format::ObjectHeader> header_;
  std::shared_ptr<const std::vector<format::Link>> links_;
  Location location_;
};

class ReadDataset {
 public:
  const Location& location() const { return location_; }
  uint64_t address() const;
  // The declared shape; rank 0 for scalar dataspaces.
  const Shape& shape() const { return shape_; }
  // The stored element type as a keras::DType.
  DType dtype() const { return dtype_; }
  std::vector<std::string> attribute_names() const;
  std::optional<std::string> string_attribute(const std::string& name) const;
  // Reads every element into `dst` in native byte order; `bytes` must be
  // shape().num_elements() * element_size(dtype()).
  void read(void* dst, size_t bytes) const;

 private:
  friend class ReadGroup;
  ReadDataset(std::shared_ptr<const format::FileContext> file, uint64_t address, Location location);

  std::shared_ptr<const format::FileContext> file_;
  std::shared_ptr<const format::ObjectHeader> header_;
  Location location_;
  Shape shape_;
  DType dtype_ = DType::Float32;
  bool big_endian_ = false;
  bool is_bool_ = false;
  // Where the elements are: the file (contiguous) or the header (compact); neither when the
  // dataset was never written (its elements are the fill value).
  enum class Storage { File, Compact, Fill } storage_ = Storage::Fill;
  uint64_t data_address_ = 0;
  std::vector<uint8_t> inline_bytes_;  // compact data, or the fill value of one element
};

class ReadFile {
 public:
  // Opens a file on disk (OSError when it cannot be read, ValueError when it is not an HDF5
  // file this reader understands).
  static ReadFile open(const std::string& path);
  // Reads an HDF5 image held in memory; `description` names it in messages.
  static ReadFile from_image(std::string bytes, const std::string& description);

  ReadGroup root() const;
  const std::string& name() const;

 private:
  explicit ReadFile(std::shared_ptr<const format::FileContext> file) : file_(std::move(file)) {}
  std::shared_ptr<const format::FileContext> file_;
};

// Every group and dataset reachable through hard links, depth first in name order, each object
// once (a group linked twice is listed at its first path).
std::vector<TreeEntry> describe(const ReadFile& file);

}  // namespace keras::saving::h5
