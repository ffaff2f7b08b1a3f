#include "keras/optimizers/schedules/learning_rate_schedule.hpp"

#include <numbers>

#include "keras/core/errors.hpp"
#include "keras/ops/ops.hpp"
#include "keras/serialization/object_registry.hpp"
#include "optimizers/config_reader.hpp"

namespace keras::optimizers::schedules {

namespace {

// Keras converts the Python-float hyperparameters with convert_to_tensor: float32 scalars.
Tensor f32(double v) { return ops::cast(Tensor(v), float32); }

void check_steps(const std::string& cls, const char* arg, int64_t steps) {
  if (steps <= 0)
    throw ValueError(cls + ": argument `" + arg + "` must be > 0. Received: " + arg + "=" +
                     std::to_string(steps));
}

// Each schedule's arguments, listed once for get_config() and from_config(), in Keras's order
// (serialization/config_fields.hpp).
// ExponentialDecay and InverseTimeDecay take the same arguments.
constexpr auto kDecayRateFields = [](auto& o, auto&& field) {
  field("initial_learning_rate", o.initial_learning_rate);
  field("decay_steps", o.decay_steps);
  field("decay_rate", o.decay_rate);
  field("staircase", o.staircase);
  field("name", o.name);
};
constexpr auto kPolynomialDecayFields = [](auto& o, auto&& field) {
  field("initial_learning_rate", o.initial_learning_rate);
  field("decay_steps", o.decay_steps);
  field("end_learning_rate", o.end_learning_rate);
  field("power", o.power);
  field("cycle", o.cycle);
  field("name", o.name);
};
constexpr auto kCosineDecayFields = [](auto& o, auto&& field) {
  field("initial_learning_rate", o.initial_learning_rate);
  field("decay_steps", o.decay_steps);
  field("alpha", o.alpha);
  field("name", o.name);
  field("warmup_target", o.warmup_target);
  field("warmup_steps", o.warmup_steps);
};
constexpr auto kCosineDecayRestartsFields = [](auto& o, auto&& field) {
  field("initial_learning_rate", o.initial_learning_rate);
  field("first_decay_steps", o.first_decay_steps);
  field("t_mul", o.t_mul);
  field("m_mul", o.m_mul);
  field("alpha", o.alpha);
  field("name", o.name);
};

// A schedule from its config: its fields and nothing else.
template <class Impl, class Fields>
std::shared_ptr<LearningRateSchedule> from_fields(const Config& config, const std::string& name,
                                                  Fields fields) {
  return detail::from_fields<Impl>(config, name, fields, [](detail::ConfigReader&, auto&) {});
}

}  // namespace

std::string LearningRateSchedule::class_name() const { return "LearningRateSchedule"; }

Config LearningRateSchedule::get_config() const {
  throw NotImplementedError("Learning rate schedule '" + class_name() +
                            "' must override get_config() in order to be serializable.");
}

// ---- ExponentialDecay ----

ExponentialDecay::ExponentialDecay(Options options) : options_(std::move(options)) {
  check_steps("ExponentialDecay", "decay_steps", options_.decay_steps);
}

Tensor ExponentialDecay::operator()(const Tensor& step) const {
  Tensor initial = f32(options_.initial_learning_rate);
  Tensor p = ops::cast(step, float32) / f32(static_cast<double>(options_.decay_steps));
  if (options_.staircase) p = ops::floor(p);
  return initial * ops::power(f32(options_.decay_rate), p);
}

Config ExponentialDecay::get_config() const {
  return saving::write_fields(Config::object(), options_, kDecayRateFields);
}

std::shared_ptr<LearningRateSchedule> ExponentialDecay::from_config(const Config& config) {
  return from_fields<ExponentialDecay>(config, "ExponentialDecay", kDecayRateFields);
}

// ---- PiecewiseConstantDecay ----

PiecewiseConstantDecay::PiecewiseConstantDecay(Options options) : options_(std::move(options)) {
  if (options_.boundaries.size() + 1 != options_.values.size())
    throw ValueError(
        "PiecewiseConstantDecay: the length of boundaries should be 1 less than the length of "
        "values. Received: " +
        std::to_string(options_.boundaries.size()) + " boundaries and " +
        std::to_string(options_.values.size()) + " values.");
}

Tensor PiecewiseConstantDecay::operator()(const Tensor& step_in) const {
  const auto& b = options_.boundaries;
  const auto& v = options_.values;
  if (b.empty()) return f32(v[0]);
  Tensor step = step_in;
  DType dt = step.impl()->weak ? int32 : step.dtype();
  step = ops::cast(step, dt);
  auto boundary = [&](size_t i) { return ops::cast(Tensor(b[i]), dt); };
  Tensor result = ops::cast(step <= boundary(0), float32) * v[0];
  result = result + ops::cast(step > boundary(b.size() - 1), float32) * v.back();
  for (size_t i = 0; i + 1 < b.size(); ++i) {
    Tensor in_range = (step > boundary(i)) & (step <= boundary(i + 1));
    result = result + ops::cast(in_range, float32) * v[i + 1];
  }
  return result;
}

Config PiecewiseConstantDecay::get_config() const {
  return {
      {"boundaries", options_.boundaries}, {"values", options_.values}, {"name", options_.name}};
}

std::shared_ptr<LearningRateSchedule> PiecewiseConstantDecay::from_config(const Config& config) {
  detail::ConfigReader r(config, "PiecewiseConstantDecay");
  Options o;
  auto read_list = [&](const char* key, auto& out) {
    if (const Config* v = r.find(key)) {
      if (!v->is_array())
        throw ValueError(std::string("PiecewiseConstantDecay.from_config: `") + key +
                         "` must be a list of numbers, got " + v->dump());
      out.clear();
      for (const Config& e : *v) {
        if (!e.is_number())
          throw ValueError(std::string("PiecewiseConstantDecay.from_config: `") + key +
                           "` must be a list of numbers, got " + v->dump());
        out.push_back(
            static_cast<typename std::decay_t<decltype(out)>::value_type>(e.get<double>()));
      }
    }
  };
  read_list("boundaries", o.boundaries);
  read_list("values", o.values);
  r.read("name", o.name);
  r.finish();
  return std::make_shared<PiecewiseConstantDecay>(o);
}

// ---- PolynomialDecay ----

PolynomialDecay::PolynomialDecay(Options options) : options_(std::move(options)) {
  check_steps("PolynomialDecay", "decay_steps", options_.decay_steps);
}

Tensor PolynomialDecay::operator()(const Tensor& step) const {
  Tensor initial = f32(options_.initial_learning_rate);
  Tensor end = f32(options_.end_learning_rate);
  Tensor global_step = ops::cast(step, float32);
  Tensor decay_steps = f32(static_cast<double>(options_.decay_steps));
  if (options_.cycle) {
    Tensor multiplier =
        ops::where(ops::equal(global_step, 0), 1.0,
                   ops::ceil(global_step / static_cast<double>(options_.decay_steps)));
    decay_steps = decay_steps * multiplier;
  } else {
    global_step = ops::minimum(global_step, decay_steps);
  }
  Tensor p = global_step / decay_steps;
  return (initial - end) * ops::power(1 - p, f32(options_.power)) + end;
}

Config PolynomialDecay::get_config() const {
  return saving::write_fields(Config::object(), options_, kPolynomialDecayFields);
}

std::shared_ptr<LearningRateSchedule> PolynomialDecay::from_config(const Config& config) {
  return from_fields<PolynomialDecay>(config, "PolynomialDecay", kPolynomialDecayFields);
}

// ---- InverseTimeDecay ----

InverseTimeDecay::InverseTimeDecay(Options options) : options_(std::move(options)) {
  check_steps("InverseTimeDecay", "decay_steps", options_.decay_steps);
}

Tensor InverseTimeDecay::operator()(const Tensor& step) const {
  Tensor initial = f32(options_.initial_learning_rate);
  Tensor p = ops::cast(step, float32) / f32(static_cast<double>(options_.decay_steps));
  if (options_.staircase) p = ops::floor(p);
  return initial / (f32(1.0) + f32(options_.decay_rate) * p);
}

Config InverseTimeDecay::get_config() const {
  return saving::write_fields(Config::object(), options_, kDecayRateFields);
}

std::shared_ptr<LearningRateSchedule> InverseTimeDecay::from_config(const Config& config) {
  return from_fields<InverseTimeDecay>(config, "InverseTimeDecay", kDecayRateFields);
}

// ---- CosineDecay ----

CosineDecay::CosineDecay(Options options) : options_(std::move(options)) {
  check_steps("CosineDecay", "decay_steps", options_.decay_steps);
}

Tensor CosineDecay::operator()(const Tensor& step) const {
  Tensor initial = f32(options_.initial_learning_rate);
  Tensor decay_steps = f32(static_cast<double>(options_.decay_steps));
  Tensor global_step = ops::cast(step, float32);
  const double alpha = options_.alpha;
  auto decay = [&](const Tensor& s, const Tensor& from_lr) {
    Tensor completed_fraction = s / decay_steps;
    Tensor cosine_decayed = 0.5 * (1.0 + ops::cos(f32(std::numbers::pi) * completed_fraction));
    Tensor decayed = (1 - alpha) * cosine_decayed + alpha;
    return from_lr * decayed;
  };
  if (!options_.warmup_target) return decay(ops::minimum(global_step, decay_steps), initial);
  Tensor target = f32(*options_.warmup_target);
  Tensor warmup_steps = f32(static_cast<double>(options_.warmup_steps));
  global_step = ops::minimum(global_step, decay_steps + warmup_steps);
  // Keras uses ops.cond; both branches are cheap scalars, and `where` needs no host sync.
  Tensor warmup = (target - initial) * (global_step / warmup_steps) + initial;
  return ops::where(global_step < warmup_steps, warmup, decay(global_step - warmup_steps, target));
}

Config CosineDecay::get_config() const {
  return saving::write_fields(Config::object(), options_, kCosineDecayFields);
}

std::shared_ptr<LearningRateSchedule> CosineDecay::from_config(const Config& config) {
  return from_fields<CosineDecay>(config, "CosineDecay", kCosineDecayFields);
}

// ---- CosineDecayRestarts ----

CosineDecayRestarts::CosineDecayRestarts(Options options) : options_(std::move(options)) {
  check_steps("CosineDecayRestarts", "first_decay_steps", options_.first_decay_steps);
}

Tensor CosineDecayRestarts::operator()(const Tensor& step) const {
  Tensor initial = f32(options_.initial_learning_rate);
  Tensor first_decay_steps = f32(static_cast<double>(options_.first_decay_steps));
  Tensor alpha = f32(options_.alpha);
  Tensor t_mul = f32(options_.t_mul);
  Tensor m_mul = f32(options_.m_mul);
  Tensor completed_fraction = ops::cast(step, float32) / first_decay_steps;
  Tensor i_restart;
  if (options_.t_mul == 1.0) {
    i_restart = ops::floor(completed_fraction);
    completed_fraction = completed_fraction - i_restart;
  } else {
    i_restart = ops::floor(ops::log(1.0 - completed_fraction * (1.0 - t_mul)) / ops::log(t_mul));
    Tensor sum_r = (1.0 - ops::power(t_mul, i_restart)) / (1.0 - t_mul);
    completed_fraction = (completed_fraction - sum_r) / ops::power(t_mul, i_restart);
  }
  Tensor m_fac = ops::power(m_mul, i_restart);
  Tensor cosine_decayed =
      0.5 * m_fac * (1.0 + ops::cos(f32(std::numbers::pi) * completed_fraction));
  Tensor decayed = (1 - alpha) * cosine_decayed + alpha;
  return initial * decayed;
}

Config CosineDecayRestarts::get_config() const {
  return saving::write_fields(Config::object(), options_, kCosineDecayRestartsFields);
}

std::shared_ptr<LearningRateSchedule> CosineDecayRestarts::from_config(const Config& config) {
  return from_fields<CosineDecayRestarts>(config, "CosineDecayRestarts",
                                          kCosineDecayRestartsFields);
}

// ---- registry ----

namespace {
const bool registered = [] {
  auto& reg = saving::Registry<LearningRateSchedule>::instance();
  reg.add("ExponentialDecay", ExponentialDecay::from_config);
  reg.add("PiecewiseConstantDecay", PiecewiseConstantDecay::from_config);
  reg.add("PolynomialDecay", PolynomialDecay::from_config);
  reg.add("InverseTimeDecay", InverseTimeDecay::from_config);
  reg.add("CosineDecay", CosineDecay::from_config);
  reg.add("CosineDecayRestarts", CosineDecayRestarts::from_config);
  return true;
}();
}  // namespace

Config serialize(const LearningRateSchedule& schedule) {
  return saving::make_envelope("keras.optimizers.schedules", schedule.class_name(),
                               schedule.get_config());
}

std::shared_ptr<LearningRateSchedule> deserialize(const Config& config) {
  (void)registered;
  return saving::Registry<LearningRateSchedule>::instance().deserialize(config,
                                                                        "learning rate schedule");
}

}  // namespace keras::optimizers::schedules
