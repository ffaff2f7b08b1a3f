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
#include "keras/layers/rnn/rnn.hpp"

namespace keras::layers {

struct LSTMCellOptions {
  int64_t units = 0;  // required
  activations::Activation activation = "tanh";
  activations::Activation recurrent_activation = "sigmoid";
  bool use_bias = true;
  saving::ObjectRef<initializers::Initializer> kernel_initializer = "glorot_uniform";
  saving::ObjectRef<initializers::Initializer> recurrent_initializer = "orthogonal";
  saving::ObjectRef<initializers::Initializer> bias_initializer = "zeros";
  bool unit_forget_bias = true;
  saving::ObjectRef<regularizers::Regularizer> kernel_regularizer{};
  saving::ObjectRef<regularizers::Regularizer> recurrent_regularizer{};
  saving::ObjectRef<regularizers::Regularizer> bias_regularizer{};
  saving::ObjectRef<constraints::Constraint> kernel_constraint{};
  saving::ObjectRef<constraints::Constraint> recurrent_constraint{};
  saving::ObjectRef<constraints::Constraint> bias_constraint{};
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::optional<int64_t> seed{};
  std::string name{};
  std::optional<DType> dtype{};
  bool trainable = true;
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
  saving::ObjectRef<initializers::Initializer> kernel_initializer = "glorot_uniform";
  saving::ObjectRef<initializers::Initializer> recurrent_initializer = "orthogonal";
  saving::ObjectRef<initializers::Initializer> bias_initializer = "zeros";
  bool unit_forget_bias = true;
  saving::ObjectRef<regularizers::Regularizer> kernel_regularizer{};
  saving::ObjectRef<regularizers::Regularizer> recurrent_regularizer{};
  saving::ObjectRef<regularizers::Regularizer> bias_regularizer{};
  saving::ObjectRef<regularizers::Regularizer> activity_regularizer{};
  saving::ObjectRef<constraints::Constraint> kernel_constraint{};
  saving::ObjectRef<constraints::Constraint> recurrent_constraint{};
  saving::ObjectRef<constraints::Constraint> bias_constraint{};
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::optional<int64_t> seed{};
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;
  bool stateful = false;
  bool unroll = false;
  bool zero_output_for_mask = false;
  std::string name{};
  std::optional<DType> dtype{};
  bool trainable = true;
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
