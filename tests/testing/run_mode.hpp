#pragma once
// Whether KERAS_RUN_EAGERLY asks every step to run eagerly (ctest's <suite>_eager runs; by
// default fit's steps are compiled, docs/compiled-steps.md).
#include <cstdlib>
#include <string>

namespace keras::testing {

inline bool steps_run_eagerly() {
  const char* v = std::getenv("KERAS_RUN_EAGERLY");
  return v && *v && std::string(v) != "0";
}

}  // namespace keras::testing
