#include "keras/layers/rnn/bidirectional.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {
namespace {

std::string remove_prefix(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0 ? s.substr(prefix.size()) : s;
}

// A fresh copy of an RNN layer from its config (Keras recreates the wrapped layer this way).
std::shared_ptr<RNNImpl> copy_rnn(const LayerImpl& layer, const std::string& name,
                                  std::optional<bool> go_backwards) {
  Config envelope = serialize(layer);
  envelope["config"]["name"] = name;
  if (go_backwards) envelope["config"]["go_backwards"] = *go_backwards;
  envelope.erase("build_config");
  auto copy = std::dynamic_pointer_cast<RNNImpl>(deserialize(envelope));
  if (!copy)
    throw ValueError("Bidirectional: the layer must be an RNN layer, got " + layer.class_name());
  return copy;
}

std::shared_ptr<RNNImpl> as_rnn(const Layer& layer, const char* what) {
  if (!layer) throw ValueError(std::string("Bidirectional: `") + what + "` is empty");
  auto rnn = std::dynamic_pointer_cast<RNNImpl>(layer.ptr());
  if (!rnn)
    throw ValueError(std::string("Bidirectional: `") + what +
                     "` must be an RNN layer (RNN, SimpleRNN, LSTM, GRU), got " +
                     layer->class_name());
  return rnn;
}

}  // namespace

BidirectionalImpl::BidirectionalImpl(const Layer& layer, BidirectionalOptions options)
    : LayerImpl(layer_options(options)), merge_mode_(options.merge_mode) {
  auto given = as_rnn(layer, "layer");
  if (merge_mode_ && *merge_mode_ != "sum" && *merge_mode_ != "mul" && *merge_mode_ != "ave" &&
      *merge_mode_ != "concat")
    throw ValueError("Invalid merge mode. Received: " + *merge_mode_ +
                     ". Merge mode should be one of {\"sum\", \"mul\", \"ave\", \"concat\", None}");
  forward_ = copy_rnn(*given, "forward_" + remove_prefix(given->name(), "forward_"), std::nullopt);
  if (options.backward_layer)
    backward_ = as_rnn(options.backward_layer, "backward_layer");
  else
    backward_ = copy_rnn(*given, "backward_" + remove_prefix(given->name(), "backward_"), true);
  const RNNOptions& f = forward_->rnn_options();
  const RNNOptions& b = backward_->rnn_options();
  if (f.go_backwards == b.go_backwards)
    throw ValueError(
        "Forward layer and backward layer should have different `go_backwards` value. Received: "
        "forward_layer.go_backwards " +
        std::string(f.go_backwards ? "True" : "False") +
        ", backward_layer.go_backwards=" + (b.go_backwards ? "True" : "False"));
  auto check = [](const char* attr, bool fv, bool bv) {
    if (fv != bv)
      throw ValueError(std::string("Forward layer and backward layer are expected to have the "
                                   "same value for attribute \"") +
                       attr + "\", got \"" + (fv ? "True" : "False") +
                       "\" for forward layer and \"" + (bv ? "True" : "False") +
                       "\" for backward layer");
  };
  check("stateful", f.stateful, b.stateful);
  check("return_sequences", f.return_sequences, b.return_sequences);
  check("return_state", f.return_state, b.return_state);
  forward_->set_zero_output_for_mask(f.return_sequences);
  backward_->set_zero_output_for_mask(b.return_sequences);
  track_layer("forward_layer", forward_);
  track_layer("backward_layer", backward_);
  set_supports_masking(true);  // Keras 3.15.1 (later versions stop propagating)
}

std::vector<Tensor> BidirectionalImpl::compute_masks(const std::vector<Tensor>&,
                                                     const std::vector<Tensor>& masks) const {
  Tensor mask = masks.empty() ? Tensor() : masks[0];
  if (!forward_->rnn_options().return_sequences) return {};
  if (!merge_mode_) return {mask, mask};
  return {mask};
}

void BidirectionalImpl::build(const std::vector<Shape>& input_shapes) {
  if (!forward_->built()) forward_->maybe_build({input_shapes.at(0)});
  if (!backward_->built()) backward_->maybe_build({input_shapes.at(0)});
}

std::vector<Tensor> BidirectionalImpl::call(const std::vector<Tensor>& inputs,
                                            const CallContext& context) {
  const Tensor& x = inputs.at(0);
  std::vector<Tensor> fwd_in{x}, bwd_in{x};
  if (inputs.size() > 1) {
    size_t n = inputs.size() - 1;
    if (n % 2 != 0)
      throw ValueError("Bidirectional '" + name() +
                       "': initial states must come in two halves (forward, backward), got " +
                       std::to_string(n));
    fwd_in.insert(fwd_in.end(), inputs.begin() + 1, inputs.begin() + 1 + n / 2);
    bwd_in.insert(bwd_in.end(), inputs.begin() + 1 + n / 2, inputs.end());
  }
  CallArgs args{.training = context.training, .mask = context.mask};
  std::vector<Tensor> y = forward_->invoke(fwd_in, args);
  std::vector<Tensor> y_rev = backward_->invoke(bwd_in, args);
  const bool return_state = forward_->rnn_options().return_state;
  std::vector<Tensor> states;
  if (return_state) {
    states.insert(states.end(), y.begin() + 1, y.end());
    states.insert(states.end(), y_rev.begin() + 1, y_rev.end());
  }
  Tensor a = y[0], b = y_rev[0];
  if (a.dtype() != compute_dtype()) a = ops::cast(a, compute_dtype());
  if (b.dtype() != compute_dtype()) b = ops::cast(b, compute_dtype());
  if (forward_->rnn_options().return_sequences) b = ops::flip(b, 1);
  std::vector<Tensor> out;
  if (!merge_mode_) {
    out = {a, b};
  } else if (*merge_mode_ == "concat") {
    out = {ops::concatenate({a, b}, -1)};
  } else if (*merge_mode_ == "sum") {
    out = {ops::add(a, b)};
  } else if (*merge_mode_ == "ave") {
    out = {ops::divide(ops::add(a, b), 2.0)};
  } else {
    out = {ops::multiply(a, b)};
  }
  out.insert(out.end(), states.begin(), states.end());
  return out;
}

void BidirectionalImpl::reset_states() {
  if (!forward_->rnn_options().stateful) throw ValueError("Layer must be stateful.");
  forward_->reset_states();
  backward_->reset_states();
}

Config BidirectionalImpl::get_config() const {
  Config c = Config::object();
  c["merge_mode"] = merge_mode_ ? Config(*merge_mode_) : Config(nullptr);
  c["layer"] = serialize(*forward_);
  c["backward_layer"] = serialize(*backward_);
  return merge(LayerImpl::get_config(), c);
}

KERAS_REGISTER_LAYER(Bidirectional, [](const Config& c) -> std::shared_ptr<LayerImpl> {
  if (!detail::has(c, "layer"))
    throw ValueError("Bidirectional.from_config: the config has no `layer`");
  Layer layer(deserialize(c["layer"]));
  BidirectionalOptions o;
  o.merge_mode = detail::has(c, "merge_mode")
                     ? std::optional<std::string>(c["merge_mode"].get<std::string>())
                     : std::nullopt;
  if (detail::has(c, "backward_layer")) o.backward_layer = Layer(deserialize(c["backward_layer"]));
  detail::read_base(c, o);
  return std::make_shared<BidirectionalImpl>(layer, std::move(o));
});

}  // namespace keras::layers
