#include "saving/h5/h5.hpp"

#include "saving/h5/describe_tree.hpp"

#include <atomic>
#include <cstring>
#include <limits>

#include "keras/core/errors.hpp"

namespace keras::saving::h5 {

namespace {

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    H5open();
    // No automatic printing of HDF5's error stack: failures become exceptions.
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  });
}

// The innermost message of HDF5's current error stack, for exception texts.
std::string hdf5_detail() {
  std::string out;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* err, void* data) -> herr_t {
        auto* s = static_cast<std::string*>(data);
        if (n == 0 && err && err->desc && *err->desc) *s = err->desc;
        return 0;
      },
      &out);
  H5Eclear2(H5E_DEFAULT);
  return out.empty() ? "" : " (HDF5: " + out + ")";
}

[[noreturn]] void fail(const std::string& what) { throw ValueError(what + hdf5_detail()); }

Handle check(hid_t id, Handle::Closer closer, const std::string& what) {
  if (id < 0) fail(what);
  return Handle(id, closer);
}

void check(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

// IEEE half precision as h5py defines it (a float32 type narrowed to 1+5+10 bits).
Handle float16_type() {
  Handle t = check(H5Tcopy(H5T_IEEE_F32LE), H5Tclose, "h5: cannot create the float16 type");
  check(H5Tset_fields(t.get(), 15, 10, 5, 0, 10), "h5: cannot create the float16 type");
  check(H5Tset_size(t.get(), 2), "h5: cannot create the float16 type");
  check(H5Tset_ebias(t.get(), 15), "h5: cannot create the float16 type");
  return t;
}

// h5py's bool: an enum over int8 with FALSE = 0, TRUE = 1.
Handle bool_type() {
  Handle t = check(H5Tenum_create(H5T_NATIVE_INT8), H5Tclose, "h5: cannot create the bool type");
  int8_t v = 0;
  check(H5Tenum_insert(t.get(), "FALSE", &v), "h5: cannot create the bool type");
  v = 1;
  check(H5Tenum_insert(t.get(), "TRUE", &v), "h5: cannot create the bool type");
  return t;
}

// The type a keras::DType is stored with in files (little-endian, as h5py writes numpy arrays
// on little-endian machines), and its in-memory counterpart.
Handle file_type(DType dtype) {
  auto copy = [](hid_t t) { return check(H5Tcopy(t), H5Tclose, "h5: cannot copy a type"); };
  switch (dtype) {
    case DType::Bool:
      return bool_type();
    case DType::Int8:
      return copy(H5T_STD_I8LE);
    case DType::Int16:
      return copy(H5T_STD_I16LE);
    case DType::Int32:
      return copy(H5T_STD_I32LE);
    case DType::Int64:
      return copy(H5T_STD_I64LE);
    case DType::UInt8:
      return copy(H5T_STD_U8LE);
    case DType::UInt16:
      return copy(H5T_STD_U16LE);
    case DType::UInt32:
      return copy(H5T_STD_U32LE);
    case DType::UInt64:
      return copy(H5T_STD_U64LE);
    case DType::Float16:
      return float16_type();
    case DType::BFloat16:
      // No HDF5 type: h5py writes ml_dtypes' bfloat16 as a 2-byte opaque type.
      return check(H5Tcreate(H5T_OPAQUE, 2), H5Tclose, "h5: cannot create the bfloat16 type");
    case DType::Float32:
      return copy(H5T_IEEE_F32LE);
    case DType::Float64:
      return copy(H5T_IEEE_F64LE);
  }
  throw ValueError("h5: unsupported dtype");
}

Handle memory_type(DType dtype) {
  auto copy = [](hid_t t) { return check(H5Tcopy(t), H5Tclose, "h5: cannot copy a type"); };
  switch (dtype) {
    case DType::Bool:
      return bool_type();
    case DType::Int8:
      return copy(H5T_NATIVE_INT8);
    case DType::Int16:
      return copy(H5T_NATIVE_INT16);
    case DType::Int32:
      return copy(H5T_NATIVE_INT32);
    case DType::Int64:
      return copy(H5T_NATIVE_INT64);
    case DType::UInt8:
      return copy(H5T_NATIVE_UINT8);
    case DType::UInt16:
      return copy(H5T_NATIVE_UINT16);
    case DType::UInt32:
      return copy(H5T_NATIVE_UINT32);
    case DType::UInt64:
      return copy(H5T_NATIVE_UINT64);
    case DType::Float16:
      return float16_type();
    case DType::BFloat16:
      return check(H5Tcreate(H5T_OPAQUE, 2), H5Tclose, "h5: cannot create the bfloat16 type");
    case DType::Float32:
      return copy(H5T_NATIVE_FLOAT);
    case DType::Float64:
      return copy(H5T_NATIVE_DOUBLE);
  }
  throw ValueError("h5: unsupported dtype");
}

herr_t close_plist(hid_t id) { return H5Pclose(id); }

std::string unique_memory_name(const std::string& description) {
  static std::atomic<uint64_t> counter{0};
  return "keras-memory-" + std::to_string(counter++) + ":" + description;
}

std::vector<std::string> list_attributes(hid_t obj, const Location& where) {
  std::vector<std::string> names;
  herr_t st = H5Aiterate2(
      obj, H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
      },
      &names);
  if (st < 0) fail("cannot list the attributes of " + where.describe());
  return names;
}

