#pragma once
// keras.layers.AlphaDropout (keras/src/layers/regularization/alpha_dropout.py): dropout for SELU
// networks. In training, each element is kept with probability 1 - rate or set to SELU's negative
// saturation value -alpha * scale, then the result is scaled and shifted (a * x + b) so that mean
// and variance are preserved; identity otherwise.
//
//   auto drop = layers::AlphaDropout({.rate = 0.1, .seed = 3});
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/random/seed_generator.hpp"

namespace keras::layers {

struct AlphaDropoutOptions {
  double rate = 0.0;  // required in Keras, in [0, 1]
  // Shape of the keep/drop mask, broadcast against inputs; Shape::kNone entries take the input's
  // size.
  std::optional<Shape> noise_shape{};
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

class AlphaDropoutImpl : public LayerImpl {
 public:
  using Options = AlphaDropoutOptions;
  explicit AlphaDropoutImpl(AlphaDropoutOptions options);
  std::string class_name() const override { return "AlphaDropout"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  double rate() const { return options_.rate; }

 private:
  AlphaDropoutOptions options_;
  std::optional<random::SeedGenerator> seed_generator_;  // only when rate > 0, as in Keras
};
KERAS_LAYER(AlphaDropout);

}  // namespace keras::layers
