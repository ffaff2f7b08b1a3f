#pragma once
// keras.layers.SpatialDropout1D / 2D / 3D (keras/src/layers/regularization/spatial_dropout.py):
// Dropout that drops whole feature maps (one keep/drop draw per sample and channel, shared by
// every step / pixel / voxel) in training; identity otherwise.
//
//   auto drop = layers::SpatialDropout2D({.rate = 0.2, .seed = 1});
//   y = drop(x, {.training = true});
//
// As in Keras, these take only rate, data_format (2D / 3D), seed, name and dtype, and their
// config has no "trainable" key.
#include "keras/layers/regularization/dropout_layers.hpp"

namespace keras::layers {

// The shared implementation (Keras's BaseSpatialDropout, a Dropout subclass).
class BaseSpatialDropoutImpl : public DropoutImpl {
 public:
  // rank: 3, 4 or 5; data_format: "channels_last" / "channels_first" ("" for 1D: channels last).
  BaseSpatialDropoutImpl(double rate, std::optional<int64_t> seed, std::string name,
                         std::optional<DType> dtype, int rank, std::string data_format);
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  const std::string& data_format() const { return data_format_; }

 protected:
  Shape noise_shape(const Shape& input_shape) const;

 private:
  std::optional<int64_t> seed_;
  int rank_;
  std::string data_format_;  // empty for SpatialDropout1D (no data_format argument)
};

struct SpatialDropout1DOptions {
  double rate = 0.0;  // required in Keras, in [0, 1]
  std::optional<int64_t> seed{};
  std::string name{};
  std::optional<DType> dtype{};
};

class SpatialDropout1DImpl : public BaseSpatialDropoutImpl {
 public:
  using Options = SpatialDropout1DOptions;
  explicit SpatialDropout1DImpl(SpatialDropout1DOptions options);
  std::string class_name() const override { return "SpatialDropout1D"; }
};
KERAS_LAYER(SpatialDropout1D);

struct SpatialDropout2DOptions {
  double rate = 0.0;          // required in Keras, in [0, 1]
  std::string data_format{};  // "" -> keras::config::image_data_format()
  std::optional<int64_t> seed{};
  std::string name{};
  std::optional<DType> dtype{};
};

class SpatialDropout2DImpl : public BaseSpatialDropoutImpl {
 public:
  using Options = SpatialDropout2DOptions;
  explicit SpatialDropout2DImpl(SpatialDropout2DOptions options);
  std::string class_name() const override { return "SpatialDropout2D"; }
};
KERAS_LAYER(SpatialDropout2D);

struct SpatialDropout3DOptions {
  double rate = 0.0;          // required in Keras, in [0, 1]
  std::string data_format{};  // "" -> keras::config::image_data_format()
  std::optional<int64_t> seed{};
  std::string name{};
  std::optional<DType> dtype{};
};

class SpatialDropout3DImpl : public BaseSpatialDropoutImpl {
 public:
  using Options = SpatialDropout3DOptions;
  explicit SpatialDropout3DImpl(SpatialDropout3DOptions options);
  std::string class_name() const override { return "SpatialDropout3D"; }
};
KERAS_LAYER(SpatialDropout3D);

}  // namespace keras::layers
