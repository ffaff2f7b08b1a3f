// RandomNormal, TruncatedNormal, RandomUniform, VarianceScaling and its presets
// (keras/src/initializers/random_initializers.py).
#include "keras/initializers/random_initializers.hpp"

#include <algorithm>
#include <cmath>

#include "keras/random/random.hpp"
#include "keras/serialization/object_registry.hpp"

namespace keras::initializers {

namespace {

// Keras's make_default_seed: an integer in [1, 1e9] from the process-wide source, so seedless
// initializers become deterministic after random::set_random_seed. A named generator is used so
// that picking the seed does not advance the "seed_generator_N" name counter.
int64_t make_default_seed() {
  return static_cast<int64_t>(random::SeedGenerator(std::nullopt, "default_seed").state()[0]);
}

Config axes_config(const std::optional<std::vector<int64_t>>& axes) {
  return axes ? Config(*axes) : Config(nullptr);
}

}  // namespace

// ---- RandomInitializer ----

RandomInitializer::RandomInitializer(random::Seed seed) : init_seed_(seed), seed_(seed) {
  if (seed.is_none()) seed_ = random::Seed(make_default_seed());
}

Config RandomInitializer::seed_config() const {
  if (auto v = init_seed_.value()) return Config(*v);
  if (const auto& g = init_seed_.generator()) {
    // keras.random.SeedGenerator.get_config: {"seed": initial seed, "name": name}.
    Config inner = Config::object();
    inner["seed"] = g->initial_seed() ? Config(*g->initial_seed()) : Config(nullptr);
    inner["name"] = g->name();
    return saving::make_envelope("keras.random", "SeedGenerator", std::move(inner));
  }
  return Config(nullptr);
}

Config RandomInitializer::get_config() const { return Config{{"seed", seed_config()}}; }

// ---- RandomNormal, TruncatedNormal, RandomUniform ----

RandomNormal::RandomNormal(RandomNormalOptions options)
    : RandomInitializer(options.seed), mean_(options.mean), stddev_(options.stddev) {}

Tensor RandomNormal::operator()(const Shape& shape, std::optional<DType> dtype) const {
  return random::normal(shape, {.mean = mean_, .stddev = stddev_, .dtype = dtype, .seed = seed()});
}

Config RandomNormal::get_config() const {
  Config c = RandomInitializer::get_config();
  c["mean"] = mean_;
  c["stddev"] = stddev_;
  return c;
}

TruncatedNormal::TruncatedNormal(TruncatedNormalOptions options)
    : RandomInitializer(options.seed), mean_(options.mean), stddev_(options.stddev) {}

Tensor TruncatedNormal::operator()(const Shape& shape, std::optional<DType> dtype) const {
  return random::truncated_normal(
      shape, {.mean = mean_, .stddev = stddev_, .dtype = dtype, .seed = seed()});
}

Config TruncatedNormal::get_config() const {
  Config c = RandomInitializer::get_config();
  c["mean"] = mean_;
  c["stddev"] = stddev_;
  return c;
}

RandomUniform::RandomUniform(RandomUniformOptions options)
    : RandomInitializer(options.seed), minval_(options.minval), maxval_(options.maxval) {}

Tensor RandomUniform::operator()(const Shape& shape, std::optional<DType> dtype) const {
  return random::uniform(shape,
                         {.minval = minval_, .maxval = maxval_, .dtype = dtype, .seed = seed()});
}

Config RandomUniform::get_config() const {
  Config c = RandomInitializer::get_config();
  c["minval"] = minval_;
  c["maxval"] = maxval_;
  return c;
}

// ---- VarianceScaling ----

std::pair<int64_t, int64_t> compute_fans(const Shape& shape,
                                         const std::optional<std::vector<int64_t>>& input_axes,
                                         const std::optional<std::vector<int64_t>>& output_axes) {
  if (input_axes && output_axes) {
    auto product = [&](const std::vector<int64_t>& axes, const char* arg) {
      int64_t p = 1;
      for (int64_t a : axes) {
        int64_t i = a < 0 ? a + shape.rank() : a;
        if (i < 0 || i >= shape.rank())
          throw ValueError(std::string("initializers::compute_fans: ") + arg + " contains axis " +
                           std::to_string(a) + ", out of range for shape " + shape.to_string());
        p *= shape[static_cast<size_t>(i)];
      }
      return p;
    };
    return {product(*input_axes, "input_axes"), product(*output_axes, "output_axes")};
  }
  if (shape.rank() < 1) return {1, 1};
  if (shape.rank() == 1) return {shape[0], shape[0]};
  if (shape.rank() == 2) return {shape[0], shape[1]};
  // A convolution kernel (*spatial, input_depth, depth).
  int64_t receptive_field_size = 1;
  for (size_t i = 0; i + 2 < shape.size(); ++i) receptive_field_size *= shape[i];
  return {shape[shape.size() - 2] * receptive_field_size,
          shape[shape.size() - 1] * receptive_field_size};
}

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
}  // namespace

