#pragma once
// Internal helpers of the recurrent layers: the config keys shared by the cells and the layers
// (written in Keras's order) and their reading back.
#include "keras/layers/rnn/rnn.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers::rnn_detail {

using namespace keras::layers::detail;

inline double clip01(double v) { return std::min(1.0, std::max(0.0, v)); }

// Keras's get_config of SimpleRNN/LSTM/GRU and their cells. `layer`: the layer form (with
// activity_regularizer; SimpleRNN without seed), else the cell form.
template <class O>
Config recurrent_config(const O& o, bool layer, bool with_seed) {
  Config c = Config::object();
  c["units"] = o.units;
  c["activation"] = activations::serialize(o.activation);
  if constexpr (requires { o.recurrent_activation; })
    c["recurrent_activation"] = activations::serialize(o.recurrent_activation);
  c["use_bias"] = o.use_bias;
  if constexpr (requires { o.unit_forget_bias; })
    if (!layer) c["unit_forget_bias"] = o.unit_forget_bias;
  c["kernel_initializer"] = serialize_ref(o.kernel_initializer);
  c["recurrent_initializer"] = serialize_ref(o.recurrent_initializer);
  c["bias_initializer"] = serialize_ref(o.bias_initializer);
  if constexpr (requires { o.unit_forget_bias; })
    if (layer) c["unit_forget_bias"] = o.unit_forget_bias;
  c["kernel_regularizer"] = serialize_ref(o.kernel_regularizer);
  c["recurrent_regularizer"] = serialize_ref(o.recurrent_regularizer);
  c["bias_regularizer"] = serialize_ref(o.bias_regularizer);
  if constexpr (requires { o.activity_regularizer; })
    c["activity_regularizer"] = serialize_ref(o.activity_regularizer);
  c["kernel_constraint"] = serialize_ref(o.kernel_constraint);
  c["recurrent_constraint"] = serialize_ref(o.recurrent_constraint);
  c["bias_constraint"] = serialize_ref(o.bias_constraint);
  c["dropout"] = clip01(o.dropout);
  c["recurrent_dropout"] = clip01(o.recurrent_dropout);
  if constexpr (requires { o.reset_after; }) c["reset_after"] = o.reset_after;
  if (with_seed) c["seed"] = o.seed ? Config(*o.seed) : Config(nullptr);
  return c;
}

template <class O>
void read_recurrent(const Config& c, O& o) {
  o.units = get_or<int64_t>(c, "units", 0);
  if (has(c, "activation")) o.activation = read_activation(c, "activation");
  if constexpr (requires { o.recurrent_activation; })
    if (has(c, "recurrent_activation"))
      o.recurrent_activation = read_activation(c, "recurrent_activation");
  o.use_bias = get_or<bool>(c, "use_bias", true);
  if constexpr (requires { o.unit_forget_bias; })
    o.unit_forget_bias = get_or<bool>(c, "unit_forget_bias", true);
  o.kernel_initializer = read_initializer(c, "kernel_initializer", "glorot_uniform");
  o.recurrent_initializer = read_initializer(c, "recurrent_initializer", "orthogonal");
  o.bias_initializer = read_initializer(c, "bias_initializer", "zeros");
  o.kernel_regularizer = read_regularizer(c, "kernel_regularizer");
  o.recurrent_regularizer = read_regularizer(c, "recurrent_regularizer");
  o.bias_regularizer = read_regularizer(c, "bias_regularizer");
  o.kernel_constraint = read_constraint(c, "kernel_constraint");
  o.recurrent_constraint = read_constraint(c, "recurrent_constraint");
  o.bias_constraint = read_constraint(c, "bias_constraint");
  o.dropout = get_or<double>(c, "dropout", 0.0);
  o.recurrent_dropout = get_or<double>(c, "recurrent_dropout", 0.0);
  if constexpr (requires { o.reset_after; }) o.reset_after = get_or<bool>(c, "reset_after", true);
  if (has(c, "seed")) o.seed = saving::config_int(c["seed"], "seed");
  if constexpr (requires { o.return_sequences; }) {
    o.return_sequences = get_or<bool>(c, "return_sequences", false);
    o.return_state = get_or<bool>(c, "return_state", false);
    o.go_backwards = get_or<bool>(c, "go_backwards", false);
    o.stateful = get_or<bool>(c, "stateful", false);
    o.unroll = get_or<bool>(c, "unroll", false);
    o.zero_output_for_mask = get_or<bool>(c, "zero_output_for_mask", false);
  }
  read_base(c, o);
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

}  // namespace keras::layers::rnn_detail
