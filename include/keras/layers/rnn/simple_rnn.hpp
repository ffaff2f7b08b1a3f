#pragma once
// keras.layers.SimpleRNNCell and SimpleRNN (keras/src/layers/rnn/simple_rnn.py):
// h_t = activation(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel).
// Weights (cell): kernel (features, units), recurrent_kernel (units, units), bias (units,).
//
//   auto y = layers::SimpleRNN({.units = 32, .return_sequences = true})(x);
#include "keras/activations/activations.hpp"
#include "keras/layers/rnn/rnn.hpp"

namespace keras::layers {

struct SimpleRNNCellOptions {
  int64_t units = 0;  // required
  activations::Activation activation = "tanh";
  bool use_bias = true;
  saving::ObjectRef<initializers::Initializer> kernel_initializer = "glorot_uniform";
  saving::ObjectRef<initializers::Initializer> recurrent_initializer = "orthogonal";
  saving::ObjectRef<initializers::Initializer> bias_initializer = "zeros";
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

class SimpleRNNCellImpl : public RNNCellImpl {
 public:
  using Options = SimpleRNNCellOptions;
  explicit SimpleRNNCellImpl(SimpleRNNCellOptions options);
  std::string class_name() const override { return "SimpleRNNCell"; }
  std::vector<int64_t> state_size() const override { return {options_.units}; }
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
  const SimpleRNNCellOptions& options() const { return options_; }
  const Variable& kernel() const { return kernel_; }
  const Variable& recurrent_kernel() const { return recurrent_kernel_; }
  const Variable& bias() const { return bias_; }

 private:
  SimpleRNNCellOptions options_;
  DropoutCellState dropout_;
  Variable kernel_, recurrent_kernel_, bias_;
};
KERAS_LAYER(SimpleRNNCell);

struct SimpleRNNOptions {
  int64_t units = 0;  // required
  activations::Activation activation = "tanh";
  bool use_bias = true;
  saving::ObjectRef<initializers::Initializer> kernel_initializer = "glorot_uniform";
  saving::ObjectRef<initializers::Initializer> recurrent_initializer = "orthogonal";
  saving::ObjectRef<initializers::Initializer> bias_initializer = "zeros";
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

class SimpleRNNImpl : public RNNImpl {
 public:
  using Options = SimpleRNNOptions;
  explicit SimpleRNNImpl(SimpleRNNOptions options);
  std::string class_name() const override { return "SimpleRNN"; }
  Config get_config() const override;
  SimpleRNNCellImpl& simple_cell() const { return static_cast<SimpleRNNCellImpl&>(*cell()); }
  int64_t units() const { return options_.units; }

 private:
  SimpleRNNOptions options_;
};
KERAS_LAYER(SimpleRNN);

}  // namespace keras::layers
