#pragma once
// A small RAII layer over HDF5's C API, with what Keras's weights files need: files on disk and
// in memory (file images), groups, numeric datasets of every keras::DType (float16 and bfloat16
// stored the way h5py / Keras store them) and string attributes.
//
// This is how keras-cpp WRITES weights files. Loading reads them with the bounds-checked reader
// (reader.hpp), because libhdf5 1.10 is not hardened against crafted files; the read functions
// here serve writing (opening groups it made) and tests that compare the two.
//
// HDF5's automatic error printing is turned off; every failure throws a keras:: exception naming
// the file and the object path.
//
// The serial HDF5 library is not thread-safe: callers hold h5::lock() around any use.
#include <hdf5.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "keras/core/dtype.hpp"
#include "keras/core/shape.hpp"
#include "saving/h5/h5_types.hpp"

namespace keras::saving::h5 {

// The process-wide lock for HDF5 calls (the library is built without thread safety).
std::recursive_mutex& lock();

// An owned hid_t, closed with the matching H5*close on destruction.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset() noexcept;
  // Gives up ownership without closing.
  hid_t release() noexcept {
    hid_t id = id_;
    id_ = -1;
    return id;
  }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

class Dataset;

class Group {
 public:
  Group(Handle handle, Location location)
      : handle_(std::move(handle)), location_(std::move(location)) {}
  const Location& location() const { return location_; }
  const std::string& path() const { return location_.path; }
  hid_t id() const { return handle_.get(); }

  // Names of the direct members (links), in name order.
  std::vector<std::string> member_names() const;
  LinkKind link_kind(const std::string& name) const;
  // The kind of object behind the hard link `name` (which must exist).
  ObjectKind object_kind(const std::string& name) const;
  bool has(const std::string& name) const { return link_kind(name) != LinkKind::Missing; }

  Group create_group(const std::string& name) const;
  // Opens a child group reached by a hard link (soft / external links and non-groups are a
  // ValueError, like Keras's safe_get_h5_group); missing: ValueError too.
  Group open_group(const std::string& name) const;
  // Opens a child dataset reached by a hard link (checked like Keras's safe_get_h5_dataset:
  // not external, not virtual, no shape bomb).
  Dataset open_dataset(const std::string& name) const;

  // Writes `data` (row-major, `shape.num_elements()` elements of `dtype`) as a contiguous
  // dataset; rank 0 gives a scalar dataspace. bfloat16 gets the attribute dtype="bfloat16".
  void write_dataset(const std::string& name, const void* data, const Shape& shape,
                     DType dtype) const;

  // A scalar variable-length UTF-8 string attribute (what h5py writes for `attrs[k] = "str"`).
  void set_string_attribute(const std::string& name, const std::string& value) const;
  std::optional<std::string> string_attribute(const std::string& name) const;
  // Names of the attributes on this group.
  std::vector<std::string> attribute_names() const;

 private:
  Handle handle_;
  Location location_;
};

// How a dataset's elements are stored.
struct StoredType {
  DType dtype;
  bool bfloat16_attribute = false;  // Keras's dtype="bfloat16" marker (on an opaque 2-byte type)
};

class Dataset {
 public:
  Dataset(Handle handle, Location location);
  const Location& location() const { return location_; }
  // The declared shape; rank 0 for scalar dataspaces.
  const Shape& shape() const { return shape_; }
  // The stored element type mapped to a keras::DType (ValueError for strings, compounds, ...).
  DType dtype() const { return dtype_; }
  // Attribute names on the dataset (Keras only writes "dtype" for bfloat16).
  std::vector<std::string> attribute_names() const;
  std::optional<std::string> string_attribute(const std::string& name) const;
  // Reads every element into `dst`, converted by HDF5 to dtype(); `bytes` must match.
  void read(void* dst, size_t bytes) const;

 private:
  Handle handle_;
  Location location_;
  Shape shape_;
  DType dtype_ = DType::Float32;
};

class File {
 public:
  // Creates (truncates) a file on disk.
  static File create(const std::string& path);
  // Opens a file on disk read-only. OSError when it cannot be read, ValueError when it is not
  // an HDF5 file.
  static File open(const std::string& path);
  // A new empty file held in memory only (core driver, no backing store); image() gives bytes.
  static File create_in_memory(const std::string& description);
  // Opens an in-memory file image read-only (the bytes are copied).
  static File open_image(const std::string& bytes, const std::string& description);

  File(File&&) noexcept = default;
  File& operator=(File&&) noexcept = default;

  Group root() const;
  const std::string& name() const { return name_; }
  // The complete file image (flushes first).
  std::string image() const;
  // Flushes and closes; errors are thrown (the destructor closes silently).
  void close();

 private:
  File(Handle handle, std::string name) : handle_(std::move(handle)), name_(std::move(name)) {}
  Handle handle_;
  std::string name_;
};

// Every group and dataset reachable through hard links, depth first in name order.
std::vector<TreeEntry> describe(const File& file);

}  // namespace keras::saving::h5
