#pragma once
// The base of Conv1D / Conv2D / Conv3D (keras/src/layers/convolutional/base_conv.py):
// activation(conv(inputs, kernel) + bias). kernel (*kernel_size, in_channels / groups, filters),
// bias (filters,).
#include "keras/activations/activations.hpp"
#include "keras/constraints/constraints.hpp"
#include "keras/core/ints.hpp"
#include "keras/initializers/initializer.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/ranked_layer.hpp"
#include "keras/regularizers/regularizers.hpp"

namespace keras::layers {

// Conv1DOptions, Conv2DOptions and Conv3DOptions are this struct.
struct BaseConvOptions {
  int64_t filters = 0;  // required
  Ints kernel_size{};   // required: an int or one int per spatial dimension
  Ints strides = 1;
  std::string padding = "valid";  // "valid", "same" (Conv1D also "causal")
  std::string data_format{};      // "" = keras::config::image_data_format()
  Ints dilation_rate = 1;
  int64_t groups = 1;
  activations::Activation activation{};
  bool use_bias = true;
  KERAS_KERNEL_BIAS_OPTIONS;
  KERAS_BASE_LAYER_OPTIONS;
};

class BaseConvImpl : public LayerImpl {
 public:
  using Options = BaseConvOptions;
  // `where` is the Keras class name, used in messages.
  BaseConvImpl(int rank, BaseConvOptions options, const std::string& where);
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;

  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }  // undefined when use_bias is false
  int rank() const { return rank_; }
  const std::vector<int64_t>& kernel_size() const { return kernel_size_; }
  const std::vector<int64_t>& strides() const { return strides_; }
  const std::vector<int64_t>& dilation_rate() const { return dilation_rate_; }
  const std::string& padding() const { return padding_; }
  const std::string& data_format() const { return data_format_; }

 protected:
  int channel_axis(int input_rank) const {
    return data_format_ == "channels_last" ? input_rank - 1 : 1;
  }

  int rank_;
  BaseConvOptions options_;
  std::vector<int64_t> kernel_size_, strides_, dilation_rate_;
  std::string padding_, data_format_;
  Shape built_shape_;
  Variable kernel_;
  Variable bias_;
};

// Reads a Conv*D config (shared by the three registrations).
BaseConvOptions conv_options_from_config(const Config& config);

// keras.layers.Conv1D / Conv2D / Conv3D (keras/src/layers/convolutional/conv{1,2,3}d.py).
//
//   auto conv = layers::Conv2D({.filters = 32, .kernel_size = 3, .padding = "same",
//                               .activation = "relu"});
KERAS_RANKED_LAYER(Conv1D, BaseConvImpl, 1, Convolution1D);
KERAS_RANKED_LAYER(Conv2D, BaseConvImpl, 2, Convolution2D);
KERAS_RANKED_LAYER(Conv3D, BaseConvImpl, 3, Convolution3D);

}  // namespace keras::layers
