#pragma once
// The base of Conv1DTranspose / Conv2DTranspose / Conv3DTranspose
// (keras/src/layers/convolutional/base_conv_transpose.py). kernel (*kernel_size, filters,
// in_channels), bias (filters,).
#include <optional>

#include "keras/activations/activations.hpp"
#include "keras/constraints/constraints.hpp"
#include "keras/core/ints.hpp"
#include "keras/initializers/initializer.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/layers/ranked_layer.hpp"
#include "keras/regularizers/regularizers.hpp"

namespace keras::layers {

// Conv1DTransposeOptions, Conv2DTransposeOptions and Conv3DTransposeOptions are this struct.
struct BaseConvTransposeOptions {
  int64_t filters = 0;  // required
  Ints kernel_size{};   // required
  Ints strides = 1;
  std::string padding = "valid";
  std::optional<Ints> output_padding{};  // each value < the stride; default: inferred
  std::string data_format{};
  Ints dilation_rate = 1;
  activations::Activation activation{};
  bool use_bias = true;
  KERAS_KERNEL_BIAS_OPTIONS;
  KERAS_BASE_LAYER_OPTIONS;
};

class BaseConvTransposeImpl : public LayerImpl {
 public:
  using Options = BaseConvTransposeOptions;
  BaseConvTransposeImpl(int rank, BaseConvTransposeOptions options, const std::string& where);
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }

 protected:
  int channel_axis(int input_rank) const {
    return data_format_ == "channels_last" ? input_rank - 1 : 1;
  }
  int rank_;
  BaseConvTransposeOptions options_;
  std::vector<int64_t> kernel_size_, strides_, dilation_rate_;
  std::optional<std::vector<int64_t>> output_padding_;
  std::string padding_, data_format_;
  Shape built_shape_;
  Variable kernel_;
  Variable bias_;
};

BaseConvTransposeOptions conv_transpose_options_from_config(const Config& config);

// keras.layers.Conv{1,2,3}DTranspose (keras/src/layers/convolutional/conv{1,2,3}d_transpose.py).
KERAS_RANKED_LAYER(Conv1DTranspose, BaseConvTransposeImpl, 1, Convolution1DTranspose);
KERAS_RANKED_LAYER(Conv2DTranspose, BaseConvTransposeImpl, 2, Convolution2DTranspose);
KERAS_RANKED_LAYER(Conv3DTranspose, BaseConvTransposeImpl, 3, Convolution3DTranspose);

}  // namespace keras::layers
