#include "keras/models/sequential.hpp"

#include "keras/layers/registration.hpp"

namespace keras {

SequentialImpl::SequentialImpl(std::vector<SequentialItem> items, SequentialOptions options)
    : ModelImpl(ModelOptions{.name = options.name, .trainable = options.trainable}) {
  for (const SequentialItem& item : items) add(item);
}

void SequentialImpl::add(const SequentialItem& item) {
  if (item.input().defined()) {
    const KerasHistory* h = keras_history(item.input());
    auto* input = h ? dynamic_cast<layers::InputLayerImpl*>(h->node->layer.get()) : nullptr;
    if (!input)
      throw ValueError("Sequential.add: a tensor entry must be a keras::Input, got " +
                       item.input().to_string());
    if (!stack_.empty() || input_layer_)
      throw ValueError("Sequential '" + name() +
                       "': keras::Input must be the first entry of the model");
    input_layer_ = std::static_pointer_cast<layers::InputLayerImpl>(h->node->layer);
    symbolic_output_ = input_layer_->output();
    // A Sequential model that starts with an Input is built (Keras: `model.built` is true).
    maybe_build({input_layer_->batch_shape()});
    return;
  }
  if (!item.layer()) throw ValueError("Sequential.add: the layer is empty");
  if (auto* as_input = dynamic_cast<layers::InputLayerImpl*>(item.layer().get())) {
    add(SequentialItem(as_input->output()));
    return;
  }
  const std::string& name = item.layer()->name();
  if (names_.count(name))
    throw ValueError("All layers added to a Sequential model should have unique names. Name '" +
                     name +
                     "' is already the name of a layer in this model. "
                     "Update the `name` argument to pass a unique name.");
  if (input_layer_) {
    // Build the new layer now, as Keras does once the input shape is known: only the new layer
    // runs, on the output of the layers before it (Keras rebuilds the whole stack each time,
    // which makes loading n layers quadratic).
    symbolic_output_ = (*item.layer())(symbolic_output_);
  }
  stack_.push_back(item.layer());
  names_.insert(name);
}

void SequentialImpl::pop() {
  if (stack_.empty()) throw ValueError("Sequential.pop: there are no layers to remove");
  names_.erase(stack_.back()->name());
  stack_.pop_back();
  if (input_layer_) {
    symbolic_output_ = input_layer_->output();
    for (const auto& l : stack_) symbolic_output_ = (*l)(symbolic_output_);
  }
}

std::vector<Layer> SequentialImpl::layers() const {
  std::vector<Layer> out;
  for (const auto& l : stack_) out.emplace_back(l);
  return out;
}

Tensor SequentialImpl::call(const Tensor& inputs, const CallContext& context) {
  if (stack_.empty())
    throw ValueError("Sequential model '" + name() + "' has no layers; add some before calling it");
  if (input_layer_) {
    const Shape& want = input_layer_->batch_shape();
    const Shape& got = inputs.shape();
    bool ok = want.rank() == got.rank();
    for (int d = 0; ok && d < want.rank(); ++d)
      ok = want[d] == Shape::kNone || got[d] == Shape::kNone || want[d] == got[d];
    if (!ok)
      throw ValueError("Input 0 of Sequential model '" + name() +
                       "' is incompatible: expected shape " + want.to_string() + ", found shape " +
                       got.to_string());
  }
  Tensor x = inputs;
  // The model's mask goes to the first layer; later layers read the masks their inputs carry.
  CallArgs args{.training = context.training, .mask = context.mask};
  for (const auto& l : stack_) {
    x = (*l)(x, args);
    args.mask = Tensor();
  }
  return x;
}

std::vector<Tensor> SequentialImpl::call(const std::vector<Tensor>& inputs,
                                         const CallContext& context) {
  if (inputs.size() != 1)
    throw ValueError("Sequential model '" + name() + "' takes one input, got " +
                     std::to_string(inputs.size()));
  return {call(inputs[0], context)};
}

void SequentialImpl::build(const Shape& input_shape) {
  if (stack_.empty()) return;
  Tensor x = Tensor::symbolic(input_shape, compute_dtype());
  for (const auto& l : stack_) x = (*l)(x);
  mark_built({input_shape});
}

void SequentialImpl::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Sequential model '" + name() + "' takes one input, got " +
                     std::to_string(input_shapes.size()) + " input shapes");
  build(input_shapes[0]);
}

Config SequentialImpl::get_config() const {
  Config c = LayerImpl::get_config();
  Config list = Config::array();
  if (input_layer_) list.push_back(layers::serialize(*input_layer_));
  for (const auto& l : stack_) list.push_back(layers::serialize(*l));
  c["layers"] = list;
  if (input_layer_) {
    Config shape = Config::array();
    for (int64_t d : input_layer_->batch_shape())
      shape.push_back(d < 0 ? Config(nullptr) : Config(d));
    c["build_input_shape"] = shape;
  }
  return c;
}

Sequential::Sequential(std::initializer_list<SequentialItem> items, SequentialOptions options)
    : Sequential(std::vector<SequentialItem>(items), std::move(options)) {}

Sequential::Sequential(std::vector<SequentialItem> items, SequentialOptions options)
    : ModelHolder<SequentialImpl>(
          std::make_shared<SequentialImpl>(std::vector<SequentialItem>{}, options)) {
  // Layers are added after the holder owns the model, so symbolic building can share it.
  for (const SequentialItem& item : items) this->checked().add(item);
}

}  // namespace keras