std::optional<std::string> read_string_attribute(hid_t obj, const std::string& name,
                                                 const Location& where) {
  htri_t exists = H5Aexists(obj, name.c_str());
  if (exists < 0) fail("cannot read attribute '" + name + "' of " + where.describe());
  if (exists == 0) return std::nullopt;
  std::string what = "attribute '" + name + "' of " + where.describe();
  Handle attr = check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "cannot open " + what);
  Handle type = check(H5Aget_type(attr.get()), H5Tclose, "cannot read the type of " + what);
  if (H5Tget_class(type.get()) != H5T_STRING) throw ValueError(what + " is not a string");
  Handle space = check(H5Aget_space(attr.get()), H5Sclose, "cannot read the dataspace of " + what);
  hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n != 1) throw ValueError(what + " is not a single string");
  htri_t is_var = H5Tis_variable_str(type.get());
  if (is_var < 0) fail("cannot read the type of " + what);
  if (is_var) {
    Handle mem = check(H5Tcopy(H5T_C_S1), H5Tclose, "h5: cannot create a string type");
    check(H5Tset_size(mem.get(), H5T_VARIABLE), "h5: cannot create a string type");
    check(H5Tset_cset(mem.get(), H5Tget_cset(type.get())), "h5: cannot create a string type");
    char* value = nullptr;
    check(H5Aread(attr.get(), mem.get(), &value), "cannot read " + what);
    std::string out = value ? value : "";
    if (value) H5free_memory(value);
    return out;
  }
  size_t size = H5Tget_size(type.get());
  if (size == 0 || size > (size_t{1} << 20)) throw ValueError(what + " has a bad string size");
  std::string buffer(size, '\0');
  check(H5Aread(attr.get(), type.get(), buffer.data()), "cannot read " + what);
  buffer.resize(std::strlen(buffer.c_str()));
  return buffer;
}

}  // namespace

std::recursive_mutex& lock() {
  static std::recursive_mutex mutex;
  return mutex;
}

// ---- Handle ----

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    closer_ = other.closer_;
    other.id_ = -1;
  }
  return *this;
}

void Handle::reset() noexcept {
  if (id_ >= 0 && closer_) closer_(id_);
  id_ = -1;
}

// ---- Location ----

// ---- Group ----

std::vector<std::string> Group::member_names() const {
  std::vector<std::string> names;
  herr_t st = H5Literate(
      id(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
      },
      &names);
  if (st < 0) fail("cannot list the members of " + location_.describe());
  return names;
}

