#pragma once
// Keras 3 weights files (`.weights.h5`, and the `model.weights.h5` member of a `.keras` archive),
// read and written exactly as Keras 3 does (keras/src/saving/saving_lib.py, H5IOStore).
//
//   keras::saving::save_weights(*model, "model.weights.h5");   // or model->save_weights(...)
//   keras::saving::load_weights(*other, "model.weights.h5");   // same architecture, built
//
// The HDF5 tree mirrors the model's object tree: `layers/<snake_case class name>[_n]/vars/<i>`
// for the layers of Sequential / Functional models (Functional InputLayers included), sub-layers
// under their Keras attribute names (`.../forward_layer/cell/vars/0`), nested models under their
// own `layers/...`, and the optimizer of a compiled model under `optimizer/vars/<i>`. Every
// visited object gets a `vars` group with a string attribute `name` (its name), even without
// variables. See docs/saving.md.
//
// Loading checks every layer: a missing group, a wrong number of datasets, a wrong shape or a
// non-numeric dataset is a keras::ValueError naming the object path, the layer and the expected
// and found shapes; files that are not HDF5 or are damaged give keras::ValueError / OSError.
#include <optional>
#include <string>

namespace keras {
class ModelImpl;
}

namespace keras::saving {

// Writes every variable of `model` (which must be built) and, when it is compiled, its
// optimizer's variables. The name must end in ".weights.h5" (Keras's rule). The file is written
// atomically (a temporary file in the same directory, renamed onto `filepath`).
// With `max_shard_size` (in GB, Keras's save_weights(..., max_shard_size=...)) the weights are
// split over `<name>_00000.weights.h5`, `<name>_00001.weights.h5`, ... of at most that size,
// indexed by `filepath`, which must end in ".weights.json" (a ".weights.h5" name is renamed to
// ".weights.json" with a warning, as Keras does).
void save_weights(const ModelImpl& model, const std::string& filepath,
                  std::optional<double> max_shard_size = std::nullopt);

// Loads a file written by save_weights (ours or Keras's) into `model`, which must be built with
// the same architecture: a `.weights.h5` file, a sharded `.weights.json` index with its shards,
// or a `.keras` archive (its `model.weights.h5` member).
// Optimizer state is loaded when the model is compiled; an optimizer that has not created its slots
// yet builds them on the model's trainable variables first. With `skip_mismatch`, objects that fail
// to load are reported on stderr and skipped (Keras's skip_mismatch=True); otherwise one ValueError
// lists them.
void load_weights(ModelImpl& model, const std::string& filepath, bool skip_mismatch = false);

// The same HDF5 content as an in-memory file image (the `model.weights.h5` member of `.keras`
// archives). `include_optimizer`: write the optimizer group when the model is compiled.
std::string weights_to_h5_bytes(const ModelImpl& model, bool include_optimizer);
// Loads from an in-memory HDF5 image; `include_optimizer`: also load `optimizer/vars` when the
// model is compiled (otherwise the optimizer group, if any, is ignored).
void load_weights_from_h5_bytes(ModelImpl& model, const std::string& bytes, bool include_optimizer);

}  // namespace keras::saving
