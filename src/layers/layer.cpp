#include "keras/layers/layer.hpp"

#include <algorithm>

#include "keras/constraints/constraints.hpp"
#include "keras/core/config.hpp"
#include "keras/initializers/initializers.hpp"
#include "keras/layers/node.hpp"
#include "keras/ops/ops.hpp"
#include "keras/regularizers/regularizers.hpp"
#include "keras/utils/naming.hpp"
#include "serialization/activation_budget.hpp"
#include "serialization/variable_budget.hpp"

namespace keras {
namespace {

// The training flag of the enclosing layer call, inherited by nested calls that do not set it
// (Keras's CallContext).
thread_local std::optional<bool> inherited_training;

struct TrainingScope {
  std::optional<bool> saved;
  explicit TrainingScope(bool training) : saved(inherited_training) {
    inherited_training = training;
  }
  ~TrainingScope() { inherited_training = saved; }
};

std::string shapes_str(const std::vector<Tensor>& xs) {
  std::string s;
  for (const Tensor& x : xs) s += (s.empty() ? "" : ", ") + x.shape().to_string();
  return s;
}

}  // namespace

const KerasHistory* keras_history(const Tensor& x) {
  if (!x.defined()) return nullptr;
  return static_cast<const KerasHistory*>(x.impl()->keras_history.get());
}

namespace {

// A symbolic graph is a chain: a tensor's history holds its node, the node its input tensors,
// their histories the nodes before... Dropping the last handle of a deep model (a Sequential of
// 20,000 layers from a file) would free the chain recursively, one set of stack frames per layer,
// and overflow the stack. Histories are freed through this trampoline instead: a history freed
// while another is being freed is queued and freed by the outermost call, in a loop.
void free_history(KerasHistory* history) noexcept {
  thread_local std::vector<KerasHistory*> pending;
  thread_local bool draining = false;
  if (draining) {
    pending.push_back(history);
    return;
  }
  draining = true;
  delete history;
  while (!pending.empty()) {
    KerasHistory* next = pending.back();
    pending.pop_back();
    delete next;
  }
  draining = false;
}

}  // namespace

void set_keras_history(const Tensor& x, std::shared_ptr<Node> node, int tensor_index) {
  x.impl()->keras_history =
      std::shared_ptr<KerasHistory>(new KerasHistory{std::move(node), tensor_index}, free_history);
}

LayerImpl::LayerImpl(LayerOptions options)
    : options_(std::move(options)),
      name_(options_.name),
      dtype_(options_.dtype.value_or(config::floatx())),
      trainable_(options_.trainable) {
  if (name_.find('/') != std::string::npos)
    throw ValueError("Layer: names may not contain '/', got '" + name_ + "'");
}

LayerImpl::~LayerImpl() = default;

void LayerImpl::ensure_named() const {
  if (name_.empty()) name_ = auto_name(saving::to_snake_case(class_name()));
}

std::shared_ptr<LayerImpl> LayerImpl::shared() {
  try {
    return shared_from_this();
  } catch (const std::bad_weak_ptr&) {
    throw ValueError("Layer '" + name() +
                     "' is not owned by a holder: create layers through their holder "
                     "(layers::Dense(...)) or keras::make_layer<Impl>(...)");
  }
}

void LayerImpl::set_trainable(bool trainable) {
  trainable_ = trainable;
  for (WeightEntry& e : trainable_entries_) e.variable.set_trainable(trainable);
  for (const auto& layer : sublayers()) layer->set_trainable(trainable);
}

// ---- building ----

void LayerImpl::build(const Shape&) {}

void LayerImpl::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() == 1) build(input_shapes[0]);
}

void LayerImpl::maybe_build(const std::vector<Shape>& input_shapes) {
  if (built_) return;
  build_shapes_ = input_shapes;
  build(input_shapes);
  built_ = true;
}

// ---- calling ----

Tensor LayerImpl::call(const Tensor&, const CallContext&) {
  throw NotImplementedError("Layer " + class_name() + " '" + name() +
                            "' does not implement call() for a single input");
}