LinkKind Group::link_kind(const std::string& name) const {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    throw ValueError("Invalid path component '" + name + "' under " + location_.describe());
  htri_t exists = H5Lexists(id(), name.c_str(), H5P_DEFAULT);
  if (exists < 0) fail("cannot look up '" + name + "' under " + location_.describe());
  if (exists == 0) return LinkKind::Missing;
  H5L_info_t info;
  check(H5Lget_info(id(), name.c_str(), &info, H5P_DEFAULT),
        "cannot read the link '" + name + "' under " + location_.describe());
  switch (info.type) {
    case H5L_TYPE_HARD:
      return LinkKind::Hard;
    case H5L_TYPE_SOFT:
      return LinkKind::Soft;
    case H5L_TYPE_EXTERNAL:
      return LinkKind::External;
    default:
      return LinkKind::Other;
  }
}

ObjectKind Group::object_kind(const std::string& name) const {
  Handle obj = check(H5Oopen(id(), name.c_str(), H5P_DEFAULT), H5Oclose,
                     "cannot open " + Location{location_.file, location_.child(name)}.describe());
  switch (H5Iget_type(obj.get())) {
    case H5I_GROUP:
      return ObjectKind::Group;
    case H5I_DATASET:
      return ObjectKind::Dataset;
    default:
      return ObjectKind::Other;
  }
}

namespace {
// Keras's checks on a link before following it: hard links only.
void require_hard_link(const Group& g, const std::string& name, const char* expected) {
  Location where{g.location().file, g.location().child(name)};
  switch (g.link_kind(name)) {
    case LinkKind::Missing:
      throw ValueError("Missing " + std::string(expected) + " " + where.describe());
    case LinkKind::Hard:
      return;
    case LinkKind::Soft:
      throw ValueError("Not allowed: H5 file with SoftLink at " + where.describe());
    case LinkKind::External:
      throw ValueError("Not allowed: H5 file with ExternalLink at " + where.describe());
    case LinkKind::Other:
      throw ValueError("Not allowed: H5 file with a user-defined link at " + where.describe());
  }
}
}  // namespace

Group Group::create_group(const std::string& name) const {
  Location where{location_.file, location_.child(name)};
  Handle h = check(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                   "cannot create group " + where.describe());
  return Group(std::move(h), where);
}

Group Group::open_group(const std::string& name) const {
  require_hard_link(*this, name, "group");
  Location where{location_.file, location_.child(name)};
  if (object_kind(name) != ObjectKind::Group)
    throw ValueError("Invalid H5 file, expected a group at " + where.describe());
  Handle h = check(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), H5Gclose,
                   "cannot open group " + where.describe());
  return Group(std::move(h), where);
}

Dataset Group::open_dataset(const std::string& name) const {
  require_hard_link(*this, name, "dataset");
  Location where{location_.file, location_.child(name)};
  if (object_kind(name) != ObjectKind::Dataset)
    throw ValueError("Invalid H5 file, expected a dataset at " + where.describe());
  Handle h = check(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), H5Dclose,
                   "cannot open dataset " + where.describe());
  return Dataset(std::move(h), where);
}

