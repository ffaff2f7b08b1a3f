// Fuzz target for the HDF5 weights reader (src/saving/h5): opens the input as an in-memory HDF5
// file image and walks every group and dataset the way loading a weights file does (link kinds,
// object kinds, the dataset checks, the bfloat16 marker of opaque datasets) and reads every
// dataset of at most 1 MiB. Only keras::Error may escape the reader.
//
// Group attributes (the `name` strings) are not read: loading never reads them, and libhdf5
// 1.10.8 itself can loop forever reading a variable-length string from a corrupted global heap
// (found by this target; see fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "keras/core/errors.hpp"
#include "saving/h5/h5.hpp"

namespace h5 = keras::saving::h5;

namespace {

void walk(const h5::Group& g, int depth) {
  if (depth > 16) return;
  for (const std::string& name : g.member_names()) {
    try {
      if (g.link_kind(name) != h5::LinkKind::Hard) continue;
      switch (g.object_kind(name)) {
        case h5::ObjectKind::Group:
          walk(g.open_group(name), depth + 1);
          break;
        case h5::ObjectKind::Dataset: {
          h5::Dataset d = g.open_dataset(name);
          int64_t n = d.shape().num_elements();
          size_t bytes = 0;
          switch (d.dtype()) {
            case keras::DType::Bool:
            case keras::DType::Int8:
            case keras::DType::UInt8:
              bytes = 1;
              break;
            case keras::DType::Int16:
            case keras::DType::UInt16:
            case keras::DType::Float16:
            case keras::DType::BFloat16:
              bytes = 2;
              break;
            case keras::DType::Int32:
            case keras::DType::UInt32:
            case keras::DType::Float32:
              bytes = 4;
              break;
            default:
              bytes = 8;
              break;
          }
          if (n >= 0 && static_cast<uint64_t>(n) <= (uint64_t{1} << 20) / bytes) {
            std::vector<uint8_t> buffer(static_cast<size_t>(n) * bytes);
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

// libhdf5 (not instrumented) leaks small blocks on some of its own error paths when a file is
// corrupt; LeakSanitizer is told to ignore allocations made inside it.
extern "C" const char* __lsan_default_suppressions() { return "leak:libhdf5_serial.so\n"; }
// libhdf5 trusts sizes read from the file and may ask malloc for terabytes; in a normal build
// malloc returns null and HDF5 reports an error, so the sanitized build must do the same.
extern "C" const char* __asan_default_options() { return "allocator_may_return_null=1"; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    std::lock_guard lock(h5::lock());
    h5::File file = h5::File::open_image(bytes, "fuzz input");
    walk(file.root(), 0);
  } catch (const keras::Error&) {
  }
  return 0;
}
