#pragma once
// The layer contract (keras/src/layers/layer.py).
//
// Ownership: a layer can be called in several places of a Functional graph and be part of several
// models, so layers are shared objects. As in LibTorch, each layer has an implementation class
// (`layers::DenseImpl`, derived from keras::LayerImpl) and a holder with the Keras name
// (`layers::Dense`) that owns it through a std::shared_ptr: copies of a holder are the same layer.
//
//   auto hidden = layers::Dense({.units = 32, .activation = "relu"});  // a holder
//   auto h = hidden(hidden(x));                                         // one layer, called twice
//   hidden->kernel();                                                   // the implementation
//
// A custom layer derives from LayerImpl and gets its holder from KERAS_LAYER:
//
//   class RMSNormImpl : public keras::LayerImpl { ... };
//   KERAS_LAYER(RMSNorm);   // keras::Layer-like holder `RMSNorm` constructible like RMSNormImpl
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/core/fixed_string.hpp"
#include "keras/core/tensor.hpp"
#include "keras/core/variable.hpp"
#include "keras/serialization/config.hpp"
#include "keras/serialization/object_ref.hpp"

namespace keras {

namespace initializers {
class Initializer;
}
namespace regularizers {
class Regularizer;
}
namespace constraints {
class Constraint;
}

// The base Layer keywords of Keras (`**kwargs`): name, dtype, trainable, activity_regularizer.
struct LayerOptions {
  std::string name;            // default: snake_case class name, made unique ("dense_1")
  std::optional<DType> dtype;  // of variables and computation; default floatx
  bool trainable = true;
  saving::ObjectRef<regularizers::Regularizer> activity_regularizer;
};

// What call() receives besides its inputs.
// Masks (Keras's `mask` argument): `mask` is the previous mask of Keras's __call__ (CallArgs.mask,
// else the keras_mask() of the first input); `masks` holds one entry per input (CallArgs.masks,
// else each input's keras_mask(), with masks[0] == mask), for layers with several masked inputs
// (merging, attention). Undefined entries: no mask.
struct CallContext {
  bool training = false;
  Tensor mask;  // undefined: no mask
  std::vector<Tensor> masks;
};

// What a caller may pass when calling a layer: `layer(x, {.training = true})`.
struct CallArgs {
  std::optional<bool> training;  // unset: inherit from the enclosing call (false at top level)
  Tensor mask;                   // unset: the first input's keras_mask()
  std::vector<Tensor> masks;     // one per input (Keras's `mask=[...]`); unset: keras_mask()s
};

// add_weight's arguments, in Keras's order.
struct WeightOptions {
  Shape shape;
  // Default: "glorot_uniform" for floating dtypes, "zeros" otherwise (Keras's add_weight).
  saving::ObjectRef<initializers::Initializer> initializer;
  std::optional<DType> dtype;  // default: the layer's dtype
  bool trainable = true;
  saving::ObjectRef<regularizers::Regularizer> regularizer;
  saving::ObjectRef<constraints::Constraint> constraint;
  std::string name;
};

class LayerImpl : public std::enable_shared_from_this<LayerImpl> {
 public:
  static constexpr const char* kFamily = "layer";

  explicit LayerImpl(LayerOptions options = {});
  virtual ~LayerImpl();
  LayerImpl(const LayerImpl&) = delete;
  LayerImpl& operator=(const LayerImpl&) = delete;

  // ---- identity ----
  // The Keras class name ("Dense"), used for config.json and automatic names.
  virtual std::string class_name() const = 0;
  // The Python module written in config envelopes ("keras.layers").
  virtual std::string module() const { return "keras.layers"; }
  const std::string& name() const {
    ensure_named();
    return name_;
  }
  // Gives the layer its automatic name if it has none yet. Holders call it right after
  // construction (class_name() is virtual, so the base constructor cannot), so names follow
  // construction order as in Keras.
  void ensure_named() const;
  DType dtype() const { return dtype_; }
  DType compute_dtype() const { return dtype_; }
  bool trainable() const { return trainable_; }
  // Sets the flag on this layer, its trainable variables and its sub-layers, as Keras does.
  virtual void set_trainable(bool trainable);

  // ---- building ----
  // Creates the variables for inputs of the given shape (batch dimension included, possibly
  // unknown). Single-input layers override build(const Shape&); layers with several inputs
  // override the vector form. Called automatically on the first call.
  virtual void build(const Shape& input_shape);
  virtual void build(const std::vector<Shape>& input_shapes);
  bool built() const { return built_; }
  // The shapes build() was called with (Keras's build_config), empty if not built by a call.
  const std::vector<Shape>& build_shapes() const { return build_shapes_; }
  // Builds if needed (records the shapes); what calling does first.
  void maybe_build(const std::vector<Shape>& input_shapes);

