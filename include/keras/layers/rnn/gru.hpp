#pragma once
// keras.layers.GRUCell and GRU (keras/src/layers/rnn/gru.py). Gates in Keras's order z, r, h:
// z, r = recurrent_activation(x W_z,r + h U_z,r + b); hh = activation(x W_h + r * (h U_h + b_rh))
// with reset_after (the default; bias of shape (2, 3 units): input and recurrent biases), or
// activation(x W_h + (r * h) U_h + b_h) without (bias (3 units,)); h_t = z * h + (1 - z) * hh.
//
//   auto y = layers::GRU({.units = 64, .return_sequences = true})(x);
#include "keras/activations/activations.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/rnn/rnn.hpp"

namespace keras::layers {

struct GRUCellOptions {
  int64_t units = 0;  // required
  activations::Activation activation = "tanh";
  activations::Activation recurrent_activation = "sigmoid";
  bool use_bias = true;
  KERAS_RECURRENT_INITIALIZER_OPTIONS;
  KERAS_RECURRENT_CELL_REGULARIZER_OPTIONS;
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  bool reset_after = true;
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

class GRUCellImpl : public RNNCellImpl {
 public:
  using Options = GRUCellOptions;
  explicit GRUCellImpl(GRUCellOptions options);
  std::string class_name() const override { return "GRUCell"; }
  std::vector<int64_t> state_size() const override { return {options_.units}; }
  void build(const Shape& input_shape) override;
  std::pair<Tensor, std::vector<Tensor>> call_cell(const Tensor& x,
                                                   const std::vector<Tensor>& states,
                                                   const CallContext& context) override;
  void begin_sequence(const Tensor& step_input, const std::vector<Tensor>& states,
                      bool training) override;
  void end_sequence() override;
  bool supports_projection() const override { return true; }
  Tensor project_inputs(const Tensor& x) override;
  std::pair<Tensor, std::vector<Tensor>> step_projected(const Tensor& projected,
                                                        const std::vector<Tensor>& states) override;
  // Backend::gru in Keras's reset_after form when the activations are Keras's defaults (tanh,
  // sigmoid), recurrent dropout is off for this call, and the backend has the kernel (cpu,
  // torch) for the float32/float64 input.
  std::optional<SequenceResult> call_sequence(const Tensor& x,
                                              const std::vector<Tensor>& states) override;
  Config get_config() const override;
  const GRUCellOptions& options() const { return options_; }
  const Variable& kernel() const { return kernel_; }
  const Variable& recurrent_kernel() const { return recurrent_kernel_; }
  const Variable& bias() const { return bias_; }

 private:
  GRUCellOptions options_;
  DropoutCellState dropout_;
  Tensor input_bias_, recurrent_bias_;  // cached per sequence (reset_after)
  std::pair<Tensor, Tensor> biases() const;
  Variable kernel_, recurrent_kernel_, bias_;
};
KERAS_LAYER(GRUCell);

struct GRUOptions {
  int64_t units = 0;  // required
  activations::Activation activation = "tanh";
  activations::Activation recurrent_activation = "sigmoid";
  bool use_bias = true;
  KERAS_RECURRENT_INITIALIZER_OPTIONS;
  KERAS_RECURRENT_REGULARIZER_OPTIONS;
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::optional<int64_t> seed{};
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;
  bool stateful = false;
  bool unroll = false;
  bool reset_after = true;
  bool zero_output_for_mask = false;
  KERAS_BASE_LAYER_OPTIONS;
};

class GRUImpl : public RNNImpl {
 public:
  using Options = GRUOptions;
  explicit GRUImpl(GRUOptions options);
  std::string class_name() const override { return "GRU"; }
  Config get_config() const override;
  GRUCellImpl& gru_cell() const { return static_cast<GRUCellImpl&>(*cell()); }
  int64_t units() const { return options_.units; }

 private:
  GRUOptions options_;
};
KERAS_LAYER(GRU);

}  // namespace keras::layers
