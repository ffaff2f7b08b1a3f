#pragma once
// keras.layers.ConvLSTM1D / ConvLSTM2D / ConvLSTM3D and their cell (keras/src/layers/rnn/
// conv_lstm.py): an LSTM whose input and recurrent transformations are convolutions.
// Gates in Keras's order i, f, c, o:
//   z = conv(x_t, kernel, strides, padding, dilation) + bias + conv(h_{t-1}, recurrent_kernel,
//       strides 1, padding "same");
//   c_t = f * c_{t-1} + i * activation(z_c);  h_t = o * activation(c_t).
// Dropout as Keras: four input masks and four recurrent masks (one per gate) per sequence.
// Weights (cell): kernel (*kernel_size, in_channels, 4 filters), recurrent_kernel (*kernel_size,
// filters, 4 filters), bias (4 filters,); unit_forget_bias sets the forget-gate bias to ones.
// Inputs (batch, time, *spatial, channels) (channels_last) or (batch, time, channels, *spatial).
// States [h, c], each of the cell's output shape (batch, *out_spatial, filters).
//
//   auto y = layers::ConvLSTM2D({.filters = 8, .kernel_size = 3, .padding = "same",
//                                .return_sequences = true})(x);   // (b, t, h, w, 8)
#include "keras/activations/activations.hpp"
#include "keras/core/ints.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/rnn/rnn.hpp"

namespace keras::layers {

struct ConvLSTMCellOptions {
  int64_t filters = 0;  // required
  Ints kernel_size{};   // required
  Ints strides = 1;
  std::string padding = "valid";
  std::string data_format{};  // "" = keras::config::image_data_format()
  Ints dilation_rate = 1;
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

class ConvLSTMCellImpl : public RNNCellImpl {
 public:
  using Options = ConvLSTMCellOptions;
  // rank: 1, 2 or 3 spatial dimensions; 0 = the length of kernel_size (which must then be a
  // tuple).
  explicit ConvLSTMCellImpl(ConvLSTMCellOptions options, int rank = 0);
  std::string class_name() const override { return "ConvLSTMCell"; }
  // Keras's state_size is -1 (custom); the channel count of each state is reported here.
  std::vector<int64_t> state_size() const override { return {options_.filters, options_.filters}; }
  void build(const Shape& input_shape) override;
  std::pair<Tensor, std::vector<Tensor>> call_cell(const Tensor& x,
                                                   const std::vector<Tensor>& states,
                                                   const CallContext& context) override;
  std::vector<Tensor> get_initial_state(int64_t batch_size) const override;
  void begin_sequence(const Tensor& step_input, const std::vector<Tensor>& states,
                      bool training) override;
  void end_sequence() override;
  // The fused path: the RNN layer convolves every timestep's input at once ((time * batch, ...)
  // through the input kernel, plus bias), then step_projected does the recurrent convolution and
  // the gates.
  bool supports_projection() const override { return true; }
  Tensor project_inputs(const Tensor& x) override;
  std::pair<Tensor, std::vector<Tensor>> step_projected(const Tensor& projected,
                                                        const std::vector<Tensor>& states) override;
  Config get_config() const override;

  // The state / output shape for a step input shape (batch, *spatial, channels) (or channels
  // first): (batch, *out_spatial, filters).
  Shape output_shape_for(const Shape& step_input_shape) const;
  int rank() const { return rank_; }
  const ConvLSTMCellOptions& options() const { return options_; }
  const std::vector<int64_t>& kernel_size() const { return kernel_size_; }
  const std::vector<int64_t>& strides() const { return strides_; }
  const std::vector<int64_t>& dilation_rate() const { return dilation_rate_; }
  const std::string& padding() const { return padding_; }
  const std::string& data_format() const { return data_format_; }
  const Variable& kernel() const { return kernel_; }
  const Variable& recurrent_kernel() const { return recurrent_kernel_; }
  const Variable& bias() const { return bias_; }

 private:
  int rank_;
  ConvLSTMCellOptions options_;
  std::vector<int64_t> kernel_size_, strides_, dilation_rate_;
  std::string padding_, data_format_;
  // Keras's DropoutRNNCell with dropout_mask_count = 4: one input mask and one recurrent mask per
  // gate (i, f, c, o), drawn once per sequence.
  random::SeedGenerator seed_generator_;
  std::vector<Tensor> input_masks_, recurrent_masks_;
  Shape step_input_shape_;  // set by build
  Variable kernel_, recurrent_kernel_, bias_;
};
KERAS_LAYER(ConvLSTMCell);

struct ConvLSTMOptions {
  int64_t filters = 0;  // required
  Ints kernel_size{};   // required
  Ints strides = 1;
  std::string padding = "valid";
  std::string data_format{};
  Ints dilation_rate = 1;
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

// The shared implementation of ConvLSTM1D/2D/3D (Keras's ConvLSTM base class).
class ConvLSTMImpl : public RNNImpl {
 public:
  using Options = ConvLSTMOptions;
  ConvLSTMImpl(int rank, ConvLSTMOptions options);
  std::string class_name() const override { return "ConvLSTM" + std::to_string(rank_) + "D"; }
  void build(const std::vector<Shape>& input_shapes) override;
  using RNNImpl::call;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& context) override;
  Config get_config() const override;
  ConvLSTMCellImpl& conv_lstm_cell() const { return static_cast<ConvLSTMCellImpl&>(*cell()); }
  // Zeroes the states of a stateful layer (they have spatial dimensions, so the layer keeps its
  // own).
  void reset_states();
  void reset_state() { reset_states(); }
  const std::vector<Tensor>& states() const { return conv_states_; }

 private:
  int rank_;
  ConvLSTMOptions options_;
  std::vector<Tensor> conv_states_;  // stateful only
};

class ConvLSTM1DImpl : public ConvLSTMImpl {
 public:
  explicit ConvLSTM1DImpl(ConvLSTMOptions options) : ConvLSTMImpl(1, std::move(options)) {}
};
class ConvLSTM2DImpl : public ConvLSTMImpl {
 public:
  explicit ConvLSTM2DImpl(ConvLSTMOptions options) : ConvLSTMImpl(2, std::move(options)) {}
};
class ConvLSTM3DImpl : public ConvLSTMImpl {
 public:
  explicit ConvLSTM3DImpl(ConvLSTMOptions options) : ConvLSTMImpl(3, std::move(options)) {}
};
KERAS_LAYER(ConvLSTM1D);
KERAS_LAYER(ConvLSTM2D);
KERAS_LAYER(ConvLSTM3D);

}  // namespace keras::layers
