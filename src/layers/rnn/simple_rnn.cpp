#include "keras/layers/rnn/simple_rnn.hpp"

#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/rnn/rnn_utils.hpp"

namespace keras::layers {

SimpleRNNCellImpl::SimpleRNNCellImpl(SimpleRNNCellOptions options)
    : RNNCellImpl(layer_options(options)),
      options_(std::move(options)),
      dropout_(rnn_detail::clip01(options_.dropout), rnn_detail::clip01(options_.recurrent_dropout),
               options_.seed) {
  rnn_detail::check_units("SimpleRNNCell", options_.units);
  options_.dropout = rnn_detail::clip01(options_.dropout);
  options_.recurrent_dropout = rnn_detail::clip01(options_.recurrent_dropout);
}

void SimpleRNNCellImpl::build(const Shape& input_shape) {
  if (input_shape.rank() < 1 || input_shape.back() < 0)
    throw ValueError("SimpleRNNCell '" + name() +
                     "': the last dimension of the input must be known, got " +
                     input_shape.to_string());
  kernel_ = add_weight({.shape = {input_shape.back(), options_.units},
                        .initializer = options_.kernel_initializer,
                        .regularizer = options_.kernel_regularizer,
                        .constraint = options_.kernel_constraint,
                        .name = "kernel"});
  recurrent_kernel_ = add_weight({.shape = {options_.units, options_.units},
                                  .initializer = options_.recurrent_initializer,
                                  .regularizer = options_.recurrent_regularizer,
                                  .constraint = options_.recurrent_constraint,
                                  .name = "recurrent_kernel"});
  if (options_.use_bias)
    bias_ = add_weight({.shape = {options_.units},
                        .initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint,
                        .name = "bias"});
}

void SimpleRNNCellImpl::begin_sequence(const Tensor& step_input, const std::vector<Tensor>& states,
                                       bool training) {
  dropout_.begin(step_input, states.empty() ? Tensor() : states[0], training);
}

Tensor SimpleRNNCellImpl::project_inputs(const Tensor& x) {
  Tensor h = ops::matmul(dropout_.apply_input(x), kernel_.value());
  if (options_.use_bias) h = ops::add(h, bias_.value());
  return h;
}

std::pair<Tensor, std::vector<Tensor>> SimpleRNNCellImpl::step_projected(
    const Tensor& projected, const std::vector<Tensor>& states) {
  Tensor prev = dropout_.apply_recurrent(states.at(0));
  Tensor out = ops::add(projected, ops::matmul(prev, recurrent_kernel_.value()));
  if (!options_.activation.is_linear()) out = options_.activation(out);
  return {out, {out}};
}

std::pair<Tensor, std::vector<Tensor>> SimpleRNNCellImpl::call_cell(
    const Tensor& x, const std::vector<Tensor>& states, const CallContext&) {
  return step_projected(project_inputs(x), states);
}

KERAS_LAYER_CONFIG(SimpleRNNCell, SimpleRNNCellOptions,
                   rnn_detail::recurrent_fields<SimpleRNNCellOptions>(false, true));

// ---- SimpleRNN ----

namespace {
SimpleRNNCellOptions cell_options(const SimpleRNNOptions& o) {
  return SimpleRNNCellOptions{.units = o.units,
                              .activation = o.activation,
                              .use_bias = o.use_bias,
                              .kernel_initializer = o.kernel_initializer,
                              .recurrent_initializer = o.recurrent_initializer,
                              .bias_initializer = o.bias_initializer,
                              .kernel_regularizer = o.kernel_regularizer,
                              .recurrent_regularizer = o.recurrent_regularizer,
                              .bias_regularizer = o.bias_regularizer,
                              .kernel_constraint = o.kernel_constraint,
                              .recurrent_constraint = o.recurrent_constraint,
                              .bias_constraint = o.bias_constraint,
                              .dropout = o.dropout,
                              .recurrent_dropout = o.recurrent_dropout,
                              .seed = o.seed,
                              .name = "simple_rnn_cell",
                              .dtype = o.dtype,
                              .trainable = o.trainable};
}
}  // namespace

SimpleRNNImpl::SimpleRNNImpl(SimpleRNNOptions options)
    : RNNImpl(std::make_shared<SimpleRNNCellImpl>(cell_options(options)),
              rnn_detail::rnn_options(options)),
      options_(std::move(options)) {}

KERAS_LAYER_FIELDS(SimpleRNN, SimpleRNNOptions,
                   rnn_detail::recurrent_fields<SimpleRNNOptions>(true, false));

Config SimpleRNNImpl::get_config() const {
  return merge(rnn_config(LayerImpl::get_config()), fields::write(SimpleRNN_fields(), options_));
}

KERAS_REGISTER_LAYER_FIELDS(SimpleRNN, SimpleRNN_fields());

}  // namespace keras::layers
