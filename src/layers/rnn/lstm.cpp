#include "keras/layers/rnn/lstm.hpp"

#include "core/checked_int.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/rnn/rnn_utils.hpp"
#include "ops/nn_recurrent.hpp"

namespace keras::layers {

LSTMCellImpl::LSTMCellImpl(LSTMCellOptions options)
    : RNNCellImpl(layer_options(options)),
      options_(std::move(options)),
      dropout_(rnn_detail::clip01(options_.dropout), rnn_detail::clip01(options_.recurrent_dropout),
               options_.seed) {
  rnn_detail::check_units("LSTMCell", options_.units);
  options_.dropout = rnn_detail::clip01(options_.dropout);
  options_.recurrent_dropout = rnn_detail::clip01(options_.recurrent_dropout);
}

void LSTMCellImpl::build(const Shape& input_shape) {
  if (input_shape.rank() < 1 || input_shape.back() < 0)
    throw ValueError("LSTMCell '" + name() +
                     "': the last dimension of the input must be known, got " +
                     input_shape.to_string());
  const int64_t units = options_.units;
  checked_int::mul(4, units, "LSTMCell '" + name() + "': 4 * units");  // the gates' width
  kernel_ = add_weight({.shape = {input_shape.back(), 4 * units},
                        .initializer = options_.kernel_initializer,
                        .regularizer = options_.kernel_regularizer,
                        .constraint = options_.kernel_constraint,
                        .name = "kernel"});
  recurrent_kernel_ = add_weight({.shape = {units, 4 * units},
                                  .initializer = options_.recurrent_initializer,
                                  .regularizer = options_.recurrent_regularizer,
                                  .constraint = options_.recurrent_constraint,
                                  .name = "recurrent_kernel"});
  if (options_.use_bias) {
    bias_ = add_weight({.shape = {4 * units},
                        .initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint,
                        .name = "bias"});
    if (options_.unit_forget_bias) {
      // [init(units), ones(units), init(2 units)], as Keras's bias initializer.
      DType dt = bias_.dtype();
      if (!options_.bias_initializer)  // Keras: calling None, a TypeError
        throw TypeError(class_name() + " '" + name() +
                        "': unit_forget_bias=True needs a bias_initializer, got None");
      const auto& init = *options_.bias_initializer;
      bias_.assign(ops::concatenate(
          {init(Shape{units}, dt), ops::ones({units}, dt), init(Shape{2 * units}, dt)}, 0));
    }
  }
}

void LSTMCellImpl::begin_sequence(const Tensor& step_input, const std::vector<Tensor>& states,
                                  bool training) {
  dropout_.begin(step_input, states.empty() ? Tensor() : states[0], training);
}

Tensor LSTMCellImpl::project_inputs(const Tensor& x) {
  Tensor h = ops::matmul(dropout_.apply_input(x), kernel_.value());
  if (options_.use_bias) h = ops::add(h, bias_.value());
  return h;
}

std::pair<Tensor, std::vector<Tensor>> LSTMCellImpl::step_projected(
    const Tensor& projected, const std::vector<Tensor>& states) {
  const Tensor& h_prev = states.at(0);
  const Tensor& c_prev = states.at(1);
  Tensor z =
      ops::add(projected, ops::matmul(dropout_.apply_recurrent(h_prev), recurrent_kernel_.value()));
  std::vector<Tensor> g = ops::split(z, 4, 1);
  const auto& act = options_.activation;
  const auto& rec = options_.recurrent_activation;
  Tensor i = rec(g[0]);
  Tensor f = rec(g[1]);
  Tensor c = ops::add(ops::multiply(f, c_prev), ops::multiply(i, act(g[2])));
  Tensor o = rec(g[3]);
  Tensor h = ops::multiply(o, act(c));
  return {h, {h, c}};
}

std::optional<RNNCellImpl::SequenceResult> LSTMCellImpl::call_sequence(
    const Tensor& x, const std::vector<Tensor>& states) {
  if (options_.activation.name() != "tanh" || options_.recurrent_activation.name() != "sigmoid" ||
      dropout_.recurrent_active() ||
      !ops::detail::sequence_kernel_available(x, options_.units, backend::FusedKernel::Lstm))
    return std::nullopt;
  auto r = ops::detail::lstm_sequence(rnn_detail::apply_sequence_dropout(dropout_, x), states.at(0),
                                      states.at(1), kernel_.value(), recurrent_kernel_.value(),
                                      options_.use_bias ? bias_.value() : Tensor());
  return SequenceResult{r.outputs, r.h, {r.h, r.c}};
}

std::pair<Tensor, std::vector<Tensor>> LSTMCellImpl::call_cell(const Tensor& x,
                                                               const std::vector<Tensor>& states,
                                                               const CallContext&) {
  return step_projected(project_inputs(x), states);
}

KERAS_LAYER_CONFIG(LSTMCell, LSTMCellOptions,
                   rnn_detail::recurrent_fields<LSTMCellOptions>(false, true));

// ---- LSTM ----

namespace {
LSTMCellOptions cell_options(const LSTMOptions& o) {
  return LSTMCellOptions{.units = o.units,
                         .activation = o.activation,
                         .recurrent_activation = o.recurrent_activation,
                         .use_bias = o.use_bias,
                         .kernel_initializer = o.kernel_initializer,
                         .recurrent_initializer = o.recurrent_initializer,
                         .bias_initializer = o.bias_initializer,
                         .unit_forget_bias = o.unit_forget_bias,
                         .kernel_regularizer = o.kernel_regularizer,
                         .recurrent_regularizer = o.recurrent_regularizer,
                         .bias_regularizer = o.bias_regularizer,
                         .kernel_constraint = o.kernel_constraint,
                         .recurrent_constraint = o.recurrent_constraint,
                         .bias_constraint = o.bias_constraint,
                         .dropout = o.dropout,
                         .recurrent_dropout = o.recurrent_dropout,
                         .seed = o.seed,
                         .name = "lstm_cell",
                         .dtype = o.dtype,
                         .trainable = o.trainable};
}
}  // namespace

LSTMImpl::LSTMImpl(LSTMOptions options)
    : RNNImpl(std::make_shared<LSTMCellImpl>(cell_options(options)),
              rnn_detail::rnn_options(options)),
      options_(std::move(options)) {}

KERAS_LAYER_FIELDS(LSTM, LSTMOptions, rnn_detail::recurrent_fields<LSTMOptions>(true, true));

Config LSTMImpl::get_config() const {
  return merge(rnn_config(LayerImpl::get_config()), fields::write(LSTM_fields(), options_));
}

KERAS_REGISTER_LAYER_FIELDS(LSTM, LSTM_fields());

}  // namespace keras::layers