  // ---- calling ----
  // Single-input, single-output layers override this.
  virtual Tensor call(const Tensor& inputs, const CallContext& context);
  // Layers with several inputs or outputs override this one; by default it forwards a single
  // input to call(const Tensor&, ...).
  virtual std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context);
  // Keras's __call__: validates, builds on first use, casts floating inputs to the compute dtype,
  // runs call() (symbolically for symbolic inputs, recording the Functional graph) and collects
  // activity regularization. Returns every output.
  std::vector<Tensor> invoke(const std::vector<Tensor>& inputs, const CallArgs& args = {});
  // The single output (ValueError if the layer returns several: use invoke()).
  Tensor operator()(const Tensor& inputs, const CallArgs& args = {});
  Tensor operator()(const std::vector<Tensor>& inputs, const CallArgs& args = {});

  // Output shapes for input shapes: by default, a symbolic call.
  virtual std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes);
  Shape compute_output_shape(const Shape& input_shape);

  // ---- masking ----
  // When true, invoke() attaches compute_masks()'s results to the outputs (keras_mask()).
  bool supports_masking() const { return supports_masking_; }
  void set_supports_masking(bool value) { supports_masking_ = value; }
  // The mask of the (first) output: by default the input mask.
  virtual Tensor compute_mask(const std::vector<Tensor>& inputs, const Tensor& mask) const;
  // The masks of all outputs from the masks of all inputs (masks[0] is the previous mask; entries
  // may be undefined); missing or undefined results: no mask. Layers with several masked inputs
  // (merging) override this; by default {compute_mask(inputs, masks[0])}.
  virtual std::vector<Tensor> compute_masks(const std::vector<Tensor>& inputs,
                                            const std::vector<Tensor>& masks) const;

  // ---- weights ----
  Variable add_weight(WeightOptions options);
  // Own then sub-layers' weights, trainable list before non-trainable list at each level,
  // deduplicated (Keras's `weights`).
  std::vector<Variable> weights() const;
  std::vector<Variable> trainable_weights() const;
  std::vector<Variable> non_trainable_weights() const;
  std::vector<Variable> trainable_variables() const { return trainable_weights(); }
  std::vector<Variable> non_trainable_variables() const { return non_trainable_weights(); }
  // This layer's own variables in save order: trainable, then non-trainable, creation order.
  std::vector<Variable> own_variables() const;
  std::vector<Tensor> get_weights() const;
  // Assigns every weight; ValueError naming the layer on a count or shape mismatch.
  void set_weights(const std::vector<Tensor>& values);
  int64_t count_params() const;

  // ---- sub-layers ----
  // Registers a sub-layer under `attribute` (Keras's attribute name, which becomes its path in
  // weight files, e.g. "cell", "_query_dense"). Returns it for convenience.
  template <class Holder>
  Holder track(const std::string& attribute, Holder layer) {
    track_layer(attribute, layer.ptr());
    return layer;
  }
  void track_layer(const std::string& attribute, std::shared_ptr<LayerImpl> layer);
  // Direct sub-layers with their attribute names, in tracking order.
  const std::vector<std::pair<std::string, std::shared_ptr<LayerImpl>>>& tracked_layers() const {
    return sublayers_;
  }
  // Direct sub-layers (Keras's `_layers`): for models, the model's layers.
  virtual std::vector<std::shared_ptr<LayerImpl>> sublayers() const;

  // ---- losses ----
  // Adds a loss (a scalar) produced by the current call, e.g. an activity regularizer.
  void add_loss(const Tensor& loss);
  // Losses added during the last call of this layer and its sub-layers, plus the weight
  // regularization penalties (recomputed from the current weights).
  std::vector<Tensor> losses() const;
  void clear_losses();

  // ---- serialization ----
  // Keras's get_config: {"name", "trainable", "dtype", ...}; subclasses extend it with merge().
  virtual Config get_config() const;
  // The registered name for user classes ("my_package>RMSNorm"), empty for Keras classes.
  virtual std::string registered_name() const { return ""; }
  // Keras's get_build_config / build_from_config (src/layers/registration.cpp): {"input_shape":
  // ...} or {"shapes_dict": {...}} from the shapes the layer was built with, null when not
  // written. Virtual so that models (a lower tier cannot see them) write and read their own.
  virtual Config get_build_config() const;
  virtual void build_from_config(const Config& build_config);
  // Keras's Trainer.get_compile_config / compile_from_config: null / nothing for layers;
  // ModelImpl overrides them (src/models/model_config.cpp).
  virtual Config get_compile_config() const { return nullptr; }
  virtual void compile_from_config(const Config& /*compile_config*/) {}

  // A shared pointer to this layer (throws if it is not owned by a holder / shared_ptr).
  std::shared_ptr<LayerImpl> shared();

  // The dtype-policy envelope Keras writes in configs.
  Config dtype_policy_config() const;
  static Config merge(Config base, const Config& extra);

 protected:
  // Layers whose behaviour depends on `training` at the symbolic level (e.g. BatchNormalization)
  // can read the inherited flag through CallContext; nothing else is needed here.
  const LayerOptions& base_options() const { return options_; }
  // Marks the layer built for these input shapes (what maybe_build does after build()); for
  // models whose build() is called directly, as Keras's build wrapper marks them.
  void mark_built(std::vector<Shape> input_shapes) {
    build_shapes_ = std::move(input_shapes);
    built_ = true;
  }

 private:
  struct WeightEntry {
    Variable variable;
    saving::ObjectRef<regularizers::Regularizer> regularizer;
    saving::ObjectRef<constraints::Constraint> constraint;
  };
  friend class LayerWeightAccess;

  LayerOptions options_;
  mutable std::string name_;
  DType dtype_;
  bool trainable_ = true;
  bool built_ = false;
  bool supports_masking_ = false;
  std::vector<Shape> build_shapes_;
  std::vector<WeightEntry> trainable_entries_;
  std::vector<WeightEntry> non_trainable_entries_;
  std::vector<std::pair<std::string, std::shared_ptr<LayerImpl>>> sublayers_;
  std::vector<Tensor> call_losses_;

 public:
  // Applies weight constraints after an optimizer step (Keras's optimizer does this per variable).
  void apply_constraints();
};

