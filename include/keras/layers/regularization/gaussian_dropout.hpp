#pragma once
// keras.layers.GaussianDropout (keras/src/layers/regularization/gaussian_dropout.py): in training,
// multiplies inputs by normal noise of mean 1 and standard deviation sqrt(rate / (1 - rate));
// identity otherwise.
//
//   auto drop = layers::GaussianDropout({.rate = 0.2, .seed = 3});
#include "keras/layers/layer.hpp"
#include "keras/layers/option_groups.hpp"
#include "keras/random/seed_generator.hpp"

namespace keras::layers {

struct GaussianDropoutOptions {
  double rate = 0.0;  // required in Keras, in [0, 1]
  std::optional<int64_t> seed{};
  KERAS_BASE_LAYER_OPTIONS;
};

class GaussianDropoutImpl : public LayerImpl {
 public:
  using Options = GaussianDropoutOptions;
  explicit GaussianDropoutImpl(GaussianDropoutOptions options);
  std::string class_name() const override { return "GaussianDropout"; }
  Tensor call(const Tensor& inputs, const CallContext& context) override;
  Config get_config() const override;
  double rate() const { return options_.rate; }

 private:
  GaussianDropoutOptions options_;
  std::optional<random::SeedGenerator> seed_generator_;  // only when rate > 0, as in Keras
};
KERAS_LAYER(GaussianDropout);

}  // namespace keras::layers
