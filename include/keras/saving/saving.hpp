#pragma once
// Whole-model saving in Keras 3's `.keras` format (keras/src/saving/saving_api.py, saving_lib.py,
// serialization_lib.py): a ZIP archive with metadata.json, config.json and model.weights.h5,
// readable by Python Keras 3 and written the way Keras writes it.
//
//   model->save("model.keras");                         // or keras::saving::save_model(...)
//   keras::Model loaded = keras::saving::load_model("model.keras");
//   loaded.predict(x);                                   // same predictions
//   loaded.fit(x, y);                                    // compiled models resume training
//
// Loading rebuilds the model from config.json (Sequential, Functional with shared layers,
// several inputs/outputs and nested models, registered subclassed models), builds every layer
// from its build_config, compiles it from compile_config (optimizer, loss, metrics,
// loss_weights) when `compile` is true, then reads the weights (and the optimizer state).
//
// Safety (safe_mode, the default): nothing stored in a file is executed; a Python lambda
// (`__lambda__`, e.g. in a `Lambda` layer) is refused with Keras's message. Classes are only
// resolved from keras-cpp's registries and `custom_objects`.
//
// Errors are keras:: exceptions naming the file, the archive member and the config key:
// ValueError for content (bad JSON, missing members, unknown classes, wrong types), OSError
// when the file cannot be read or written. A failed save never replaces an existing file.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "keras/layers/layer.hpp"
#include "keras/models/model.hpp"
#include "keras/serialization/config.hpp"
#include "keras/serialization/load_options.hpp"

namespace keras::saving {

// The Keras version whose format keras-cpp writes (metadata.json's keras_version).
inline constexpr const char* kKerasFormatVersion = "3.15.1";

// Writes `model` (which must be built) to `filepath`, which must end in ".keras". The archive is
// written to a temporary file and renamed onto `filepath` once complete.
void save_model(const ModelImpl& model, const std::string& filepath);
template <class Impl>
void save_model(const LayerHolder<Impl>& model, const std::string& filepath) {
  save_model(*model, filepath);
}

// Loads a `.keras` file (written by keras-cpp or by Python Keras 3).
Model load_model(const std::string& filepath, const LoadOptions& options = {});
// The same from the bytes of a `.keras` archive; `label` names it in error messages.
Model load_model_from_bytes(std::string bytes, const LoadOptions& options = {},
                            const std::string& label = "<in-memory .keras archive>");

// ---- the pieces, for tools and tests ----

// The config.json object of a model: its envelope with build_config and compile_config.
Config serialize_model(const ModelImpl& model);
// A model from a config.json object (no weights). Uses the options' safe_mode,
// custom_objects and compile flag.
Model deserialize_model(const Config& envelope, const LoadOptions& options = {});
// config.json text as Keras writes it: one line, ", " and ": " separators, non-ASCII escaped.
std::string dump_config_json(const Config& config);
// metadata.json text: {"keras_version": ..., "date_saved": "%Y-%m-%d@%H:%M:%S"}.
std::string metadata_json();

// Keras's compile_config for a compiled model ({} when it is not compiled).
Config compile_config(const ModelImpl& model);
// Compiles `model` from a compile_config (no-op for {} / null) and builds the optimizer on the
// model's trainable variables, so optimizer state can be loaded.
void compile_from_config(ModelImpl& model, const Config& compile_config);

// One dataset of an HDF5 weights file: its path ("layers/dense/vars/0"), shape and dtype.
struct WeightsDataset {
  std::string path;
  Shape shape;
  DType dtype;
};
// Every dataset of an HDF5 weights file image (e.g. the model.weights.h5 member), depth-first in
// name order. `label` names the image in error messages.
std::vector<WeightsDataset> list_weights_datasets(const std::string& h5_bytes,
                                                  const std::string& label);

}  // namespace keras::saving
