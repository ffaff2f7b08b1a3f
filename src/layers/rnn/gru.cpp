#include "keras/layers/rnn/gru.hpp"

#include "core/checked_int.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "layers/rnn/rnn_utils.hpp"
#include "ops/nn_recurrent.hpp"

namespace keras::layers {

GRUCellImpl::GRUCellImpl(GRUCellOptions options)
    : RNNCellImpl(layer_options(options)),
      options_(std::move(options)),
      dropout_(rnn_detail::clip01(options_.dropout), rnn_detail::clip01(options_.recurrent_dropout),
               options_.seed) {
  rnn_detail::check_units("GRUCell", options_.units);
  options_.dropout = rnn_detail::clip01(options_.dropout);
  options_.recurrent_dropout = rnn_detail::clip01(options_.recurrent_dropout);
}

void GRUCellImpl::build(const Shape& input_shape) {
  if (input_shape.rank() < 1 || input_shape.back() < 0)
    throw ValueError("GRUCell '" + name() +
                     "': the last dimension of the input must be known, got " +
                     input_shape.to_string());
  const int64_t units = options_.units;
  checked_int::mul(3, units, "GRUCell '" + name() + "': 3 * units");  // the gates' width
  kernel_ = add_weight({.shape = {input_shape.back(), 3 * units},
                        .initializer = options_.kernel_initializer,
                        .regularizer = options_.kernel_regularizer,
                        .constraint = options_.kernel_constraint,
                        .name = "kernel"});
  recurrent_kernel_ = add_weight({.shape = {units, 3 * units},
                                  .initializer = options_.recurrent_initializer,
                                  .regularizer = options_.recurrent_regularizer,
                                  .constraint = options_.recurrent_constraint,
                                  .name = "recurrent_kernel"});
  if (options_.use_bias)
    bias_ = add_weight({.shape = options_.reset_after ? Shape{2, 3 * units} : Shape{3 * units},
                        .initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint,
                        .name = "bias"});
}

void GRUCellImpl::begin_sequence(const Tensor& step_input, const std::vector<Tensor>& states,
                                 bool training) {
  dropout_.begin(step_input, states.empty() ? Tensor() : states[0], training);
  std::tie(input_bias_, recurrent_bias_) = biases();
}

void GRUCellImpl::end_sequence() {
  dropout_.end();
  input_bias_ = recurrent_bias_ = Tensor();
}

// (input bias, recurrent bias): rows 0 and 1 of the (2, 3 units) bias with reset_after, else the
// whole bias and none. Cached for the length of a sequence.
std::pair<Tensor, Tensor> GRUCellImpl::biases() const {
  if (!options_.use_bias) return {};
  if (input_bias_.defined()) return {input_bias_, recurrent_bias_};
  if (!options_.reset_after) return {bias_.value(), Tensor()};
  std::vector<Tensor> rows = ops::unstack(bias_.value(), 0);
  return {rows[0], rows[1]};
}

Tensor GRUCellImpl::project_inputs(const Tensor& x) {
  Tensor h = ops::matmul(dropout_.apply_input(x), kernel_.value());
  if (options_.use_bias) h = ops::add(h, biases().first);
  return h;
}

std::pair<Tensor, std::vector<Tensor>> GRUCellImpl::step_projected(
    const Tensor& projected, const std::vector<Tensor>& states) {
  const int64_t units = options_.units;
  const Tensor& h_prev = states.at(0);
  Tensor h_d = dropout_.apply_recurrent(h_prev);
  const auto& act = options_.activation;
  const auto& rec = options_.recurrent_activation;
  std::vector<Tensor> x = ops::split(projected, 3, 1);
  Tensor z, r, hh;
  if (options_.reset_after) {
    Tensor inner = ops::matmul(h_d, recurrent_kernel_.value());
    if (options_.use_bias) inner = ops::add(inner, biases().second);
    std::vector<Tensor> u = ops::split(inner, 3, 1);
    z = rec(ops::add(x[0], u[0]));
    r = rec(ops::add(x[1], u[1]));
    hh = act(ops::add(x[2], ops::multiply(r, u[2])));
  } else {
    std::vector<Tensor> kernels =
        ops::split(recurrent_kernel_.value(), std::vector<int64_t>{2 * units}, 1);
    std::vector<Tensor> u = ops::split(ops::matmul(h_d, kernels[0]), 2, 1);
    z = rec(ops::add(x[0], u[0]));
    r = rec(ops::add(x[1], u[1]));
    hh = act(ops::add(x[2], ops::matmul(ops::multiply(r, h_d), kernels[1])));
  }
  // h = z * h_prev + (1 - z) * hh
  Tensor h = ops::add(ops::multiply(z, h_prev), ops::multiply(ops::subtract(1.0, z), hh));
  return {h, {h}};
}

std::optional<RNNCellImpl::SequenceResult> GRUCellImpl::call_sequence(
    const Tensor& x, const std::vector<Tensor>& states) {
  if (!options_.reset_after || options_.activation.name() != "tanh" ||
      options_.recurrent_activation.name() != "sigmoid" || dropout_.recurrent_active() ||
      !ops::detail::sequence_kernel_available(x, options_.units, backend::FusedKernel::Gru))
    return std::nullopt;
  auto [input_bias, recurrent_bias] = biases();
  auto r = ops::detail::gru_sequence(rnn_detail::apply_sequence_dropout(dropout_, x), states.at(0),
                                     kernel_.value(), recurrent_kernel_.value(), input_bias,
                                     recurrent_bias);
  return SequenceResult{r.outputs, r.h, {r.h}};
}

std::pair<Tensor, std::vector<Tensor>> GRUCellImpl::call_cell(const Tensor& x,
                                                              const std::vector<Tensor>& states,
                                                              const CallContext&) {
  return step_projected(project_inputs(x), states);
}

KERAS_LAYER_CONFIG(GRUCell, GRUCellOptions,
                   rnn_detail::recurrent_fields<GRUCellOptions>(false, true));

// ---- GRU ----

namespace {
GRUCellOptions cell_options(const GRUOptions& o) {
  return GRUCellOptions{.units = o.units,
                        .activation = o.activation,
                        .recurrent_activation = o.recurrent_activation,
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
                        .reset_after = o.reset_after,
                        .seed = o.seed,
                        .name = "gru_cell",
                        .dtype = o.dtype,
                        .trainable = o.trainable};
}
}  // namespace

GRUImpl::GRUImpl(GRUOptions options)
    : RNNImpl(std::make_shared<GRUCellImpl>(cell_options(options)),
              rnn_detail::rnn_options(options)),
      options_(std::move(options)) {}

KERAS_LAYER_FIELDS(GRU, GRUOptions, rnn_detail::recurrent_fields<GRUOptions>(true, true));

Config GRUImpl::get_config() const {
  return merge(rnn_config(LayerImpl::get_config()), fields::write(GRU_fields(), options_));
}

KERAS_REGISTER_LAYER_FIELDS(GRU, GRU_fields());

}  // namespace keras::layers
