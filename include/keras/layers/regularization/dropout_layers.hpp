#pragma once
// The random regularization layers: Dropout, AlphaDropout, GaussianDropout and GaussianNoise
// (keras/src/layers/regularization/{dropout,alpha_dropout,gaussian_dropout,gaussian_noise}.py).
// Each is the identity outside training.
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/random/seed_generator.hpp"

namespace keras::layers {

// keras.layers.Dropout (keras/src/layers/regularization/dropout.py): in training, zeroes inputs
// with probability `rate` and scales the rest by 1 / (1 - rate); identity otherwise.
//
//   auto drop = layers::Dropout({.rate = 0.5, .seed = 42});
//   y = drop(x, {.training = true});
struct DropoutOptions {
  double rate = 0.0;  // required in Keras, in [0, 1]
  // Shape of the binary mask, broadcast against inputs; Shape::kNone entries take the input's size.
  std::optional<Shape> noise_shape{};
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

class DropoutImpl : public LayerWith<DropoutOptions, "Dropout"> {
 public:
  explicit DropoutImpl(DropoutOptions options);
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  double rate() const { return options_.rate; }
  random::SeedGenerator& seed_generator() { return seed_generator_; }

 private:
  random::SeedGenerator seed_generator_;
};
KERAS_LAYER(Dropout);

// keras.layers.AlphaDropout (keras/src/layers/regularization/alpha_dropout.py): dropout for SELU
// networks. In training, each element is kept with probability 1 - rate or set to SELU's negative
// saturation value -alpha * scale, then the result is scaled and shifted (a * x + b) so that mean
// and variance are preserved; identity otherwise.
//
//   auto drop = layers::AlphaDropout({.rate = 0.1, .seed = 3});
struct AlphaDropoutOptions {
  double rate = 0.0;  // required in Keras, in [0, 1]
  // Shape of the keep/drop mask, broadcast against inputs; Shape::kNone entries take the input's
  // size.
  std::optional<Shape> noise_shape{};
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

class AlphaDropoutImpl : public LayerWith<AlphaDropoutOptions, "AlphaDropout"> {
 public:
  explicit AlphaDropoutImpl(AlphaDropoutOptions options);
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  double rate() const { return options_.rate; }

 private:
  std::optional<random::SeedGenerator> seed_generator_;  // only when rate > 0, as in Keras
};
KERAS_LAYER(AlphaDropout);

// keras.layers.GaussianDropout (keras/src/layers/regularization/gaussian_dropout.py): in training,
// multiplies inputs by normal noise of mean 1 and standard deviation sqrt(rate / (1 - rate));
// identity otherwise.
//
//   auto drop = layers::GaussianDropout({.rate = 0.2, .seed = 3});
struct GaussianDropoutOptions {
  double rate = 0.0;  // required in Keras, in [0, 1]
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

class GaussianDropoutImpl : public LayerWith<GaussianDropoutOptions, "GaussianDropout"> {
 public:
  explicit GaussianDropoutImpl(GaussianDropoutOptions options);
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  double rate() const { return options_.rate; }

 private:
  std::optional<random::SeedGenerator> seed_generator_;  // only when rate > 0, as in Keras
};
KERAS_LAYER(GaussianDropout);

// keras.layers.GaussianNoise (keras/src/layers/regularization/gaussian_noise.py): in training,
// adds zero-centred normal noise of standard deviation `stddev`; identity otherwise.
//
//   auto noise = layers::GaussianNoise({.stddev = 0.1, .seed = 3});
//   y = noise(x, {.training = true});
struct GaussianNoiseOptions {
  double stddev = 0.0;  // required in Keras, in [0, 1]
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

class GaussianNoiseImpl : public LayerWith<GaussianNoiseOptions, "GaussianNoise"> {
 public:
  explicit GaussianNoiseImpl(GaussianNoiseOptions options);
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  double stddev() const { return options_.stddev; }

 private:
  std::optional<random::SeedGenerator> seed_generator_;  // only when stddev > 0, as in Keras
};
KERAS_LAYER(GaussianNoise);

}  // namespace keras::layers
