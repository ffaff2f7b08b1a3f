#pragma once
// Internal helpers of the recurrent layers: the config fields shared by the cells and the layers,
// and the input dropout of the sequence kernels.
#include "keras/layers/rnn/rnn.hpp"
#include "keras/ops/ops.hpp"
#include "layers/config_fields.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers::rnn_detail {

using namespace keras::layers::detail;

inline double clip01(double v) { return std::min(1.0, std::max(0.0, v)); }

// The recurrent keys of Keras's SimpleRNN/LSTM/GRU, ConvLSTM and their cells, in Keras's order.

// The kernel / recurrent_kernel / bias arguments; LSTM and ConvLSTM layers put unit_forget_bias
// after the initializers. `layer`: the layer form (activity_regularizer written, null when unset).
template <class O>
fields::Fields<O> recurrent_weight_args(bool unit_forget_bias_after_initializers, bool layer) {
  std::vector<fields::Weight<O>> weights = {
      KERAS_WEIGHT_ARGS(O, kernel), KERAS_WEIGHT_ARGS(O, recurrent), KERAS_WEIGHT_ARGS(O, bias)};
  fields::Fields<O> g = fields::initializers(weights);
  if constexpr (requires { &O::unit_forget_bias; })
    if (unit_forget_bias_after_initializers)
      g.push_back(fields::field("unit_forget_bias", &O::unit_forget_bias));
  return fields::table<O>(
      g, fields::regularizers_constraints(
             weights, layer ? fields::Activity::kWritten : fields::Activity::kInBase));
}

// dropout and recurrent_dropout, written clipped to [0, 1] as the cells use them.
template <class O>
fields::Fields<O> recurrent_dropouts() {
  return {fields::field("dropout", &O::dropout).written_as([](const O& o) {
            return Config(clip01(o.dropout));
          }),
          fields::field("recurrent_dropout", &O::recurrent_dropout).written_as([](const O& o) {
            return Config(clip01(o.recurrent_dropout));
          })};
}

// RNN's own keys. RNNImpl::rnn_config writes them after the base keys, so the layers that
// derive from RNN read them only.
template <class O>
fields::Fields<O> rnn_flags() {
  return {fields::field("return_sequences", &O::return_sequences),
          fields::field("return_state", &O::return_state),
          fields::field("go_backwards", &O::go_backwards),
          fields::field("stateful", &O::stateful),
          fields::field("unroll", &O::unroll),
          fields::field("zero_output_for_mask", &O::zero_output_for_mask)};
}

// SimpleRNN/LSTM/GRU and their cells. `layer`: the layer form; `with_seed`: seed is written
// (SimpleRNN's layer form reads it only).
template <class O>
fields::Fields<O> recurrent_fields(bool layer, bool with_seed) {
  fields::Fields<O> g = {fields::field("units", &O::units),
                         fields::field("activation", &O::activation)};
  if constexpr (requires { &O::recurrent_activation; })
    g.push_back(fields::field("recurrent_activation", &O::recurrent_activation));
  g.push_back(fields::field("use_bias", &O::use_bias));
  if constexpr (requires { &O::unit_forget_bias; })
    if (!layer) g.push_back(fields::field("unit_forget_bias", &O::unit_forget_bias));
  fields::append(g, recurrent_weight_args<O>(layer, layer));
  fields::append(g, recurrent_dropouts<O>());
  if constexpr (requires { &O::reset_after; })
    g.push_back(fields::field("reset_after", &O::reset_after));
  fields::Field<O> seed = fields::field("seed", &O::seed);
  g.push_back(with_seed ? seed : seed.read_only());
  if constexpr (requires { &O::return_sequences; })
    fields::append(g, fields::read_only(rnn_flags<O>()));
  g.push_back(fields::base<O>());
  return g;
}

template <class O>
RNNOptions rnn_options(const O& o) {
  return RNNOptions{.return_sequences = o.return_sequences,
                    .return_state = o.return_state,
                    .go_backwards = o.go_backwards,
                    .stateful = o.stateful,
                    .unroll = o.unroll,
                    .zero_output_for_mask = o.zero_output_for_mask,
                    .activity_regularizer = o.activity_regularizer,
                    .name = o.name,
                    .dtype = o.dtype,
                    .trainable = o.trainable};
}

inline void check_units(const char* where, int64_t units) {
  if (units <= 0)
    throw ValueError(std::string(where) +
                     ": received an invalid value for argument `units`, expected a positive "
                     "integer, got " +
                     std::to_string(units));
}

inline void check_dropout(const char* where, double dropout, double recurrent_dropout) {
  if (!(dropout >= 0.0 && dropout <= 1.0) ||
      !(recurrent_dropout >= 0.0 && recurrent_dropout <= 1.0))
    throw ValueError(std::string(where) +
                     ": `dropout` and `recurrent_dropout` must be in [0, 1], got " +
                     std::to_string(dropout) + " and " + std::to_string(recurrent_dropout));
}

// x (time, batch, features) with the cell's input dropout mask (batch, features), the same at
// every step, applied: what a sequence kernel receives.
inline Tensor apply_sequence_dropout(const DropoutCellState& dropout, const Tensor& x) {
  if (!dropout.input_active()) return x;
  const Shape& s = x.shape();
  return ops::reshape(dropout.apply_input(ops::reshape(x, {s[0] * s[1], s[2]})), s);
}

}  // namespace keras::layers::rnn_detail
