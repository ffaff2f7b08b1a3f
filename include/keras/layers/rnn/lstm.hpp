#pragma once
// keras.layers.LSTMCell and LSTM (keras/src/layers/rnn/lstm.py). Gates in Keras's order i, f, c, o:
// z = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias; c_t = f * c_{t-1} + i * activation(z_c);
// h_t = o * activation(c_t), with i, f, o = recurrent_activation(z_i, z_f, z_o). States [h, c].
// Weights (cell): kernel (features, 4 units), recurrent_kernel (units, 4 units), bias (4 units,);
// unit_forget_bias initializes the forget-gate bias to ones.
//
//   auto y = layers::LSTM({.units = 128})(x);                      // (batch, 128)
//   auto outs = layers::LSTM({.units = 8, .return_state = true}).invoke({x});  // [y, h, c]
#include "keras/activations/activations.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/rnn/rnn.hpp"

namespace keras::layers {

struct LSTMCellOptions {
  int64_t units = 0;  // required
  activations::Activation activation = "tanh";
  activations::Activation recurrent_activation = "sigmoid";
  bool use_bias = true;
  KERAS_RECURRENT_INITIALIZER_OPTIONS;
  bool unit_forget_bias = true;
  KERAS_RECURRENT_CELL_REGULARIZER_OPTIONS;
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

class LSTMCellImpl : public RNNCellImpl {
 public:
  using Options = LSTMCellOptions;
  explicit LSTMCellImpl(LSTMCellOptions options);
  std::string class_name() const override { return "LSTMCell"; }
  std::vector<int64_t> state_size() const override { return {options_.units, options_.units}; }
  void build(const Shape& input_shape) override;
  std::pair<Tensor, std::vector<Tensor>> call_cell(const Tensor& x,
                                                   const std::vector<Tensor>& states,
                                                   const CallContext& context) override;
  void begin_sequence(const Tensor& step_input, const std::vector<Tensor>& states,
                      bool training) override;
  void end_sequence() override { dropout_.end(); }
  bool supports_projection() const override { return true; }
  Tensor project_inputs(const Tensor& x) override;
  std::pair<Tensor, std::vector<Tensor>> step_projected(const Tensor& projected,
                                                        const std::vector<Tensor>& states) override;
  // Backend::lstm when the activations are Keras's defaults (tanh, sigmoid), recurrent dropout is
  // off for this call, and the backend has the kernel (cpu, torch) for the float32/float64 input.
  std::optional<SequenceResult> call_sequence(const Tensor& x,
                                              const std::vector<Tensor>& states) override;
  Config get_config() const override;
  const LSTMCellOptions& options() const { return options_; }
  const Variable& kernel() const { return kernel_; }
  const Variable& recurrent_kernel() const { return recurrent_kernel_; }
  const Variable& bias() const { return bias_; }

 private:
  LSTMCellOptions options_;
  DropoutCellState dropout_;
  Variable kernel_, recurrent_kernel_, bias_;
};
KERAS_LAYER(LSTMCell);

struct LSTMOptions {
  int64_t units = 0;  // required
  activations::Activation activation = "tanh";
  activations::Activation recurrent_activation = "sigmoid";
  bool use_bias = true;
  KERAS_RECURRENT_INITIALIZER_OPTIONS;
  bool unit_forget_bias = true;
  KERAS_RECURRENT_REGULARIZER_OPTIONS;
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::optional<int64_t> seed{};
  KERAS_RNN_OPTIONS;
  KERAS_BASE_LAYER_OPTIONS;
};

class LSTMImpl : public RNNImpl {
 public:
  using Options = LSTMOptions;
  explicit LSTMImpl(LSTMOptions options);
  std::string class_name() const override { return "LSTM"; }
  Config get_config() const override;
  LSTMCellImpl& lstm_cell() const { return static_cast<LSTMCellImpl&>(*cell()); }
  int64_t units() const { return options_.units; }

 private:
  LSTMOptions options_;
};
KERAS_LAYER(LSTM);

}  // namespace keras::layers
