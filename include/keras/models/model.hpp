#pragma once
// keras::Model (keras/src/models/model.py, functional.py; training API in trainer.hpp).
//
// ModelImpl is both Keras's Functional model (built from inputs and outputs) and the base of
// subclassed models (override call()). keras::Model is its holder:
//
//   auto model = keras::Model({image, meta}, {cls, reg});   // Functional
//   model.compile({...});  model.fit(x, y, {...});          // training API through the holder
//
//   class MyModelImpl : public keras::ModelImpl { ... call() ... };
//   KERAS_MODEL(MyModel);
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/layers/layer.hpp"
#include "keras/layers/node.hpp"
#include "keras/trainers/trainer.hpp"

namespace keras {

struct ModelOptions {
  std::string name;  // default "functional" / the snake_case class name
  bool trainable = true;
  std::optional<DType> dtype;
};

class ModelImpl : public LayerImpl, public Trainer {
 public:
  using Options = ModelOptions;
  // A subclassed model: override call().
  explicit ModelImpl(ModelOptions options = {});
  // A Functional model from symbolic inputs (keras::Input) and the outputs computed from them.
  ModelImpl(std::vector<Tensor> inputs, std::vector<Tensor> outputs, ModelOptions options = {});

  std::string class_name() const override;
  std::string module() const override;
  std::string registered_name() const override;
  bool is_functional() const { return !graph_nodes_.empty(); }

  // ---- the graph (Functional) ----
  const std::vector<Tensor>& inputs() const { return inputs_; }
  const std::vector<Tensor>& outputs() const { return outputs_; }
  // Names of the output layers, in output order (used by compile's per-output losses).
  std::vector<std::string> output_names() const;
  // Whether `inputs` / `outputs` were given as one tensor rather than a list (Keras's
  // _inputs_struct / _outputs_struct): Functional configs then write one [layer, node, tensor]
  // triple instead of a list of triples. Model(Tensor, Tensor) sets both.
  bool single_input_struct() const { return single_input_struct_; }
  bool single_output_struct() const { return single_output_struct_; }
  void set_io_structure(bool single_input, bool single_output) {
    single_input_struct_ = single_input && inputs_.size() == 1;
    single_output_struct_ = single_output && outputs_.size() == 1;
  }

  // ---- layers ----
  // Functional: every layer of the graph in execution order, InputLayers included; Sequential:
  // its layers (without the InputLayer). Subclassed: tracked sub-layers.
  virtual std::vector<Layer> layers() const;
  Layer get_layer(const std::string& name) const;
  Layer get_layer(int index) const;
  std::vector<std::shared_ptr<LayerImpl>> sublayers() const override;

  // ---- calling ----
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  // Runs the model: model(x) or model({a, b}).
  using LayerImpl::operator();
  // Builds a subclassed or Sequential model for inputs of this shape (batch included).
  void build(const Shape& input_shape) override;
  void build(const std::vector<Shape>& input_shapes) override;

  // ---- inspection ----
  // Prints Keras's summary table (Layer (type), Output Shape, Param #[, Connected to]).
  void summary(std::ostream& out) const;
  void summary() const;
  Config get_config() const override;
  // build_config and compile_config of the model's envelope (src/models/model_config.cpp):
  // Functional {"input_shape": null}, Sequential its input shape, a subclassed model the
  // shape(s) it was built with; compile_config {} when not compiled.
  // (build_from_config is the layer's: Functional models are built by their constructor.)
  Config get_build_config() const override;
  Config get_compile_config() const override;
  // Compiles the model from a compile_config (no-op for {} / null) and builds the optimizer on
  // the model's trainable variables, so optimizer state can be loaded.
  void compile_from_config(const Config& compile_config) override;

  // ---- weights files (keras/saving/weights.hpp) ----
  // Keras's model.save_weights("x.weights.h5") / load_weights: every variable of the model and,
  // when compiled, of its optimizer, in Keras 3's HDF5 layout. With `max_shard_size` (GB) the
  // weights are sharded behind a ".weights.json" index (keras/saving/weights.hpp).
  void save_weights(const std::string& filepath,
                    std::optional<double> max_shard_size = std::nullopt) const;
  void load_weights(const std::string& filepath, bool skip_mismatch = false);

  // ---- saving (src/saving/keras_file.cpp) ----
  // Writes a Keras 3 `.keras` archive (metadata.json, config.json, model.weights.h5 with the
  // optimizer state when compiled) atomically; the path must end in ".keras". Load it with
  // keras::saving::load_model (keras/saving/saving.hpp).
  void save(const std::string& filepath) const;

  // The Trainer's hooks.
  std::vector<Tensor> forward(const std::vector<Tensor>& inputs, bool training) override;
  std::vector<Variable> model_trainable_variables() const override { return trainable_weights(); }
  std::vector<Variable> model_non_trainable_variables() const override {
    return non_trainable_weights();
  }
  std::vector<Tensor> model_losses() const override { return losses(); }
  void model_apply_constraints() override { apply_constraints(); }
  std::string model_name() const override { return name(); }
  size_t model_num_inputs() const override { return inputs_.empty() ? 1 : inputs_.size(); }

 protected:
  // For summary(): (row label, output shape text, params, connected-to text) per layer.
  struct SummaryRow {
    std::string label;
    std::string output_shape;
    int64_t params;
    std::string connected_to;
  };
  virtual std::vector<SummaryRow> summary_rows() const;

 private:
  void build_graph();