std::vector<Tensor> LayerImpl::call(const std::vector<Tensor>& inputs, const CallContext& context) {
  if (inputs.size() != 1)
    throw ValueError(class_name() + " '" + name() + "' expects a single input, got " +
                     std::to_string(inputs.size()) + " inputs with shapes " + shapes_str(inputs));
  return {call(inputs[0], context)};
}

std::vector<Tensor> LayerImpl::invoke(const std::vector<Tensor>& inputs, const CallArgs& args) {
  if (inputs.empty())
    throw ValueError(class_name() + " '" + name() + "' was called with no inputs");
  bool symbolic = false;
  std::vector<Shape> shapes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined())
      throw ValueError(class_name() + " '" + name() + "': input " + std::to_string(i) +
                       " is an undefined Tensor");
    symbolic = symbolic || inputs[i].is_symbolic();
    shapes.push_back(inputs[i].shape());
  }
  maybe_build(shapes);

  // Masks (Keras's __call__ step 6): explicit ones, else those attached to the inputs.
  if (!args.masks.empty() && args.masks.size() != inputs.size())
    throw ValueError(class_name() + " '" + name() + "': `masks` has " +
                     std::to_string(args.masks.size()) + " entries for " +
                     std::to_string(inputs.size()) + " inputs");
  std::vector<Tensor> masks = args.masks;
  if (masks.empty())
    for (const Tensor& x : inputs) masks.push_back(x.keras_mask());
  if (args.mask.defined()) masks[0] = args.mask;

  // Floating inputs are computed in the layer's dtype (Keras's autocast); masks stay attached.
  std::vector<Tensor> cast_inputs = inputs;
  for (Tensor& x : cast_inputs)
    if (is_floating(x.dtype()) && x.dtype() != compute_dtype()) {
      Tensor mask = x.keras_mask();
      x = ops::cast(x, compute_dtype());
      if (mask.defined()) x.set_keras_mask(mask);
    }

  CallContext context;
  context.training = args.training.value_or(inherited_training.value_or(false));
  context.mask = masks[0];
  context.masks = masks;
  TrainingScope scope(context.training);
  call_losses_.clear();
  std::vector<Tensor> outputs = call(cast_inputs, context);

  // Output masks (Keras's _set_mask_metadata): computed unless every output already has one.
  std::vector<Tensor> output_masks;
  if (supports_masking_) {
    bool all_set = true;
    for (const Tensor& y : outputs) all_set = all_set && y.defined() && y.keras_mask().defined();
    if (all_set) {
      for (const Tensor& y : outputs)
        output_masks.push_back(y.keras_mask());  // for symbolic copies
    } else {
      output_masks = compute_masks(cast_inputs, masks);
    }
  }

  if (symbolic) {
    // Fresh symbolic tensors for the outputs, so a layer returning its input (Identity,
    // Dropout at inference) does not overwrite the input's own history.
    auto node = std::make_shared<Node>();
    node->layer = shared();
    node->inputs = inputs;
    node->args = args;
    for (size_t i = 0; i < outputs.size(); ++i) {
      // Models from a file: each output's size is checked before anything runs on it.
      saving::charge_activation(class_name() + " '" + name() + "'", outputs[i].shape(),
                                outputs[i].dtype());
      Tensor out = Tensor::symbolic(outputs[i].shape(), outputs[i].dtype());
      node->output_ids.push_back(out.id());
      node->output_shapes.push_back(out.shape());
      node->output_dtypes.push_back(out.dtype());
      outputs[i] = out;
    }
    for (size_t i = 0; i < outputs.size(); ++i)
      set_keras_history(outputs[i], node, static_cast<int>(i));
  } else if (options_.activity_regularizer) {
    for (const Tensor& y : outputs)
      add_loss(ops::divide(
          (*options_.activity_regularizer)(y),
          ops::cast(Tensor(static_cast<double>(y.shape().empty() ? 1 : y.shape()[0])), y.dtype())));
  }
  for (size_t i = 0; i < outputs.size() && i < output_masks.size(); ++i)
    if (output_masks[i].defined() && !outputs[i].keras_mask().defined())
      outputs[i].set_keras_mask(output_masks[i]);
  return outputs;
}

