// Fuzz target for the HDF5 reader that loads weights files (src/saving/h5/reader.hpp): opens the
// input as an in-memory HDF5 image and walks it the way loading and `keras-cpp inspect` do (link
// kinds, object kinds, group and dataset attributes, the dataset checks) and reads every dataset
// of at most 1 MiB. Only keras::Error may escape the reader; a crash, a sanitizer report, a leak,
// an allocation over libFuzzer's limit or an input taking over 10 s is a bug in our code.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "keras/core/errors.hpp"
#include "saving/h5/reader.hpp"

namespace h5 = keras::saving::h5;

namespace {

void walk(const h5::ReadGroup& g, std::set<uint64_t>& seen, int depth) {
  if (depth > 64) return;
  try {
    for (const std::string& a : g.attribute_names()) (void)g.string_attribute(a);
  } catch (const keras::Error&) {
  }
  for (const std::string& name : g.member_names()) {
    try {
      if (g.link_kind(name) != h5::LinkKind::Hard) {
        (void)g.open_group(name);  // must refuse
        continue;
      }
      switch (g.object_kind(name)) {
        case h5::ObjectKind::Group: {
          h5::ReadGroup child = g.open_group(name);
          if (seen.insert(child.address()).second) walk(child, seen, depth + 1);
          break;
        }
        case h5::ObjectKind::Dataset: {
          h5::ReadDataset d = g.open_dataset(name);
          for (const std::string& a : d.attribute_names()) (void)d.string_attribute(a);
          uint64_t n = static_cast<uint64_t>(d.shape().num_elements());
          size_t item = h5::element_size(d.dtype());
          if (n <= (uint64_t{1} << 20) / item) {
            std::vector<uint8_t> buffer(static_cast<size_t>(n) * item);
            d.read(buffer.data(), buffer.size());
          }
          break;
        }
        case h5::ObjectKind::Other:
          break;
      }
    } catch (const keras::Error&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    h5::ReadFile file = h5::ReadFile::from_image(std::move(bytes), "fuzz input");
    h5::ReadGroup root = file.root();
    std::set<uint64_t> seen{root.address()};
    walk(root, seen, 0);
  } catch (const keras::Error&) {
  }
  return 0;
}