void Group::write_dataset(const std::string& name, const void* data, const Shape& shape,
                          DType dtype) const {
  Location where{location_.file, location_.child(name)};
  std::string what = "dataset " + where.describe();
  Handle space;
  if (shape.rank() == 0) {
    space = check(H5Screate(H5S_SCALAR), H5Sclose, "cannot create the dataspace of " + what);
  } else {
    std::vector<hsize_t> dims;
    for (int64_t d : shape) {
      if (d < 0) throw ValueError("cannot write " + what + " with unknown dimensions");
      dims.push_back(static_cast<hsize_t>(d));
    }
    space = check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
                  "cannot create the dataspace of " + what);
  }
  Handle ftype = file_type(dtype);
  Handle mtype = memory_type(dtype);
  Handle ds = check(H5Dcreate2(id(), name.c_str(), ftype.get(), space.get(), H5P_DEFAULT,
                               H5P_DEFAULT, H5P_DEFAULT),
                    H5Dclose, "cannot create " + what);
  if (shape.num_elements() > 0)
    check(H5Dwrite(ds.get(), mtype.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
          "cannot write " + what);
  if (dtype == DType::BFloat16) {
    // Keras's marker for bfloat16 (H5IOStore.__setitem__).
    Handle str = check(H5Tcopy(H5T_C_S1), H5Tclose, "h5: cannot create a string type");
    check(H5Tset_size(str.get(), H5T_VARIABLE), "h5: cannot create a string type");
    check(H5Tset_cset(str.get(), H5T_CSET_UTF8), "h5: cannot create a string type");
    Handle scalar = check(H5Screate(H5S_SCALAR), H5Sclose, "h5: cannot create a dataspace");
    Handle attr =
        check(H5Acreate2(ds.get(), "dtype", str.get(), scalar.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose, "cannot create attribute 'dtype' of " + what);
    const char* value = "bfloat16";
    check(H5Awrite(attr.get(), str.get(), &value), "cannot write attribute 'dtype' of " + what);
  }
}

void Group::set_string_attribute(const std::string& name, const std::string& value) const {
  std::string what = "attribute '" + name + "' of " + location_.describe();
  Handle str = check(H5Tcopy(H5T_C_S1), H5Tclose, "h5: cannot create a string type");
  check(H5Tset_size(str.get(), H5T_VARIABLE), "h5: cannot create a string type");
  check(H5Tset_cset(str.get(), H5T_CSET_UTF8), "h5: cannot create a string type");
  Handle scalar = check(H5Screate(H5S_SCALAR), H5Sclose, "h5: cannot create a dataspace");
  Handle attr =
      check(H5Acreate2(id(), name.c_str(), str.get(), scalar.get(), H5P_DEFAULT, H5P_DEFAULT),
            H5Aclose, "cannot create " + what);
  const char* data = value.c_str();
  check(H5Awrite(attr.get(), str.get(), &data), "cannot write " + what);
}

std::optional<std::string> Group::string_attribute(const std::string& name) const {
  return read_string_attribute(id(), name, location_);
}

std::vector<std::string> Group::attribute_names() const { return list_attributes(id(), location_); }

// ---- Dataset ----

Dataset::Dataset(Handle handle, Location location)
    : handle_(std::move(handle)), location_(std::move(location)) {
  std::string what = "dataset " + location_.describe();
  hid_t ds = handle_.get();

  // Storage: no external files, no virtual datasets (Keras's safe_get_h5_dataset).
  Handle dcpl = check(H5Dget_create_plist(ds), close_plist, "cannot inspect " + what);
  int external = H5Pget_external_count(dcpl.get());
  if (external < 0) fail("cannot inspect " + what);
  if (external > 0) throw ValueError("Not allowed: H5 file with external Dataset at " + what);
  H5D_layout_t layout = H5Pget_layout(dcpl.get());
  if (layout < 0) fail("cannot inspect " + what);
  if (layout == H5D_VIRTUAL)
    throw ValueError("Not allowed: H5 file with virtual Dataset at " + what);

  // Shape.
  Handle space = check(H5Dget_space(ds), H5Sclose, "cannot read the dataspace of " + what);
  H5S_class_t sclass = H5Sget_simple_extent_type(space.get());
  if (sclass == H5S_NULL) throw ValueError("Invalid H5 file: " + what + " has no dataspace");
  if (sclass != H5S_SCALAR && sclass != H5S_SIMPLE) fail("cannot read the dataspace of " + what);
  int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > kMaxRank) fail("bad rank in the dataspace of " + what);
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
    fail("cannot read the dataspace of " + what);
  std::vector<int64_t> shape;
  uint64_t elements = 1;
  bool overflow = false;
  for (hsize_t d : dims) {
    if (d > static_cast<hsize_t>(std::numeric_limits<int64_t>::max()))
      throw ValueError("Invalid H5 file: " + what + " declares a dimension of " +
                       std::to_string(d));
    shape.push_back(static_cast<int64_t>(d));
    if (d != 0 && elements > std::numeric_limits<uint64_t>::max() / d) overflow = true;
    elements *= d;
  }
  shape_ = Shape(shape);

  // Element type.
  Handle type = check(H5Dget_type(ds), H5Tclose, "cannot read the type of " + what);
  H5T_class_t tclass = H5Tget_class(type.get());
  size_t size = H5Tget_size(type.get());
  auto bad_type = [&](const std::string& why) {
    return ValueError("Unsupported H5 dataset type: " + what + " " + why +
                      " (expected a numeric array as Keras writes it)");
  };
  switch (tclass) {
    case H5T_INTEGER: {
      H5T_sign_t sign = H5Tget_sign(type.get());
      bool is_signed = sign == H5T_SGN_2;
      switch (size) {
        case 1:
          dtype_ = is_signed ? DType::Int8 : DType::UInt8;
          break;
        case 2:
          dtype_ = is_signed ? DType::Int16 : DType::UInt16;
          break;
        case 4:
          dtype_ = is_signed ? DType::Int32 : DType::UInt32;
          break;
        case 8:
          dtype_ = is_signed ? DType::Int64 : DType::UInt64;
          break;
        default:
          throw bad_type("has an integer type of " + std::to_string(size) + " bytes");
      }
      break;
    }
    case H5T_FLOAT:
      switch (size) {
        case 2:
          dtype_ = DType::Float16;
          break;
        case 4:
          dtype_ = DType::Float32;
          break;
        case 8:
          dtype_ = DType::Float64;
          break;
        default:
          throw bad_type("has a float type of " + std::to_string(size) + " bytes");
      }
      break;
    case H5T_ENUM: {
      // h5py's bool: an enum over a 1-byte integer.
      Handle super = check(H5Tget_super(type.get()), H5Tclose, "cannot read the type of " + what);
      if (H5Tget_class(super.get()) != H5T_INTEGER || H5Tget_size(super.get()) != 1)
        throw bad_type("is an enum that is not h5py's bool");
      dtype_ = DType::Bool;
      break;
    }
    case H5T_OPAQUE: {
      auto marker = read_string_attribute(ds, "dtype", location_);
      if (size != 2 || !marker || *marker != "bfloat16")
        throw bad_type("has an opaque type that is not Keras's bfloat16");
      dtype_ = DType::BFloat16;
      break;
    }
    default:
      throw bad_type("has a non-numeric type");
  }

  // Keras's shape-bomb guard, and a hard limit on what can be addressed at all.
  uint64_t declared = elements * element_size(dtype_);
  if (overflow || (elements != 0 && declared / elements != element_size(dtype_)))
    throw ValueError("Not allowed: H5 " + what + " declares an impossibly large shape " +
                     shape_.to_string());
  uint64_t stored = H5Dget_storage_size(ds);
  if (declared > kBombFloorBytes && declared > kMaxExpansion * stored)
    throw ValueError("Not allowed: H5 " + what + " declares " + std::to_string(declared) +
                     " bytes but only " + std::to_string(stored) +
                     " are stored on disk; refusing to load a potential decompression/shape "
                     "bomb.");
}

