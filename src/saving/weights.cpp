// Keras's H5IOStore (keras/src/saving/saving_lib.py) over the walk in weights_walk.cpp.
#include "keras/saving/weights.hpp"

#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "keras/core/errors.hpp"
#include "keras/models/model.hpp"
#include "keras/ops/ops.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/saving/zip_archive.hpp"
#include "keras/serialization/atomic_file.hpp"
#include "saving/h5/h5.hpp"
#include "saving/h5/reader.hpp"
#include "saving/weights_store.hpp"
#include "saving/weights_walk.hpp"

namespace keras::saving {

namespace {

using detail::Saveable;

void require_built(const ModelImpl& model, bool saving) {
  if (model.built()) return;
  if (saving)
    throw ValueError(
        "You are saving a model that has not yet been built. Try building the model first by "
        "calling it on some data or by using `build()`.");
  throw ValueError(
      "You are loading weights into a model that has not yet been built. Try building the model "
      "first by calling it on some data or by using `build()`.");
}

// ---- writing ----

void write_tree(detail::WeightsSink& sink, const ModelImpl& model, bool include_optimizer) {
  std::vector<uint8_t> buffer;
  for (const Saveable& s : detail::walk_saveables(model, include_optimizer)) {
    // `<path>/vars`, with the object's name as attribute (Keras 3.6+), even without variables.
    sink.make(s.path, s.name);
    std::vector<Variable> variables = s.variables();
    for (size_t i = 0; i < variables.size(); ++i) {
      const Tensor& value = variables[i].value();
      buffer.resize(static_cast<size_t>(value.size()) * dtype_size(value.dtype()));
      if (!buffer.empty()) value.copy_to_host(buffer.data(), buffer.size());
      sink.write(std::to_string(i), buffer.data(), value.shape(), value.dtype());
    }
  }
}

void write_h5(const h5::File& file, const ModelImpl& model, bool include_optimizer) {
  write_tree(*detail::h5_sink(file), model, include_optimizer);
}

// ---- reading ----

// What loading one object needs: its variables and the values read for them.
struct PendingAssign {
  Variable variable;
  Tensor value;
};

class Reader {
 public:
  Reader(detail::WeightsSource& source) : source_(source) {}

  // Reads and checks one object's variables; throws ValueError describing the mismatch.
  std::vector<PendingAssign> read_object(const Saveable& s, const std::vector<Variable>& vars) {
    std::optional<detail::VarsGroup> group = source_.get(s.path);
    std::vector<std::string> keys;
    if (group) {
      keys = group->keys();
      consumed_.insert(group->path);
    }
    std::string where = s.path.empty() ? "/vars" : "/" + s.path + "/vars";
    if (keys.size() != vars.size()) {
      std::string expected;
      for (const Variable& v : vars)
        expected += (expected.empty() ? "'" : ", '") + v.path() + "' " + v.shape().to_string();
      if (s.layer && vars.empty() && !s.layer->built())
        throw ValueError("Layer '" + s.name + "' was never built and thus it doesn't have any " +
                         "variables. However the weights file lists " +
                         std::to_string(keys.size()) + " variables for this layer (at '" + where +
                         "').");
      std::string found;
      for (const std::string& k : keys) found += (found.empty() ? "" : ", ") + k;
      throw ValueError((s.layer ? "Layer '" : "Optimizer '") + s.name + "' expected " +
                       std::to_string(vars.size()) + " variables, but received " +
                       std::to_string(keys.size()) + " variables during loading from '" + where +
                       (group ? "" : "' (missing in the file)") + (group ? "'" : "") +
                       ". Expected: [" + expected + "]" +
                       (group ? ". Found datasets: [" + found + "]" : ""));
    }
    std::vector<PendingAssign> out;
    for (size_t i = 0; i < vars.size(); ++i) {
      const Variable& v = vars[i];
      std::string key = std::to_string(i);
      if (!group->has(key))
        throw ValueError(s.description + ": the weights file has no dataset '" + where + "/" + key +
                         "' for variable '" + v.path() + "' " + v.shape().to_string() +
                         " (found datasets named differently)");
      h5::ReadDataset ds = group->open_dataset(key);
      if (ds.shape() != v.shape())
        throw ValueError(s.description + ": variable '" + v.path() + "' has shape " +
                         v.shape().to_string() + " but the weights file has shape " +
                         ds.shape().to_string() + " at '" + where + "/" + key + "'");
      bool want_float = is_floating(v.dtype());
      bool have_float = is_floating(ds.dtype());
      bool want_bool = v.dtype() == DType::Bool;
      bool have_bool = ds.dtype() == DType::Bool;
      if (want_float != have_float || want_bool != have_bool)
        throw ValueError(s.description + ": variable '" + v.path() + "' is " +
                         std::string(dtype_name(v.dtype())) + " but the weights file stores " +
                         std::string(dtype_name(ds.dtype())) + " at '" + where + "/" + key + "'");
      std::vector<uint8_t> buffer(static_cast<size_t>(ds.shape().num_elements()) *
                                  dtype_size(ds.dtype()));
      ds.read(buffer.data(), buffer.size());
      std::string backend(v.value().backend_name());
      Tensor value = ops::from_buffer(buffer.data(), ds.shape(), ds.dtype(), backend);
      if (value.dtype() != v.dtype()) value = ops::cast(value, v.dtype());
      out.push_back({v, value});
    }
    return out;
  }