// A holder: shared ownership of a layer implementation, with the call operators.
template <class Impl>
class LayerHolder {
 public:
  using ImplType = Impl;
  LayerHolder() = default;
  explicit LayerHolder(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {
    if (impl_) impl_->ensure_named();
  }
  template <class Other>
  requires std::derived_from<Other, Impl> LayerHolder(const LayerHolder<Other>& other)
      : impl_(other.ptr()) {}  // NOLINT: upcast

  Impl* operator->() const { return &checked(); }
  Impl& operator*() const { return checked(); }
  const std::shared_ptr<Impl>& ptr() const { return impl_; }
  explicit operator bool() const { return impl_ != nullptr; }

  Tensor operator()(const Tensor& x, const CallArgs& args = {}) const { return checked()(x, args); }
  Tensor operator()(const std::vector<Tensor>& xs, const CallArgs& args = {}) const {
    return checked()(xs, args);
  }
  std::vector<Tensor> invoke(const std::vector<Tensor>& xs, const CallArgs& args = {}) const {
    return checked().invoke(xs, args);
  }

 protected:
  Impl& checked() const {
    if (!impl_) throw ValueError("Layer: the layer holder is empty (default-constructed)");
    return *impl_;
  }
  std::shared_ptr<Impl> impl_;
};

// The base keywords (name, dtype, trainable) of an options struct that ends with
// KERAS_BASE_LAYER_OPTIONS.
template <class O>
LayerOptions layer_options(const O& o) {
  return LayerOptions{.name = o.name, .dtype = o.dtype, .trainable = o.trainable};
}

// The common shape of a layer: Keras class `Name`, constructed from `OptionsT` and keeping it.
//
//   class ELUImpl : public LayerWith<ELUOptions, "ELU"> { ... };
template <class OptionsT, FixedString Name>
class LayerWith : public LayerImpl {
 public:
  using Options = OptionsT;
  explicit LayerWith(Options options)
      : LayerImpl(layer_options(options)), options_(std::move(options)) {}
  std::string class_name() const override { return Name.str(); }
  const Options& options() const { return options_; }

 protected:
  Options options_;
};

// The type-erased holder: any layer.
using Layer = LayerHolder<LayerImpl>;

// Makes a holder from an implementation's constructor arguments.
template <class Impl, class... Args>
LayerHolder<Impl> make_layer(Args&&... args) {
  return LayerHolder<Impl>(std::make_shared<Impl>(std::forward<Args>(args)...));
}

}  // namespace keras

// Declares holder `Name` for implementation `NameImpl`. `NameImpl` declares `using Options = ...`
// (its options struct) and a constructor taking it: `Name({.units = 3})` then builds the layer.
// Implementations with other constructors are made with keras::make_layer<NameImpl>(args...).
// (No inherited constructors: C++17 would inherit the empty-holder default constructor.)
#define KERAS_LAYER(Name)                                                                       \
  class Name : public ::keras::LayerHolder<Name##Impl> {                                        \
   public:                                                                                      \
    explicit Name(std::shared_ptr<Name##Impl> impl)                                             \
        : ::keras::LayerHolder<Name##Impl>(std::move(impl)) {}                                  \
    template <class KerasOptions = typename Name##Impl::Options>                                \
    explicit Name(KerasOptions options = {})                                                    \
        : ::keras::LayerHolder<Name##Impl>(std::make_shared<Name##Impl>(std::move(options))) {} \
  }

// KERAS_LAYER for an implementation type that has another name (an instance of a family's class
// template): declares NameImpl = the type, NameOptions = its Options, and the holder Name.
//   KERAS_LAYER_OF(Cropping2D, CroppingImpl<2>);
#define KERAS_LAYER_OF(Name, ...)            \
  using Name##Impl = __VA_ARGS__;            \
  using Name##Options = Name##Impl::Options; \
  KERAS_LAYER(Name)