std::vector<std::string> Dataset::attribute_names() const {
  return list_attributes(handle_.get(), location_);
}

std::optional<std::string> Dataset::string_attribute(const std::string& name) const {
  return read_string_attribute(handle_.get(), name, location_);
}

void Dataset::read(void* dst, size_t bytes) const {
  uint64_t want = static_cast<uint64_t>(shape_.num_elements()) * element_size(dtype_);
  if (bytes != want)
    throw ValueError("h5: reading dataset " + location_.describe() + " needs " +
                     std::to_string(want) + " bytes, got a buffer of " + std::to_string(bytes));
  if (want == 0) return;
  Handle mtype = memory_type(dtype_);
  check(H5Dread(handle_.get(), mtype.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, dst),
        "cannot read dataset " + location_.describe());
}

// ---- File ----

File File::create(const std::string& path) {
  init_library();
  hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) throw OSError("Cannot create the HDF5 file '" + path + "'" + hdf5_detail());
  return File(Handle(id, H5Fclose), path);
}

File File::open(const std::string& path) {
  init_library();
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
  } else {
    throw OSError("Cannot open the weights file '" + path + "': " + std::strerror(errno));
  }
  htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw ValueError("'" + path + "' is not an HDF5 file (no HDF5 signature found)");
  }
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw ValueError("Cannot open the HDF5 file '" + path + "'" + hdf5_detail());
  return File(Handle(id, H5Fclose), path);
}