  // Number of datasets in the object's vars group (0 when absent).
  size_t stored_count(const std::string& path) {
    auto g = source_.get(path);
    return g ? g->keys().size() : 0;
  }

  // `vars` groups holding datasets that no object of the model read, outside optimizer
  // subtrees (an optimizer that is not loaded is ignored, as Keras does).
  std::vector<std::string> unread_groups() {
    std::vector<std::string> out;
    for (std::string& p : source_.stored_vars_paths())
      if (!consumed_.count(p)) out.push_back(std::move(p));
    return out;
  }

  void mark_consumed(const std::string& path) {
    if (auto g = source_.get(path)) consumed_.insert(g->path);
  }

 private:
  detail::WeightsSource& source_;
  std::set<std::string> consumed_;
};

void read_tree(detail::WeightsSource& source, ModelImpl& model, bool include_optimizer,
               bool skip_mismatch) {
  Reader reader(source);
  std::vector<PendingAssign> assigns;
  std::vector<std::pair<std::string, std::string>> failures;  // (object, message)

  for (const Saveable& s : detail::walk_saveables(model, include_optimizer)) {
    try {
      if (s.optimizer) {
        optimizers::Optimizer& opt = *s.optimizer;
        size_t stored = reader.stored_count(s.path);
        // An optimizer that has not created its slots yet builds them first (Keras builds it
        // when compiling a loaded model), so the saved slots have somewhere to go.
        if (!opt.built() && stored > opt.variables().size()) opt.build(model.trainable_variables());
        std::vector<Variable> vars = opt.variables();
        if (stored != vars.size()) {
          // Keras warns and skips (BaseOptimizer.load_own_variables).
          std::cerr << "keras: Skipping variable loading for optimizer '" << opt.name()
                    << "', because it has " << vars.size()
                    << " variables whereas the saved optimizer has " << stored << " variables.\n";
          reader.mark_consumed(s.path);
          continue;
        }
        for (auto& a : reader.read_object(s, vars)) assigns.push_back(std::move(a));
      } else {
        for (auto& a : reader.read_object(s, s.variables())) assigns.push_back(std::move(a));
      }
    } catch (const Error& e) {
      failures.emplace_back((s.path.empty() ? "/" : s.path) + " (" + s.description + ")", e.what());
    }
  }
  std::vector<std::string> unread = reader.unread_groups();
  if (!unread.empty()) {
    std::string list;
    for (const auto& p : unread) list += (list.empty() ? "" : ", ") + p;
    failures.emplace_back("(file)",
                          "the weights file has variables for objects this model does "
                          "not have: [" +
                              list + "]; it was probably saved from a different architecture");
  }

  if (!failures.empty()) {
    std::string msg = "A total of " + std::to_string(failures.size()) +
                      " objects could not be loaded from '" + source.name() + "':";
    for (const auto& [object, error] : failures) msg += "\n  " + object + ": " + error;
    if (!skip_mismatch) throw ValueError(msg);
    std::cerr << "keras: warning: " << msg << "\n  (skip_mismatch: the others were loaded)\n";
  }
  // Everything was read and checked: assign (a failed load leaves the model unchanged).
  for (auto& a : assigns) a.variable.assign(a.value);
}

}  // namespace

void save_weights(const ModelImpl& model, const std::string& filepath,
                  std::optional<double> max_shard_size) {
  // Keras's saving_api.save_weights / saving_lib.save_weights_only.
  if (!max_shard_size && !filepath.ends_with(".weights.h5"))
    throw ValueError("The filename must end in `.weights.h5`. Received: filepath=" + filepath);
  if (max_shard_size && !filepath.ends_with("weights.h5") && !filepath.ends_with("weights.json"))
    throw ValueError(
        "The filename must end in `.weights.json` when `max_shard_size` is specified. "
        "Received: filepath=" +
        filepath);
  if (max_shard_size && !(*max_shard_size > 0))
    throw ValueError("save_weights: `max_shard_size` must be a positive number of GB. Received: " +
                     std::to_string(*max_shard_size));
  require_built(model, true);
  std::lock_guard lock(h5::lock());
  if (max_shard_size) {
    std::string index = filepath;
    if (!index.ends_with(".json")) {
      // ShardedH5IOStore's rename (with Keras's warning).
      index = std::filesystem::path(filepath).replace_extension(".json").string();
      std::cerr << "keras: warning: Saving sharded weights requires `*.json` as the extension. "
                   "The original path: "
                << filepath << " will be renamed to " << index << ".\n";
    }
    detail::ShardedSink sink(index, *max_shard_size * 1024.0 * 1024.0 * 1024.0);
    write_tree(sink, model, /*include_optimizer=*/true);
    sink.finish();
    return;
  }
  AtomicFile out(filepath);
  {
    h5::File file = h5::File::create(out.temp_path());
    write_h5(file, model, /*include_optimizer=*/true);
    file.close();
  }
  out.commit();
}

void load_weights(ModelImpl& model, const std::string& filepath, bool skip_mismatch) {
  // Keras's saving_api.load_weights dispatch on the file name.
  bool archive = filepath.ends_with(".keras");
  bool sharded = filepath.ends_with(".weights.json");
  if (!archive && !sharded && !filepath.ends_with(".weights.h5")) {
    if (filepath.ends_with(".h5") || filepath.ends_with(".hdf5"))
      throw NotImplementedError(
          "load_weights: legacy Keras 2 `.h5` weights files are not "
          "supported (filepath=" +
          filepath + ")");
    throw ValueError("File format not supported: filepath=" + filepath +
                     ". keras-cpp supports `.weights.h5` and sharded `.weights.json` files and "
                     "`.keras` archives.");
  }
  require_built(model, false);
  std::unique_ptr<detail::WeightsSource> source;
  if (archive) {
    // Only the archive's `model.weights.h5` member is read (Keras's load_weights_only).
    std::string bytes = ZipReader::open(filepath, keras_archive_limits()).read("model.weights.h5");
    source = detail::h5_source(
        h5::ReadFile::from_image(std::move(bytes), "'" + filepath + "' (model.weights.h5)"));
  } else if (sharded) {
    source = detail::sharded_source(filepath);
  } else {
    source = detail::h5_source(h5::ReadFile::open(filepath));
  }
  read_tree(*source, model, /*include_optimizer=*/true, skip_mismatch);
}

std::string weights_to_h5_bytes(const ModelImpl& model, bool include_optimizer) {
  require_built(model, true);
  std::lock_guard lock(h5::lock());
  h5::File file = h5::File::create_in_memory("model.weights.h5");
  write_h5(file, model, include_optimizer);
  return file.image();
}

void load_weights_from_h5_bytes(ModelImpl& model, const std::string& bytes,
                                bool include_optimizer) {
  require_built(model, false);
  auto source = detail::h5_source(h5::ReadFile::from_image(bytes, "model.weights.h5"));
  read_tree(*source, model, include_optimizer, /*skip_mismatch=*/false);
}

}  // namespace keras::saving

namespace keras {

void ModelImpl::save_weights(const std::string& filepath,
                             std::optional<double> max_shard_size) const {
  saving::save_weights(*this, filepath, max_shard_size);
}

void ModelImpl::load_weights(const std::string& filepath, bool skip_mismatch) {
  saving::load_weights(*this, filepath, skip_mismatch);
}

}  // namespace keras
