#pragma once
// keras.layers.GaussianNoise (keras/src/layers/regularization/gaussian_noise.py): in training,
// adds zero-centred normal noise of standard deviation `stddev`; identity otherwise.
//
//   auto noise = layers::GaussianNoise({.stddev = 0.1, .seed = 3});
//   y = noise(x, {.training = true});
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/random/seed_generator.hpp"

namespace keras::layers {

struct GaussianNoiseOptions {
  double stddev = 0.0;  // required in Keras, in [0, 1]
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

class GaussianNoiseImpl : public LayerImpl {
 public:
  using Options = GaussianNoiseOptions;
  explicit GaussianNoiseImpl(GaussianNoiseOptions options);
  std::string class_name() const override { return "GaussianNoise"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  double stddev() const { return options_.stddev; }

 private:
  GaussianNoiseOptions options_;
  std::optional<random::SeedGenerator> seed_generator_;  // only when stddev > 0, as in Keras
};
KERAS_LAYER(GaussianNoise);

}  // namespace keras::layers
