#include "keras/layers/rnn/conv_lstm.hpp"

#include "core/checked_int.hpp"
#include "keras/graph/graph.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "keras/random/random.hpp"
#include "layers/convolutional/conv_utils.hpp"
#include "layers/rnn/rnn_utils.hpp"

namespace keras::layers {

namespace {

int cell_rank(const ConvLSTMCellOptions& o, int rank) {
  if (rank == 0) {
    if (o.kernel_size.size() < 1 || o.kernel_size.size() > 3)
      throw ValueError(
          "ConvLSTMCell: cannot infer the rank of the convolution from kernel_size (give a tuple "
          "of 1 to 3 values or the rank), got " +
          detail::tuple_str(o.kernel_size));
    rank = static_cast<int>(o.kernel_size.size());
  }
  if (rank < 1 || rank > 3)
    throw ValueError(
        "ConvLSTMCell: Rank " + std::to_string(rank) +
        " convolutions are not currently implemented. Received: rank=" + std::to_string(rank));
  return rank;
}

// Keras's compute_conv_output_shape for one spatial dimension.
int64_t conv_out_len(int64_t n, int64_t k, int64_t s, int64_t d, const std::string& padding) {
  if (n < 0) return -1;
  if (padding == "same") return checked_int::ceil_div(n, s);
  int64_t eff = checked_int::add(checked_int::mul(d, k - 1, "ConvLSTM"), 1, "ConvLSTM");
  return (n - eff) / s + 1;
}

}  // namespace

ConvLSTMCellImpl::ConvLSTMCellImpl(ConvLSTMCellOptions options, int rank)
    : RNNCellImpl(layer_options(options)),
      rank_(cell_rank(options, rank)),
      options_(std::move(options)),
      seed_generator_(options_.seed) {
  const std::string where = "ConvLSTMCell";
  if (options_.filters <= 0)
    throw ValueError(where + ": `filters` must be a positive integer, got " +
                     std::to_string(options_.filters));
  kernel_size_ = detail::standardize_tuple(options_.kernel_size, rank_, where, "kernel_size");
  strides_ = detail::standardize_tuple(options_.strides, rank_, where, "strides");
  dilation_rate_ = detail::standardize_tuple(options_.dilation_rate, rank_, where, "dilation_rate");
  padding_ = detail::standardize_padding(options_.padding, where, false);
  data_format_ = detail::standardize_data_format(options_.data_format, where);
  detail::check_strides_dilation(strides_, dilation_rate_, where);
  options_.dropout = rnn_detail::clip01(options_.dropout);
  options_.recurrent_dropout = rnn_detail::clip01(options_.recurrent_dropout);
}

Shape ConvLSTMCellImpl::output_shape_for(const Shape& s) const {
  if (s.rank() != rank_ + 2)
    throw ValueError("ConvLSTMCell '" + name() + "': expected a step input of rank " +
                     std::to_string(rank_ + 2) + " (batch, *spatial, channels), got " +
                     s.to_string());
  const bool last = data_format_ == "channels_last";
  std::vector<int64_t> out{s[0]};
  if (!last) out.push_back(options_.filters);
  for (int i = 0; i < rank_; ++i)
    out.push_back(conv_out_len(s[last ? 1 + i : 2 + i], kernel_size_[i], strides_[i],
                               dilation_rate_[i], padding_));
  if (last) out.push_back(options_.filters);
  return Shape(out);
}

void ConvLSTMCellImpl::build(const Shape& input_shape) {
  if (input_shape.rank() != rank_ + 2)
    throw ValueError("ConvLSTMCell '" + name() + "': expected a step input of rank " +
                     std::to_string(rank_ + 2) + ", got " + input_shape.to_string());
  const bool last = data_format_ == "channels_last";
  for (int i = 0; i < rank_; ++i)
    if (input_shape[last ? 1 + i : 2 + i] < 0)
      throw ValueError(
          "ConvLSTM layers only support static input shapes for the spatial dimension. Received "
          "invalid input shape: input_shape=" +
          input_shape.to_string());
  const int64_t in = input_shape[last ? rank_ + 1 : 1];
  if (in < 0)
    throw ValueError(
        "The channel dimension of the inputs (last axis) should be defined. Found None. Full "
        "input shape received: input_shape=" +
        input_shape.to_string());
  detail::check_conv_output_size(*this, input_shape, kernel_size_, strides_, dilation_rate_,
                                 padding_, data_format_);
  step_input_shape_ = input_shape;
  const int64_t f = options_.filters;
  checked_int::mul(4, f, class_name() + " '" + name() + "': 4 * filters");  // the gates' width
  std::vector<int64_t> ks(kernel_size_), rks(kernel_size_);
  ks.push_back(in);
  ks.push_back(4 * f);
  rks.push_back(f);
  rks.push_back(4 * f);
  kernel_ = add_weight({.shape = Shape(ks),
                        .initializer = options_.kernel_initializer,
                        .regularizer = options_.kernel_regularizer,
                        .constraint = options_.kernel_constraint,
                        .name = "kernel"});
  recurrent_kernel_ = add_weight({.shape = Shape(rks),
                                  .initializer = options_.recurrent_initializer,
                                  .regularizer = options_.recurrent_regularizer,
                                  .constraint = options_.recurrent_constraint,
                                  .name = "recurrent_kernel"});
  if (options_.use_bias) {
    bias_ = add_weight({.shape = {4 * f},
                        .initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint,
                        .name = "bias"});
    if (options_.unit_forget_bias) {
      DType dt = bias_.dtype();
      if (!options_.bias_initializer)  // Keras: calling None, a TypeError
        throw TypeError(class_name() + " '" + name() +
                        "': unit_forget_bias=True needs a bias_initializer, got None");
      const auto& init = *options_.bias_initializer;
      bias_.assign(
          ops::concatenate({init(Shape{f}, dt), ops::ones({f}, dt), init(Shape{2 * f}, dt)}, 0));
    }
  }
}

std::vector<Tensor> ConvLSTMCellImpl::get_initial_state(int64_t batch_size) const {
  if (!built())
    throw ValueError("ConvLSTMCell '" + name() +
                     "': get_initial_state needs the cell to be built (the spatial shape)");
  std::vector<int64_t> s(step_input_shape_.begin(), step_input_shape_.end());
  s[0] = batch_size;
  Shape out = output_shape_for(Shape(s));
  return {ops::zeros(out, compute_dtype()), ops::zeros(out, compute_dtype())};
}

void ConvLSTMCellImpl::begin_sequence(const Tensor& step_input, const std::vector<Tensor>& states,
                                      bool training) {
  end_sequence();
  if (!training || step_input.is_symbolic()) return;
  if (options_.dropout > 0.0 && options_.dropout < 1.0)
    for (int g = 0; g < 4; ++g)
      input_masks_.push_back(
          random::dropout(ops::ones_like(step_input), options_.dropout, {.seed = seed_generator_}));
  if (options_.recurrent_dropout > 0.0 && options_.recurrent_dropout < 1.0 && !states.empty())
    for (int g = 0; g < 4; ++g)
      recurrent_masks_.push_back(random::dropout(
          ops::ones_like(states[0]), options_.recurrent_dropout, {.seed = seed_generator_}));
}

void ConvLSTMCellImpl::end_sequence() {
  input_masks_.clear();
  recurrent_masks_.clear();
}

namespace {
// x * mask where x may hold several timesteps stacked on the first axis (the fused path).
Tensor apply_mask(const Tensor& x, const Tensor& mask) {
  if (x.shape()[0] == mask.shape()[0]) return ops::multiply(x, mask);
  std::vector<int64_t> s{x.shape()[0] / mask.shape()[0], mask.shape()[0]};
  s.insert(s.end(), x.shape().begin() + 1, x.shape().end());
  return ops::reshape(ops::multiply(ops::reshape(x, Shape(s)), mask), x.shape());
}

// conv(x, kernel) with the (..., 4 filters) kernel; with masks, gate g convolves x * masks[g]
// with its quarter of the kernel (as Keras), and the four results are concatenated.
Tensor gate_conv(const Tensor& x, const Tensor& kernel, const std::vector<Tensor>& masks,
                 const ops::ConvOptions& options, int64_t channel_axis) {
  if (masks.empty()) return ops::conv(x, kernel, options);
  std::vector<Tensor> kernels = ops::split(kernel, 4, kernel.ndim() - 1);
  std::vector<Tensor> parts;
  for (int g = 0; g < 4; ++g)
    parts.push_back(ops::conv(apply_mask(x, masks[g]), kernels[g], options));
  return ops::concatenate(parts, channel_axis);
}
}  // namespace

Tensor ConvLSTMCellImpl::project_inputs(const Tensor& x) {
  // Without dropout, one convolution with the whole (..., 4 filters) kernel gives the four gates'
  // input parts (Keras splits the kernel first; the result is the same).
  const int64_t axis = data_format_ == "channels_last" ? -1 : 1;
  Tensor z = gate_conv(x, kernel_.value(), input_masks_,
                       {.strides = Ints(strides_),
                        .padding = padding_,
                        .data_format = data_format_,
                        .dilation_rate = Ints(dilation_rate_)},
                       axis);
  if (options_.use_bias) z = detail::add_channel_bias(z, bias_.value(), data_format_);
  return z;
}

std::pair<Tensor, std::vector<Tensor>> ConvLSTMCellImpl::step_projected(
    const Tensor& projected, const std::vector<Tensor>& states) {
  if (states.size() != 2)
    throw ValueError("ConvLSTMCell '" + name() + "': expected 2 states [h, c], got " +
                     std::to_string(states.size()));
  const Tensor& h_prev = states[0];
  const Tensor& c_prev = states[1];
  // The recurrent convolution: strides 1, padding "same", no dilation (as Keras).
  const int64_t axis = data_format_ == "channels_last" ? -1 : 1;
  Tensor zh = gate_conv(h_prev, recurrent_kernel_.value(), recurrent_masks_,
                        {.strides = 1, .padding = "same", .data_format = data_format_}, axis);
  Tensor z = ops::add(projected, zh);
  std::vector<Tensor> g = ops::split(z, 4, axis);
  const auto& act = options_.activation;
  const auto& rec = options_.recurrent_activation;
  Tensor i = rec(g[0]);
  Tensor f = rec(g[1]);
  Tensor c = ops::add(ops::multiply(f, c_prev), ops::multiply(i, act(g[2])));
  Tensor o = rec(g[3]);
  Tensor h = ops::multiply(o, act(c));
  return {h, {h, c}};
}

std::pair<Tensor, std::vector<Tensor>> ConvLSTMCellImpl::call_cell(
    const Tensor& x, const std::vector<Tensor>& states, const CallContext&) {
  return step_projected(project_inputs(x), states);
}

namespace {

// The config fields of ConvLSTMCell (`layer` false) and ConvLSTM1D/2D/3D, in Keras's order.
template <class O>
fields::Fields<O> conv_lstm_fields(bool layer) {
  fields::Fields<O> g = {fields::field("filters", &O::filters),
                         fields::field("kernel_size", &O::kernel_size),
                         fields::field("strides", &O::strides),
                         fields::field("padding", &O::padding),
                         fields::field("data_format", &O::data_format),
                         fields::field("dilation_rate", &O::dilation_rate),
                         fields::field("activation", &O::activation),
                         fields::field("recurrent_activation", &O::recurrent_activation),
                         fields::field("use_bias", &O::use_bias)};
  fields::append(g, rnn_detail::recurrent_weight_args<O>(true, layer));
  fields::append(g, rnn_detail::recurrent_dropouts<O>());
  g.push_back(fields::field("seed", &O::seed));
  if constexpr (requires { &O::return_sequences; })
    fields::append(g, fields::read_only(rnn_detail::rnn_flags<O>()));
  g.push_back(fields::base<O>());
  return g;
}

// The config of `o` with the window arguments as `cell` standardized them.
template <class O>
Config conv_lstm_config(const fields::Fields<O>& table, const O& o, const ConvLSTMCellImpl& cell) {
  Config c = fields::write(table, o);
  detail::write_conv_geometry(c, cell.kernel_size(), cell.strides(), cell.padding(),
                              cell.data_format(), cell.dilation_rate());
  return c;
}

KERAS_LAYER_FIELDS(ConvLSTMCell, ConvLSTMCellOptions, conv_lstm_fields<ConvLSTMCellOptions>(false));
KERAS_LAYER_FIELDS(ConvLSTM, ConvLSTMOptions, conv_lstm_fields<ConvLSTMOptions>(true));

}  // namespace

Config ConvLSTMCellImpl::get_config() const {
  return merge(LayerImpl::get_config(), conv_lstm_config(ConvLSTMCell_fields(), options_, *this));
}

KERAS_REGISTER_LAYER_FIELDS(ConvLSTMCell, ConvLSTMCell_fields());

// ---- ConvLSTM1D / 2D / 3D ----

namespace {
ConvLSTMCellOptions cell_options(const ConvLSTMOptions& o) {
  return ConvLSTMCellOptions{.filters = o.filters,
                             .kernel_size = o.kernel_size,
                             .strides = o.strides,
                             .padding = o.padding,
                             .data_format = o.data_format,
                             .dilation_rate = o.dilation_rate,
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
                             .name = "conv_lstm_cell",
                             .dtype = o.dtype,
                             .trainable = o.trainable};
}
}  // namespace

ConvLSTMImpl::ConvLSTMImpl(int rank, ConvLSTMOptions options)
    : RNNImpl(std::make_shared<ConvLSTMCellImpl>(cell_options(options), rank),
              rnn_detail::rnn_options(options)),
      rank_(rank),
      options_(std::move(options)) {}

void ConvLSTMImpl::build(const std::vector<Shape>& input_shapes) {
  const Shape& s = input_shapes.at(0);
  if (s.rank() != rank_ + 3)
    throw ValueError(detail::layer_str(*this) + ": expected inputs of rank " +
                     std::to_string(rank_ + 3) + " (batch, time, *spatial, channels), got " +
                     s.to_string());
  RNNImpl::build(input_shapes);
}

void ConvLSTMImpl::reset_states() {
  for (Tensor& s : conv_states_) s = ops::zeros_like(s);
}

std::vector<Tensor> ConvLSTMImpl::call(const std::vector<Tensor>& inputs,
                                       const CallContext& context) {
  const Tensor& x = inputs.at(0);
  const Shape& shape = x.shape();
  if (shape.rank() != rank_ + 3)
    throw ValueError(detail::layer_str(*this) + ": expected inputs of rank " +
                     std::to_string(rank_ + 3) + " (batch, time, *spatial, channels), got " +
                     shape.to_string());
  const RNNOptions& ro = rnn_options();
  ConvLSTMCellImpl& cell = conv_lstm_cell();
  std::vector<int64_t> step(shape.begin(), shape.end());
  step.erase(step.begin() + 1);
  const Shape state_shape = cell.output_shape_for(Shape(step));
  std::vector<Tensor> initial(inputs.begin() + 1, inputs.end());
  if (!initial.empty() && initial.size() != 2)
    throw ValueError(detail::layer_str(*this) + ": expected 2 initial states [h, c], got " +
                     std::to_string(initial.size()));

  if (x.is_symbolic()) {
    std::vector<int64_t> seq(state_shape.begin(), state_shape.end());
    seq.insert(seq.begin() + 1, shape[1]);
    std::vector<Tensor> out{ro.return_sequences ? Tensor::symbolic(Shape(seq), compute_dtype())
                                                : Tensor::symbolic(state_shape, compute_dtype())};
    if (ro.return_state)
      for (int i = 0; i < 2; ++i) out.push_back(Tensor::symbolic(state_shape, compute_dtype()));
    return out;
  }

  const int64_t batch = shape[0];
  if (initial.empty()) {
    if (ro.stateful) {
      graph::check_traceable(
          "a stateful ConvLSTM (its states are kept between calls outside variables)");
      if (!conv_states_.empty() && conv_states_[0].shape()[0] != batch)
        throw ValueError(
            "If an RNN is stateful, the batch size of the input sequences must be the same as "
            "the batch size of the initial state. Expected batch size: " +
            std::to_string(conv_states_[0].shape()[0]) +
            ", received batch size: " + std::to_string(batch));
      if (conv_states_.empty()) conv_states_ = cell.get_initial_state(batch);
      initial = conv_states_;
    } else {
      initial = cell.get_initial_state(batch);
    }
  }
  for (size_t i = 0; i < initial.size(); ++i) {
    if (initial[i].dtype() != cell.compute_dtype())
      initial[i] = ops::cast(initial[i], cell.compute_dtype());
    if (initial[i].shape() != state_shape)
      throw ValueError(detail::layer_str(*this) + ": initial state " + std::to_string(i) +
                       " must have shape " + state_shape.to_string() + ", got " +
                       initial[i].shape().to_string());
  }
  LoopResult r = run(x, initial, context.mask, context.training);
  if (ro.stateful) {
    conv_states_.clear();
    for (const Tensor& s : r.states) conv_states_.push_back(ops::stop_gradient(s));
  }
  std::vector<Tensor> out{ro.return_sequences ? r.outputs : r.last_output};
  if (ro.return_state) out.insert(out.end(), r.states.begin(), r.states.end());
  return out;
}

Config ConvLSTMImpl::get_config() const {
  return merge(rnn_config(LayerImpl::get_config()),
               conv_lstm_config(ConvLSTM_fields(), options_, conv_lstm_cell()));
}

KERAS_REGISTER_LAYER_FIELDS(ConvLSTM1D, ConvLSTM_fields());
KERAS_REGISTER_LAYER_FIELDS(ConvLSTM2D, ConvLSTM_fields());
KERAS_REGISTER_LAYER_FIELDS(ConvLSTM3D, ConvLSTM_fields());

}  // namespace keras::layers