Tensor LayerImpl::operator()(const Tensor& inputs, const CallArgs& args) {
  return (*this)(std::vector<Tensor>{inputs}, args);
}

Tensor LayerImpl::operator()(const std::vector<Tensor>& inputs, const CallArgs& args) {
  std::vector<Tensor> outputs = invoke(inputs, args);
  if (outputs.size() != 1)
    throw ValueError(class_name() + " '" + name() + "' returns " + std::to_string(outputs.size()) +
                     " outputs; use invoke() to get all of them");
  return outputs[0];
}

std::vector<Shape> LayerImpl::compute_output_shape(const std::vector<Shape>& input_shapes) {
  std::vector<Tensor> symbolic;
  for (const Shape& s : input_shapes) symbolic.push_back(Tensor::symbolic(s, compute_dtype()));
  maybe_build(input_shapes);
  std::vector<Tensor> outputs = call(symbolic, CallContext{});
  std::vector<Shape> shapes;
  for (const Tensor& y : outputs) shapes.push_back(y.shape());
  return shapes;
}

Shape LayerImpl::compute_output_shape(const Shape& input_shape) {
  return compute_output_shape(std::vector<Shape>{input_shape}).at(0);
}

Tensor LayerImpl::compute_mask(const std::vector<Tensor>&, const Tensor& mask) const {
  return supports_masking_ ? mask : Tensor();
}

std::vector<Tensor> LayerImpl::compute_masks(const std::vector<Tensor>& inputs,
                                             const std::vector<Tensor>& masks) const {
  return {compute_mask(inputs, masks.empty() ? Tensor() : masks[0])};
}

// ---- weights ----

Variable LayerImpl::add_weight(WeightOptions options) {
  DType dtype = options.dtype.value_or(dtype_);
  std::string name = options.name.empty() ? "variable" : options.name;
  for (int64_t d : options.shape)
    if (d < 0)
      throw ValueError(class_name() + " '" + this->name() + "': add_weight('" + name +
                       "') needs a fully defined shape, got " + options.shape.to_string());
  // While load_model deserializes a config: refuse variables the weights file cannot hold.
  saving::charge_variable(class_name() + " '" + this->name() + "'", name, options.shape, dtype);
  saving::ObjectRef<initializers::Initializer> init = options.initializer;
  if (!init)
    init = is_floating(dtype) ? saving::ObjectRef<initializers::Initializer>("glorot_uniform")
                              : saving::ObjectRef<initializers::Initializer>("zeros");
  Tensor value = (*init)(options.shape, dtype);
  Variable v(value, {.trainable = options.trainable && trainable_, .name = name});
  v.set_path(this->name() + "/" + name);
  WeightEntry entry{v, options.regularizer, options.constraint};
  (options.trainable ? trainable_entries_ : non_trainable_entries_).push_back(std::move(entry));
  return v;
}

std::vector<Variable> LayerImpl::own_variables() const {
  std::vector<Variable> out;
  for (const WeightEntry& e : trainable_entries_) out.push_back(e.variable);
  for (const WeightEntry& e : non_trainable_entries_) out.push_back(e.variable);
  return out;
}

std::vector<std::shared_ptr<LayerImpl>> LayerImpl::sublayers() const {
  std::vector<std::shared_ptr<LayerImpl>> out;
  for (const auto& [attr, layer] : sublayers_) out.push_back(layer);
  return out;
}

std::vector<Variable> LayerImpl::weights() const {
  std::vector<Variable> out;
  auto add = [&](const Variable& v) {
    for (const Variable& w : out)
      if (w.is(v)) return;
    out.push_back(v);
  };
  for (const Variable& v : own_variables()) add(v);
  for (const auto& layer : sublayers())
    for (const Variable& v : layer->weights()) add(v);
  return out;
}