File File::create_in_memory(const std::string& description) {
  init_library();
  Handle fapl = check(H5Pcreate(H5P_FILE_ACCESS), close_plist, "h5: cannot create properties");
  check(H5Pset_fapl_core(fapl.get(), 1 << 16, /*backing_store=*/0),
        "h5: cannot select the in-memory driver");
  std::string name = unique_memory_name(description);
  hid_t id = H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  if (id < 0) fail("Cannot create the in-memory HDF5 file " + description);
  return File(Handle(id, H5Fclose), description);
}

File File::open_image(const std::string& bytes, const std::string& description) {
  init_library();
  // The superblock signature must be at offset 0 (HDF5 also searches 512, 1024, ... but Keras
  // files and h5py images always start with it).
  static const char kSignature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kSignature, 8) != 0)
    throw ValueError(description + " is not an HDF5 file (no HDF5 signature found)");
  Handle fapl = check(H5Pcreate(H5P_FILE_ACCESS), close_plist, "h5: cannot create properties");
  check(H5Pset_fapl_core(fapl.get(), 1 << 16, /*backing_store=*/0),
        "h5: cannot select the in-memory driver");
  check(H5Pset_file_image(fapl.get(), const_cast<char*>(bytes.data()), bytes.size()),
        "h5: cannot attach the file image of " + description);
  std::string name = unique_memory_name(description);
  hid_t id = H5Fopen(name.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (id < 0) throw ValueError("Cannot open the HDF5 image " + description + hdf5_detail());
  return File(Handle(id, H5Fclose), description);
}

Group File::root() const {
  Handle h = check(H5Gopen2(handle_.get(), "/", H5P_DEFAULT), H5Gclose,
                   "cannot open the root group of '" + name_ + "'");
  return Group(std::move(h), Location{name_, "/"});
}

std::string File::image() const {
  check(H5Fflush(handle_.get(), H5F_SCOPE_GLOBAL), "cannot flush the HDF5 file " + name_);
  ssize_t size = H5Fget_file_image(handle_.get(), nullptr, 0);
  if (size < 0) fail("cannot get the image of the HDF5 file " + name_);
  std::string out(static_cast<size_t>(size), '\0');
  if (H5Fget_file_image(handle_.get(), out.data(), out.size()) < 0)
    fail("cannot get the image of the HDF5 file " + name_);
  return out;
}

void File::close() {
  if (!handle_.valid()) return;
  check(H5Fflush(handle_.get(), H5F_SCOPE_GLOBAL), "cannot flush the HDF5 file '" + name_ + "'");
  // Closed here rather than by the handle, so that a failing close is reported.
  herr_t st = H5Fclose(handle_.release());
  if (st < 0) fail("cannot close the HDF5 file '" + name_ + "'");
}

// ---- describe ----

std::vector<TreeEntry> describe(const File& file) {
  std::vector<TreeEntry> out;
  describe_tree(file.root(), out, [](const Group&) { return true; });
  return out;
}

}  // namespace keras::saving::h5
