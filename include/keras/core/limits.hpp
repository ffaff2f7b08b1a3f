#pragma once
// Resource limits applied to models that come from a file (keras::saving::load_model and
// deserialize_model); models built in C++ are trusted and never checked.
//
// max_activation_bytes: the largest intermediate tensor (a layer's output) a loaded model may
// produce. load_model checks every layer output at batch size 1 (unknown dimensions as 1);
// predict / evaluate / fit / *_on_batch check it again for the actual batch size before the first
// batch runs. A config such as RepeatVector(n=10**8) or UpSampling2D(size=5000) is then a
// ValueError naming the layer instead of an allocation that takes the process down.
// First match wins: set_max_activation_bytes() called by the program, the
// KERAS_MAX_ACTIVATION_BYTES environment variable (a positive integer number of bytes), else
// kDefaultMaxActivationBytes.
#include <cstdint>

namespace keras::config {

inline constexpr uint64_t kDefaultMaxActivationBytes = 4ull << 30;  // 4 GiB

// ValueError if KERAS_MAX_ACTIVATION_BYTES is set to something that is not a positive integer.
uint64_t max_activation_bytes();
// `bytes` must be positive (ValueError otherwise); UINT64_MAX turns the check off.
void set_max_activation_bytes(uint64_t bytes);
// Forgets set_max_activation_bytes(): the environment variable or the default applies again.
void reset_max_activation_bytes();

}  // namespace keras::config
