// libFuzzer target: the `.keras` config parser. The input is the bytes of a config.json; it is
// parsed and deserialized into a model as load_model does (src/saving/keras_file.cpp:
// Config::parse, then saving::deserialize_model with safe_mode on and compile_config applied)
// under a 1 MiB variable budget, so a config bomb must fail with a ValueError instead of
// allocating. A model that loads is serialized and dumped back to JSON. Only keras::Error (and a
// JSON syntax error from Config::parse, which load_model reports as a ValueError) may escape;
// anything else (bad_alloc, out_of_range, nlohmann type errors, a sanitizer report, a hang) is
// a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "keras/core/errors.hpp"
#include "keras/saving/saving.hpp"
#include "keras/utils/naming.hpp"
#include "serialization/variable_budget.hpp"

namespace saving = keras::saving;

// One OpenMP thread: nothing runs on data here, and the fuzzer runs faster without a thread pool.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("OMP_NUM_THREADS", "1", /*overwrite=*/0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  keras::Config config;
  try {
    config = keras::Config::parse(text);
  } catch (const keras::Config::exception&) {  // parse_error, out_of_range (number overflow)
    return 0;                                  // load_model: "`config.json` is not valid JSON"
  }
  if (!config.is_object()) return 0;  // load_model refuses it before deserializing
  keras::clear_session();             // automatic names restart for every input
  try {
    saving::VariableBudget budget(1 << 20, "config_fuzzer's 1 MiB");
    saving::LoadOptions options;  // safe_mode and compile on, as load_model's defaults
    keras::Model model = saving::deserialize_model(config, options);
    std::string again = saving::dump_config_json(saving::serialize_model(*model));
    if (again.empty()) __builtin_trap();
  } catch (const keras::Error&) {
  }
  return 0;
}