  std::vector<Tensor> inputs_;
  std::vector<Tensor> outputs_;
  std::vector<std::shared_ptr<Node>> graph_nodes_;  // execution order, InputLayer nodes first
  std::vector<std::shared_ptr<LayerImpl>> graph_layers_;
  bool single_input_struct_ = false;
  bool single_output_struct_ = false;

 public:
  // The graph's nodes in execution order (InputLayer nodes first); empty for non-Functional.
  const std::vector<std::shared_ptr<Node>>& graph_nodes() const { return graph_nodes_; }
};

// The holder of a model (any ModelImpl): layer call operators plus the training API.
template <class Impl>
class ModelHolder : public LayerHolder<Impl> {
 public:
  using LayerHolder<Impl>::LayerHolder;
  using LayerHolder<Impl>::operator();
  template <class Other>
  requires std::derived_from<Other, Impl> ModelHolder(const LayerHolder<Other>& other)
      : LayerHolder<Impl>(other.ptr()) {}  // NOLINT

  void compile(CompileOptions options = {}) const { this->checked().compile(std::move(options)); }
  History fit(const Tensor& x, const Tensor& y, FitOptions options = {}) const {
    return this->checked().fit(x, y, std::move(options));
  }
  History fit(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
              FitOptions options = {}) const {
    return this->checked().fit(x, y, std::move(options));
  }
  Logs evaluate(const Tensor& x, const Tensor& y, EvaluateOptions options = {}) const {
    return this->checked().evaluate(x, y, std::move(options));
  }
  Logs evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                EvaluateOptions options = {}) const {
    return this->checked().evaluate(x, y, std::move(options));
  }
  Tensor predict(const Tensor& x, PredictOptions options = {}) const {
    return this->checked().predict(x, std::move(options));
  }
  std::vector<Tensor> predict(const std::vector<Tensor>& x, PredictOptions options = {}) const {
    return this->checked().predict(x, std::move(options));
  }
  History fit(const data::Dataset& dataset, FitOptions options = {}) const {
    return this->checked().fit(dataset, std::move(options));
  }
  Logs evaluate(const data::Dataset& dataset, EvaluateOptions options = {}) const {
    return this->checked().evaluate(dataset, std::move(options));
  }
  std::vector<Tensor> predict(const data::Dataset& dataset, PredictOptions options = {}) const {
    return this->checked().predict(dataset, std::move(options));
  }
  Logs train_on_batch(const Tensor& x, const Tensor& y) const {
    return this->checked().train_on_batch(x, y);
  }
  Logs test_on_batch(const Tensor& x, const Tensor& y) const {
    return this->checked().test_on_batch(x, y);
  }
  Tensor predict_on_batch(const Tensor& x) const { return this->checked().predict_on_batch(x); }
  void summary() const { this->checked().summary(); }
  void summary(std::ostream& out) const { this->checked().summary(out); }
  std::vector<Layer> layers() const { return this->checked().layers(); }
  Layer get_layer(const std::string& name) const { return this->checked().get_layer(name); }
  Layer get_layer(int index) const { return this->checked().get_layer(index); }
  std::vector<Variable> trainable_variables() const {
    return this->checked().trainable_variables();
  }
  std::vector<Variable> non_trainable_variables() const {
    return this->checked().non_trainable_variables();
  }
  std::vector<Variable> weights() const { return this->checked().weights(); }
  std::vector<Tensor> get_weights() const { return this->checked().get_weights(); }
  void set_weights(const std::vector<Tensor>& w) const { this->checked().set_weights(w); }
  int64_t count_params() const { return this->checked().count_params(); }
  void save_weights(const std::string& filepath,
                    std::optional<double> max_shard_size = std::nullopt) const {
    this->checked().save_weights(filepath, max_shard_size);
  }
  void load_weights(const std::string& filepath, bool skip_mismatch = false) const {
    this->checked().load_weights(filepath, skip_mismatch);
  }
  const std::string& name() const { return this->checked().name(); }
  void save(const std::string& filepath) const { this->checked().save(filepath); }
};

// keras::Model: a Functional model from inputs and outputs, or a holder of any model.
class Model : public ModelHolder<ModelImpl> {
 public:
  using ModelHolder<ModelImpl>::ModelHolder;
  Model(std::vector<Tensor> inputs, std::vector<Tensor> outputs, ModelOptions options = {});
  Model(const Tensor& input, const Tensor& output, ModelOptions options = {});
};

}  // namespace keras

// Declares holder `Name` for a subclassed model `NameImpl` (see KERAS_LAYER). The holder does not
// inherit constructors: C++17 would inherit the base holder's default constructor, which makes an
// empty holder, and `Name model;` must construct a model.
#define KERAS_MODEL(Name)                                                    \
  class Name : public ::keras::ModelHolder<Name##Impl> {                     \
   public:                                                                   \
    explicit Name(std::shared_ptr<Name##Impl> impl)                          \
        : ::keras::ModelHolder<Name##Impl>(std::move(impl)) {}               \
    template <class KerasImpl = Name##Impl>                                  \
    requires std::default_initializable<KerasImpl> Name()                    \
        : ::keras::ModelHolder<Name##Impl>(std::make_shared<KerasImpl>()) {} \
    template <class KerasArg, class... Args>                                 \
    requires std::constructible_from<Name##Impl, KerasArg, Args...>          \
    explicit Name(KerasArg&& arg, Args&&... args)                            \
        : ::keras::ModelHolder<Name##Impl>(std::make_shared<Name##Impl>(     \
              std::forward<KerasArg>(arg), std::forward<Args>(args)...)) {}  \
  }
