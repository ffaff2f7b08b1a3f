// libFuzzer target: whole `.keras` models through load_model and predict, as
// `keras-cpp predict` runs an untrusted file. An input is either
//   - a zip archive (starts with "PK"): loaded with load_model_from_bytes, or
//   - a model in parts: a 4-byte little-endian length N, N bytes of config.json, and the rest as
//     model.weights.h5. It is packed into a stored archive (as Keras writes them) before loading,
//     so mutations reach the config and the weights instead of failing the zip CRC check.
// A model that loads predicts on zeros (batch 2; unknown dimensions 3) under the limits a user
// gets (variable budget, activation limit). Only keras::Error may escape; anything else
// (bad_alloc, nlohmann exceptions, a sanitizer report, a hang, more than -rss_limit_mb) is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "keras/core/errors.hpp"
#include "keras/keras.hpp"
#include "keras/saving/zip_archive.hpp"
#include "keras/utils/naming.hpp"

namespace saving = keras::saving;

namespace {

std::string& scratch_path() {
  static std::string path = [] {
    const char* shm = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    return std::string(shm) + "/keras_file_fuzzer." + std::to_string(getpid()) + ".keras";
  }();
  return path;
}
struct RemoveScratch {
  ~RemoveScratch() { unlink(scratch_path().c_str()); }
} remove_scratch;

// Writes the parts form (see above) as a stored archive at scratch_path(); false if malformed.
bool pack_parts(const uint8_t* data, size_t size) {
  if (size < 4) return false;
  uint32_t n;
  std::memcpy(&n, data, 4);
  if (n > size - 4) return false;
  const char* p = reinterpret_cast<const char*>(data) + 4;
  saving::ZipWriter zip(scratch_path());
  zip.add("metadata.json", "{\"keras_version\": \"3.15.1\"}", false);
  zip.add("config.json", std::string(p, n), false);
  zip.add("model.weights.h5", std::string(p + n, size - 4 - n), false);
  zip.commit();
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("OMP_NUM_THREADS", "1", /*overwrite=*/0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  keras::clear_session();
  try {
    bool is_zip = size >= 2 && data[0] == 'P' && data[1] == 'K';
    if (!is_zip && !pack_parts(data, size)) return 0;
    keras::Model model =
        is_zip
            ? saving::load_model_from_bytes(std::string(reinterpret_cast<const char*>(data), size))
            : saving::load_model(scratch_path());
    std::vector<keras::Tensor> xs;
    for (const keras::Tensor& in : model->inputs()) {
      keras::Shape s = in.shape();
      uint64_t elements = 1;
      for (int i = 0; i < s.rank(); ++i) {
        if (s[i] < 0) s[i] = i == 0 ? 2 : 3;
        if (__builtin_mul_overflow(elements, static_cast<uint64_t>(s[i]), &elements)) return 0;
      }
      // The inputs are the harness's own allocation, not the model's: keep them small (a model
      // whose intermediates are too large must fail in predict, under the activation limit).
      if (elements > (16u << 20)) return 0;
      xs.push_back(keras::ops::zeros(s, in.dtype()));
    }
    if (!xs.empty()) model.predict(xs, {.batch_size = 2});
  } catch (const keras::Error&) {
  }
  return 0;
}
