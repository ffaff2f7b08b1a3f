#pragma once
// from_config helpers shared by the built-in optimizers.
#include "keras/optimizers/optimizer.hpp"
#include "optimizers/config_reader.hpp"

namespace keras::optimizers::detail {

// Reads the ⟨opt-common⟩ keys into any optimizer's options struct. `learning_rate` is a number
// or a schedule envelope; Keras's legacy "decay" key is ignored, as Keras does (with a warning).
template <class O>
void read_common(ConfigReader& r, O& o) {
  r.read("name", o.name);
  if (const Config* lr = r.find("learning_rate")) {
    if (lr->is_number())
      o.learning_rate = lr->get<double>();
    else if (lr->is_object())
      o.learning_rate = schedules::deserialize(*lr);
    else
      throw ValueError(r.class_name() +
                       ".from_config: `learning_rate` must be a float or a schedule envelope, "
                       "got " +
                       lr->dump());
  }
  r.read("weight_decay", o.weight_decay);
  r.read("clipnorm", o.clipnorm);
  r.read("global_clipnorm", o.global_clipnorm);
  r.read("clipvalue", o.clipvalue);
  r.read("use_ema", o.use_ema);
  r.read("ema_momentum", o.ema_momentum);
  r.read("ema_overwrite_frequency", o.ema_overwrite_frequency);
  r.read("loss_scale_factor", o.loss_scale_factor);
  r.read("gradient_accumulation_steps", o.gradient_accumulation_steps);
  r.ignore("decay");
}

// A built-in optimizer from its config: the common keys, then its own `fields`
// (serialization/config_fields.hpp).
template <class Impl, class Fields>
std::shared_ptr<Optimizer> from_fields(const Config& config, const std::string& class_name,
                                       Fields fields) {
  return from_fields<Impl>(config, class_name, fields,
                           [](ConfigReader& r, auto& o) { read_common(r, o); });
}

// The arguments Adamax, Lamb and Nadam take besides the common ones.
inline constexpr auto kBetasEpsilonFields = [](auto& o, auto&& field) {
  field("beta_1", o.beta_1);
  field("beta_2", o.beta_2);
  field("epsilon", o.epsilon);
};
// Adam's and AdamW's.
inline constexpr auto kAdamFields = [](auto& o, auto&& field) {
  kBetasEpsilonFields(o, field);
  field("amsgrad", o.amsgrad);
};

}  // namespace keras::optimizers::detail
