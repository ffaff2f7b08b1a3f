#pragma once
// keras.layers.SimpleRNNCell and SimpleRNN (keras/src/layers/rnn/simple_rnn.py):
// h_t = activation(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel).
// Weights (cell): kernel (features, units), recurrent_kernel (units, units), bias (units,).
//
//   auto y = layers::SimpleRNN({.units = 32, .return_sequences = true})(x);
#include "keras/activations/activations.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/rnn/rnn.hpp"

namespace keras::layers {

struct SimpleRNNCellOptions {
  int64_t units = 0;  // required
  activations::Activation activation = "tanh";
  bool use_bias = true;
  KERAS_RECURRENT_INITIALIZER_OPTIONS;
  KERAS_RECURRENT_CELL_REGULARIZER_OPTIONS;
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
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
  KERAS_RECURRENT_INITIALIZER_OPTIONS;
  KERAS_RECURRENT_REGULARIZER_OPTIONS;
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  std::optional<int64_t> seed{};
  KERAS_RNN_OPTIONS;
  KERAS_BASE_LAYER_OPTIONS;
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
