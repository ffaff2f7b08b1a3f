#pragma once
// keras::config: global settings with Python Keras's names and keras.json keys.
//
// The backend is chosen, first match wins: set_backend() called by the program, the
// KERAS_BACKEND environment variable, the "backend" key of $KERAS_HOME/keras.json (default
// ~/.keras/keras.json), else "cpu". floatx, epsilon and image_data_format come from keras.json
// when present, else Keras's defaults ("float32", 1e-7, "channels_last").
#include <cstdint>
#include <string>

#include "keras/core/dtype.hpp"

namespace keras::config {

std::string backend();
void set_backend(const std::string& name);  // throws ValueError listing the built backends

DType floatx();
void set_floatx(DType dtype);  // float16, bfloat16, float32 or float64; else ValueError

double epsilon();
void set_epsilon(double value);

std::string image_data_format();                     // "channels_last" or "channels_first"
void set_image_data_format(const std::string& fmt);  // else ValueError

// The keras.json file that was (or would be) read.
std::string keras_json_path();
// Forgets everything read from the environment and keras.json and every set_* call, so the next
// query reads them again. For tests and for programs that change KERAS_HOME at run time.
void reload();
// A counter that changes whenever a setting may have changed (lets callers cache lookups).
uint64_t generation();

}  // namespace keras::config
