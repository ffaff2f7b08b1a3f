#pragma once
// keras.layers.Dropout (keras/src/layers/regularization/dropout.py): in training, zeroes inputs
// with probability `rate` and scales the rest by 1 / (1 - rate); identity otherwise.
//
//   auto drop = layers::Dropout({.rate = 0.5, .seed = 42});
//   y = drop(x, {.training = true});
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/random/seed_generator.hpp"

namespace keras::layers {

struct DropoutOptions {
  double rate = 0.0;  // required in Keras, in [0, 1]
  // Shape of the binary mask, broadcast against inputs; Shape::kNone entries take the input's size.
  std::optional<Shape> noise_shape{};
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

class DropoutImpl : public LayerImpl {
 public:
  using Options = DropoutOptions;
  explicit DropoutImpl(DropoutOptions options);
  std::string class_name() const override { return "Dropout"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  double rate() const { return options_.rate; }
  random::SeedGenerator& seed_generator() { return seed_generator_; }

 private:
  DropoutOptions options_;
  random::SeedGenerator seed_generator_;
};
KERAS_LAYER(Dropout);

}  // namespace keras::layers
