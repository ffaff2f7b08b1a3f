#include "keras/optimizers/optimizers.hpp"

#include "optimizers/optimizer_config.hpp"

namespace keras::optimizers {

namespace {
AdamOptions to_adam(const AdamWOptions& o) {
  if (!o.weight_decay)
    throw ValueError("AdamW: argument `weight_decay` must be a float. Received: weight_decay=None");
  AdamOptions a;
  a.learning_rate = o.learning_rate;
  a.beta_1 = o.beta_1;
  a.beta_2 = o.beta_2;
  a.epsilon = o.epsilon;
  a.amsgrad = o.amsgrad;
  a.weight_decay = o.weight_decay;
  a.clipnorm = o.clipnorm;
  a.clipvalue = o.clipvalue;
  a.global_clipnorm = o.global_clipnorm;
  a.use_ema = o.use_ema;
  a.ema_momentum = o.ema_momentum;
  a.ema_overwrite_frequency = o.ema_overwrite_frequency;
  a.loss_scale_factor = o.loss_scale_factor;
  a.gradient_accumulation_steps = o.gradient_accumulation_steps;
  a.name = o.name;
  return a;
}
}  // namespace

AdamW::AdamW(Options options) : Adam(to_adam(options), "AdamW") {}

std::shared_ptr<Optimizer> AdamW::from_config(const Config& config) {
  return detail::from_fields<AdamW>(config, "AdamW", detail::kAdamFields);
}

}  // namespace keras::optimizers