VarianceScaling::VarianceScaling(VarianceScalingOptions options)
    : RandomInitializer(options.seed),
      scale_(options.scale),
      mode_(options.mode),
      distribution_(lower(options.distribution)),
      input_axes_(options.input_axes),
      output_axes_(options.output_axes) {
  if (!(scale_ > 0.0))
    throw ValueError("VarianceScaling: argument `scale` must be positive float. Received: scale=" +
                     std::to_string(scale_));
  if (mode_ != "fan_in" && mode_ != "fan_out" && mode_ != "fan_avg")
    throw ValueError("VarianceScaling: invalid `mode` argument: '" + mode_ +
                     "'. Please use one of 'fan_in', 'fan_out', 'fan_avg'");
  if (distribution_ == "normal") distribution_ = "truncated_normal";
  if (distribution_ != "uniform" && distribution_ != "truncated_normal" &&
      distribution_ != "untruncated_normal")
    throw ValueError("VarianceScaling: invalid `distribution` argument: '" + options.distribution +
                     "'. Please use one of 'uniform', 'truncated_normal', 'untruncated_normal'");
}

Tensor VarianceScaling::operator()(const Shape& shape, std::optional<DType> dtype) const {
  auto [fan_in, fan_out] = compute_fans(shape, input_axes_, output_axes_);
  double scale = scale_;
  if (mode_ == "fan_in")
    scale /= std::max(1.0, static_cast<double>(fan_in));
  else if (mode_ == "fan_out")
    scale /= std::max(1.0, static_cast<double>(fan_out));
  else
    scale /= std::max(1.0, static_cast<double>(fan_in + fan_out) / 2.0);
  if (distribution_ == "truncated_normal") {
    // The standard deviation of a unit normal truncated to [-2, 2]: dividing by it makes the
    // truncated samples' standard deviation sqrt(scale).
    double stddev = std::sqrt(scale) / 0.87962566103423978;
    return random::truncated_normal(shape, {.stddev = stddev, .dtype = dtype, .seed = seed()});
  }
  if (distribution_ == "untruncated_normal")
    return random::normal(shape, {.stddev = std::sqrt(scale), .dtype = dtype, .seed = seed()});
  double limit = std::sqrt(3.0 * scale);
  return random::uniform(shape,
                         {.minval = -limit, .maxval = limit, .dtype = dtype, .seed = seed()});
}

Config VarianceScaling::get_config() const {
  Config c = RandomInitializer::get_config();
  c["scale"] = scale_;
  c["mode"] = mode_;
  c["distribution"] = distribution_;
  c["input_axes"] = axes_config(input_axes_);
  c["output_axes"] = axes_config(output_axes_);
  return c;
}

Config VarianceScaling::preset_config() const {
  Config c = RandomInitializer::get_config();
  c["input_axes"] = axes_config(input_axes_);
  c["output_axes"] = axes_config(output_axes_);
  return c;
}

#define KERAS_DEFINE_PRESET(Name, SCALE, MODE, DISTRIBUTION) \
  Name::Name(VarianceScalingPresetOptions o)                 \
      : VarianceScaling({.scale = SCALE,                     \
                         .mode = MODE,                       \
                         .distribution = DISTRIBUTION,       \
                         .seed = o.seed,                     \
                         .input_axes = o.input_axes,         \
                         .output_axes = o.output_axes}) {}

KERAS_DEFINE_PRESET(GlorotUniform, 1.0, "fan_avg", "uniform")
KERAS_DEFINE_PRESET(GlorotNormal, 1.0, "fan_avg", "truncated_normal")
KERAS_DEFINE_PRESET(HeUniform, 2.0, "fan_in", "uniform")
KERAS_DEFINE_PRESET(HeNormal, 2.0, "fan_in", "truncated_normal")
KERAS_DEFINE_PRESET(LecunUniform, 1.0, "fan_in", "uniform")
KERAS_DEFINE_PRESET(LecunNormal, 1.0, "fan_in", "truncated_normal")
#undef KERAS_DEFINE_PRESET

}  // namespace keras::initializers
