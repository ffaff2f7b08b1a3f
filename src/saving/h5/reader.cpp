#include "saving/h5/reader.hpp"

#include <algorithm>
#include <cstring>
#include <set>

#include "keras/core/errors.hpp"
#include "saving/h5/describe_tree.hpp"
#include "saving/h5/format.hpp"

namespace keras::saving::h5 {

using format::Attribute;
using format::Datatype;
using format::FileContext;
using format::Link;
using format::Message;
using format::ObjectHeader;

namespace {

std::vector<Attribute> attributes_of(const FileContext& f, const ObjectHeader& h,
                                     const Location& where) {
  if (const Message* info = h.find(format::kAttributeInfo)) {
    Cursor c = f.cursor(info->data, "the attribute info of " + where.describe());
    c.u8();
    uint8_t flags = c.u8();
    if (flags & 0x01) c.skip(2);
    if (!f.is_undefined(c.address()))
      throw ValueError("Unsupported H5 file: " + where.describe() +
                       " keeps its attributes in dense storage (a fractal heap); keras-cpp reads "
                       "attributes stored in the object header, as Keras and h5py write them");
  }
  std::vector<Attribute> out;
  for (const Message* m : h.all(format::kAttribute)) {
    if (m->flags & format::kMessageShared)
      throw ValueError("Unsupported H5 file: a shared attribute on " + where.describe());
    Cursor c = f.cursor(m->data, "an attribute of " + where.describe());
    out.push_back(format::parse_attribute(c));
  }
  return out;
}

std::vector<std::string> attribute_names_of(const FileContext& f, const ObjectHeader& h,
                                            const Location& where) {
  std::vector<std::string> names;
  for (const Attribute& a : attributes_of(f, h, where)) names.push_back(a.name);
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<std::string> string_attribute_of(const FileContext& f, const ObjectHeader& h,
                                               const Location& where, const std::string& name) {
  for (const Attribute& a : attributes_of(f, h, where)) {
    if (a.name != name) continue;
    std::string what = "attribute '" + name + "' of " + where.describe();
    bool fixed = a.type.cls == Datatype::kString;
    bool variable = a.type.cls == Datatype::kVarLen && a.type.vlen_string;
    if (!fixed && !variable) throw ValueError(what + " is not a string");
    if (a.space.elements(what) != 1) throw ValueError(what + " is not a single string");
    if (fixed) {
      std::string s(a.data.begin(), a.data.end());
      if (a.type.string_padding == 2) {  // space-padded
        s.erase(s.find_last_not_of(' ') + 1);
        return s;
      }
      return std::string(s.c_str());
    }
    // A variable-length string: its length, then a global heap id (collection, index).
    Cursor c = f.cursor(a.data, what);
    uint64_t length = c.u32();
    uint64_t collection = c.address();
    uint32_t index = c.u32();
    if (length == 0) return std::string();
    std::string s = f.global_heap_object(collection, index, length, what);
    return std::string(s.c_str());
  }
  return std::nullopt;
}

std::shared_ptr<const FileContext> open_context(std::shared_ptr<ByteSource> source,
                                                const std::string& name) {
  return std::make_shared<const FileContext>(std::move(source), name);
}

}  // namespace

// ---- ReadGroup ----

ReadGroup::ReadGroup(std::shared_ptr<const FileContext> file, uint64_t address, Location location)
    : file_(std::move(file)), location_(std::move(location)) {
  header_ = file_->object_header(address, "group " + location_.describe());
  if (!format::is_group(*header_))
    throw ValueError("Invalid H5 file, expected a group at " + location_.describe());
  links_ = std::make_shared<const std::vector<Link>>(
      format::read_group_links(*file_, *header_, location_.describe()));
}

uint64_t ReadGroup::address() const { return header_->address; }

std::vector<std::string> ReadGroup::member_names() const {
  std::vector<std::string> out;
  for (const Link& l : *links_) out.push_back(l.name);
  return out;
}

LinkKind ReadGroup::link_kind(const std::string& name) const {
  auto it = std::lower_bound(links_->begin(), links_->end(), name,
                             [](const Link& l, const std::string& n) { return l.name < n; });
  if (it == links_->end() || it->name != name) return LinkKind::Missing;
  return it->kind;
}

const Link& ReadGroup::link(const std::string& name) const {
  Location where{location_.file, location_.child(name)};
  switch (link_kind(name)) {
    case LinkKind::Missing:
      throw ValueError("Missing object " + where.describe());
    case LinkKind::Hard:
      break;
    case LinkKind::Soft:
      throw ValueError("Not allowed: H5 file with SoftLink at " + where.describe());
    case LinkKind::External:
      throw ValueError("Not allowed: H5 file with ExternalLink at " + where.describe());
    case LinkKind::Other:
      throw ValueError("Not allowed: H5 file with a user-defined link at " + where.describe());
  }
  return *std::lower_bound(links_->begin(), links_->end(), name,
                           [](const Link& l, const std::string& n) { return l.name < n; });
}

ObjectKind ReadGroup::object_kind(const std::string& name) const {
  const Link& l = link(name);
  Location where{location_.file, location_.child(name)};
  auto h = file_->object_header(l.address, where.describe());
  if (format::is_group(*h)) return ObjectKind::Group;
  if (format::is_dataset(*h)) return ObjectKind::Dataset;
  return ObjectKind::Other;
}

ReadGroup ReadGroup::open_group(const std::string& name) const {
  const Link& l = link(name);
  return ReadGroup(file_, l.address, Location{location_.file, location_.child(name)});
}

ReadDataset ReadGroup::open_dataset(const std::string& name) const {
  const Link& l = link(name);
  return ReadDataset(file_, l.address, Location{location_.file, location_.child(name)});
}

std::vector<std::string> ReadGroup::attribute_names() const {
  return attribute_names_of(*file_, *header_, location_);
}

std::optional<std::string> ReadGroup::string_attribute(const std::string& name) const {
  return string_attribute_of(*file_, *header_, location_, name);
}

// ---- ReadDataset ----

ReadDataset::ReadDataset(std::shared_ptr<const FileContext> file, uint64_t address,
                         Location location)
    : file_(std::move(file)), location_(std::move(location)) {
  std::string what = "dataset " + location_.describe();
  header_ = file_->object_header(address, what);
  const ObjectHeader& h = *header_;
  if (!format::is_dataset(h)) throw ValueError("Invalid H5 file, expected a dataset at " + what);
  if (h.find(format::kExternalFiles))
    throw ValueError("Not allowed: H5 file with external Dataset at " + what);
  auto message = [&](uint16_t type, const char* label) -> const Message& {
    const Message* m = h.find(type);
    if (!m) throw ValueError("Invalid H5 file: " + what + " has no " + label + " message");
    if (m->flags & format::kMessageShared)
      throw ValueError("Unsupported H5 file: " + what + " has a shared (committed) " + label);
    return *m;
  };

  // Shape.
  const Message& space_msg = message(format::kDataspace, "dataspace");
  Cursor sc = file_->cursor(space_msg.data, "the dataspace of " + what);
  format::Dataspace space = format::parse_dataspace(sc);
  if (space.kind == format::Dataspace::Kind::Null)
    throw ValueError("Invalid H5 file: " + what + " has no dataspace");
  std::vector<int64_t> dims;
  for (uint64_t d : space.dims) {
    if (d > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      throw ValueError("Invalid H5 file: " + what + " declares a dimension of " +
                       std::to_string(d));
    dims.push_back(static_cast<int64_t>(d));
  }
  shape_ = Shape(dims);
  uint64_t elements = space.elements(what);

  // Element type.
  const Message& type_msg = message(format::kDatatype, "datatype");
  Cursor tc = file_->cursor(type_msg.data, "the datatype of " + what);
  Datatype type = format::parse_datatype(tc);
  auto bad_type = [&](const std::string& why) {
    return ValueError("Unsupported H5 dataset type: " + what + " " + why +
                      " (expected a numeric array as Keras writes it)");
  };
  const Datatype* number = &type;
  if (type.cls == Datatype::kEnum) {
    // h5py's bool: an enum over a 1-byte integer.
    if (!type.base || type.base->cls != Datatype::kFixed || type.base->size != 1 || type.size != 1)
      throw bad_type("is an enum that is not h5py's bool");
    is_bool_ = true;
    dtype_ = DType::Bool;
  } else if (type.cls == Datatype::kFixed) {
    if (!type.standard) throw bad_type("has an integer type with padding bits");
    switch (type.size) {
      case 1:
        dtype_ = type.is_signed ? DType::Int8 : DType::UInt8;
        break;
      case 2:
        dtype_ = type.is_signed ? DType::Int16 : DType::UInt16;
        break;
      case 4:
        dtype_ = type.is_signed ? DType::Int32 : DType::UInt32;
        break;
      case 8:
        dtype_ = type.is_signed ? DType::Int64 : DType::UInt64;
        break;
      default:
        throw bad_type("has an integer type of " + std::to_string(type.size) + " bytes");
    }
  } else if (type.cls == Datatype::kFloat) {
    if (!type.standard)
      throw bad_type("has a float type of " + std::to_string(type.size) +
                     " bytes that is not IEEE half, single or double precision");
    dtype_ = type.size == 2 ? DType::Float16 : (type.size == 4 ? DType::Float32 : DType::Float64);
  } else if (type.cls == Datatype::kOpaque) {
    auto marker = string_attribute_of(*file_, h, location_, "dtype");
    if (type.size != 2 || !marker || *marker != "bfloat16")
      throw bad_type("has an opaque type that is not Keras's bfloat16");
    dtype_ = DType::BFloat16;
  } else {
    throw bad_type("has a non-numeric type (" + type.describe() + ")");
  }
  big_endian_ = number->big_endian && type.size > 1;

  // Storage.
  uint64_t item = element_size(dtype_);
  if (elements > std::numeric_limits<uint64_t>::max() / item)
    throw ValueError("Not allowed: H5 " + what + " declares an impossibly large shape " +
                     shape_.to_string());
  uint64_t declared = elements * item;
  const Message& layout_msg = message(format::kLayout, "layout");
  Cursor lc = file_->cursor(layout_msg.data, "the layout of " + what);
  format::Layout layout = format::parse_layout(lc);
  switch (layout.kind) {
    case format::Layout::Kind::Virtual:
      throw ValueError("Not allowed: H5 file with virtual Dataset at " + what);
    case format::Layout::Kind::Chunked:
      if (declared > kBombFloorBytes)
        throw ValueError("Not allowed: H5 " + what + " declares " + std::to_string(declared) +
                         " bytes in chunked storage; refusing to load a potential "
                         "decompression/shape bomb.");
      throw ValueError("Unsupported H5 file: " + what +
                       " uses chunked storage (compression or resizable datasets); keras-cpp "
                       "reads the contiguous and compact datasets that Keras writes");
    case format::Layout::Kind::Compact:
      if (layout.compact.size() != declared)
        throw ValueError("Invalid H5 file: " + what + " stores " +
                         std::to_string(layout.compact.size()) + " bytes, its shape " +
                         shape_.to_string() + " needs " + std::to_string(declared));
      storage_ = Storage::Compact;
      inline_bytes_ = std::move(layout.compact);
      break;
    case format::Layout::Kind::Contiguous: {
      if (file_->is_undefined(layout.address)) {
        // Never written: the elements read as the fill value (zeros unless one is defined).
        storage_ = Storage::Fill;
        inline_bytes_.assign(static_cast<size_t>(item), 0);
        for (uint16_t t : {format::kFillValue, format::kFillValueOld}) {
          if (const Message* m = h.find(t)) {
            Cursor fc = file_->cursor(m->data, "the fill value of " + what);
            format::FillValue fill = format::parse_fill_value(fc, t == format::kFillValueOld);
            if (fill.defined && fill.value.size() == item) inline_bytes_ = fill.value;
            break;
          }
        }
        if (declared > kBombFloorBytes)
          throw ValueError("Not allowed: H5 " + what + " declares " + std::to_string(declared) +
                           " bytes but only 0 are stored on disk; refusing to load a potential "
                           "decompression/shape bomb.");
        break;
      }
      if (layout.has_size && layout.size != declared)
        throw ValueError("Invalid H5 file: " + what + " stores " + std::to_string(layout.size) +
                         " bytes, its shape " + shape_.to_string() + " and type need " +
                         std::to_string(declared));
      const ByteSource& src = file_->source();
      uint64_t base = file_->superblock().base;
      if (layout.address > src.size() - base || !src.contains(base + layout.address, declared))
        throw ValueError("Invalid H5 file: the data of " + what + " (" + std::to_string(declared) +
                         " bytes at address " + std::to_string(layout.address) +
                         ") lies outside the file");
      storage_ = Storage::File;
      data_address_ = layout.address;
      break;
    }
  }
}

uint64_t ReadDataset::address() const { return header_->address; }

std::vector<std::string> ReadDataset::attribute_names() const {
  return attribute_names_of(*file_, *header_, location_);
}

std::optional<std::string> ReadDataset::string_attribute(const std::string& name) const {
  return string_attribute_of(*file_, *header_, location_, name);
}

void ReadDataset::read(void* dst, size_t bytes) const {
  const size_t item = element_size(dtype_);
  uint64_t want = static_cast<uint64_t>(shape_.num_elements()) * item;
  if (bytes != want)
    throw ValueError("h5: reading dataset " + location_.describe() + " needs " +
                     std::to_string(want) + " bytes, got a buffer of " + std::to_string(bytes));
  if (want == 0) return;
  auto* out = static_cast<uint8_t*>(dst);
  switch (storage_) {
    case Storage::File:
      file_->read(data_address_, out, bytes, "the data of dataset " + location_.describe());
      break;
    case Storage::Compact:
      std::memcpy(out, inline_bytes_.data(), bytes);
      break;
    case Storage::Fill:
      for (size_t i = 0; i < bytes; i += item) std::memcpy(out + i, inline_bytes_.data(), item);
      break;
  }
  if (big_endian_)
    for (size_t i = 0; i < bytes; i += item) std::reverse(out + i, out + i + item);
  if (is_bool_)
    for (size_t i = 0; i < bytes; ++i) out[i] = out[i] != 0;
}

// ---- ReadFile ----

ReadFile ReadFile::open(const std::string& path) {
  return ReadFile(open_context(ByteSource::file(path), path));
}

ReadFile ReadFile::from_image(std::string bytes, const std::string& description) {
  return ReadFile(open_context(ByteSource::memory(std::move(bytes)), description));
}

ReadGroup ReadFile::root() const {
  return ReadGroup(file_, file_->superblock().root_address, Location{file_->name(), "/"});
}

const std::string& ReadFile::name() const { return file_->name(); }

// ---- describe ----

std::vector<TreeEntry> describe(const ReadFile& file) {
  std::vector<TreeEntry> out;
  ReadGroup root = file.root();
  std::set<uint64_t> seen{root.address()};
  describe_tree(root, out, [&](const ReadGroup& g) { return seen.insert(g.address()).second; });
  return out;
}

}  // namespace keras::saving::h5