std::vector<Variable> LayerImpl::trainable_weights() const {
  if (!trainable_) return {};
  std::vector<Variable> out;
  for (const Variable& v : weights())
    if (v.trainable()) out.push_back(v);
  return out;
}

std::vector<Variable> LayerImpl::non_trainable_weights() const {
  if (!trainable_) return weights();
  std::vector<Variable> out;
  for (const Variable& v : weights())
    if (!v.trainable()) out.push_back(v);
  return out;
}

std::vector<Tensor> LayerImpl::get_weights() const {
  std::vector<Tensor> out;
  for (const Variable& v : weights()) out.push_back(v.value());
  return out;
}

void LayerImpl::set_weights(const std::vector<Tensor>& values) {
  std::vector<Variable> ws = weights();
  if (ws.size() != values.size())
    throw ValueError("You called set_weights(weights) on layer '" + name() +
                     "' with a weight list of length " + std::to_string(values.size()) +
                     ", but the layer was expecting " + std::to_string(ws.size()) + " weights.");
  for (size_t i = 0; i < ws.size(); ++i)
    if (!values[i].defined() || values[i].shape() != ws[i].shape())
      throw ValueError("Layer " + name() + " weight shape " + ws[i].shape().to_string() +
                       " is not compatible with provided weight shape " +
                       (values[i].defined() ? values[i].shape().to_string() : "(undefined)") +
                       " (weight " + std::to_string(i) + ", '" + ws[i].path() + "').");
  for (size_t i = 0; i < ws.size(); ++i) ws[i].assign(values[i]);
}

int64_t LayerImpl::count_params() const {
  int64_t n = 0;
  for (const Variable& v : weights()) n += v.shape().num_elements();
  return n;
}

void LayerImpl::apply_constraints() {
  for (WeightEntry& e : trainable_entries_)
    if (e.constraint) e.variable.assign((*e.constraint)(e.variable.value()));
  for (const auto& layer : sublayers()) layer->apply_constraints();
}

// ---- sub-layers ----

void LayerImpl::track_layer(const std::string& attribute, std::shared_ptr<LayerImpl> layer) {
  if (!layer) throw ValueError(class_name() + " '" + name() + "': cannot track an empty layer");
  for (auto& [attr, existing] : sublayers_)
    if (attr == attribute) {
      existing = std::move(layer);
      return;
    }
  sublayers_.emplace_back(attribute, std::move(layer));
}

// ---- losses ----

void LayerImpl::add_loss(const Tensor& loss) { call_losses_.push_back(loss); }

std::vector<Tensor> LayerImpl::losses() const {
  std::vector<Tensor> out = call_losses_;
  for (const WeightEntry& e : trainable_entries_)
    if (e.regularizer) out.push_back((*e.regularizer)(e.variable.value()));
  for (const auto& layer : sublayers())
    for (const Tensor& l : layer->losses()) out.push_back(l);
  return out;
}

void LayerImpl::clear_losses() {
  call_losses_.clear();
  for (const auto& layer : sublayers()) layer->clear_losses();
}

// ---- serialization ----

Config LayerImpl::dtype_policy_config() const {
  Config policy = Config::object();
  policy["name"] = std::string(dtype_name(dtype_));
  return saving::make_envelope("keras", "DTypePolicy", policy);
}

Config LayerImpl::get_config() const {
  Config c = Config::object();
  c["name"] = name();
  c["trainable"] = trainable_;
  c["dtype"] = dtype_policy_config();
  if (options_.activity_regularizer)
    c["activity_regularizer"] = regularizers::serialize(*options_.activity_regularizer);
  return c;
}

Config LayerImpl::merge(Config base, const Config& extra) {
  for (auto it = extra.begin(); it != extra.end(); ++it) base[it.key()] = it.value();
  return base;
}

}  // namespace keras
