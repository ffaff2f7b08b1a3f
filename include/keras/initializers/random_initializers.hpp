#pragma once
// Random initializers (keras/src/initializers/random_initializers.py).
//
//   initializers::RandomNormal({.stddev = 0.1, .seed = 42})
//   initializers::VarianceScaling({.scale = 2.0, .mode = "fan_out", .distribution = "uniform"})
//   initializers::GlorotUniform()          // what Dense uses for its kernel
//
// Seeds follow Keras: an integer seed, or none, makes every call return the same values (none
// picks a random integer once, at construction); a random::SeedGenerator makes each call differ.
// get_config() writes the seed as given: null, the integer, or a keras.random.SeedGenerator
// envelope. The numbers are keras::random's (Philox), not the ones Python Keras draws.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/initializers/initializer.hpp"
#include "keras/random/seed_generator.hpp"

namespace keras::initializers {

// The seed handling shared by every random initializer (Keras's RandomInitializer).
class RandomInitializer : public Initializer {
 public:
  // The seed the draws use: the integer or generator given, or the integer picked for none.
  const random::Seed& seed() const { return seed_; }
  Config get_config() const override;  // {"seed": ...}

 protected:
  explicit RandomInitializer(random::Seed seed);
  Config seed_config() const;

 private:
  random::Seed init_seed_;  // as given (what get_config writes)
  random::Seed seed_;
};

struct RandomNormalOptions {
  double mean = 0.0;
  double stddev = 0.05;
  random::Seed seed{};
};
// Samples of N(mean, stddev^2).
class RandomNormal : public RandomInitializer {
 public:
  explicit RandomNormal(RandomNormalOptions options = {});
  Tensor operator()(const Shape& shape, std::optional<DType> dtype = {}) const override;
  std::string class_name() const override { return "RandomNormal"; }
  Config get_config() const override;  // {"seed", "mean", "stddev"}

 private:
  double mean_, stddev_;
};

using TruncatedNormalOptions = RandomNormalOptions;
// Normal samples; those more than two standard deviations from the mean are redrawn.
class TruncatedNormal : public RandomInitializer {
 public:
  explicit TruncatedNormal(TruncatedNormalOptions options = {});
  Tensor operator()(const Shape& shape, std::optional<DType> dtype = {}) const override;
  std::string class_name() const override { return "TruncatedNormal"; }
  Config get_config() const override;  // {"seed", "mean", "stddev"}

 private:
  double mean_, stddev_;
};

struct RandomUniformOptions {
  double minval = -0.05;
  double maxval = 0.05;
  random::Seed seed{};
};
// Samples of U[minval, maxval).
class RandomUniform : public RandomInitializer {
 public:
  explicit RandomUniform(RandomUniformOptions options = {});
  Tensor operator()(const Shape& shape, std::optional<DType> dtype = {}) const override;
  std::string class_name() const override { return "RandomUniform"; }
  Config get_config() const override;  // {"seed", "minval", "maxval"}

 private:
  double minval_, maxval_;
};

// (fan_in, fan_out) of a weight shape (Keras's compute_fans): for rank 2 (in, out); for rank >= 3
// a convolution kernel (*spatial, in, out), each multiplied by the receptive field size; rank 1
// (n, n); rank 0 (1, 1). When both input_axes and output_axes are given, the products of those
// dimensions (negative axes count from the end).
std::pair<int64_t, int64_t> compute_fans(
    const Shape& shape, const std::optional<std::vector<int64_t>>& input_axes = std::nullopt,
    const std::optional<std::vector<int64_t>>& output_axes = std::nullopt);

struct VarianceScalingOptions {
  double scale = 1.0;                             // > 0
  std::string mode = "fan_in";                    // "fan_in", "fan_out" or "fan_avg"
  std::string distribution = "truncated_normal";  // or "untruncated_normal", "uniform" ("normal"
                                                  // means "truncated_normal")
  random::Seed seed{};
  std::optional<std::vector<int64_t>> input_axes{};   // axes counted in fan_in
  std::optional<std::vector<int64_t>> output_axes{};  // axes counted in fan_out
};
// stddev = sqrt(scale / n) (after truncation for "truncated_normal"), or a uniform limit
// sqrt(3 * scale / n), where n is fan_in, fan_out or their average.
class VarianceScaling : public RandomInitializer {
 public:
  explicit VarianceScaling(VarianceScalingOptions options = {});
  Tensor operator()(const Shape& shape, std::optional<DType> dtype = {}) const override;
  std::string class_name() const override { return "VarianceScaling"; }
  // {"seed", "scale", "mode", "distribution", "input_axes", "output_axes"}
  Config get_config() const override;

  double scale() const { return scale_; }
  const std::string& mode() const { return mode_; }
  const std::string& distribution() const { return distribution_; }

 protected:
  Config preset_config() const;  // {"seed", "input_axes", "output_axes"}

 private:
  double scale_;
  std::string mode_, distribution_;
  std::optional<std::vector<int64_t>> input_axes_, output_axes_;
};

// The arguments of the VarianceScaling presets below.
struct VarianceScalingPresetOptions {
  random::Seed seed{};
  std::optional<std::vector<int64_t>> input_axes{};
  std::optional<std::vector<int64_t>> output_axes{};
};

#define KERAS_VARIANCE_SCALING_PRESET(Name)                        \
  class Name : public VarianceScaling {                            \
   public:                                                         \
    explicit Name(VarianceScalingPresetOptions options = {});      \
    std::string class_name() const override { return #Name; }      \
    Config get_config() const override { return preset_config(); } \
  };                                                               \
  using Name##Options = VarianceScalingPresetOptions;

// scale 1, fan_avg, uniform: limit sqrt(6 / (fan_in + fan_out)).
KERAS_VARIANCE_SCALING_PRESET(GlorotUniform)
// scale 1, fan_avg, truncated normal.
KERAS_VARIANCE_SCALING_PRESET(GlorotNormal)
// scale 2, fan_in, uniform: limit sqrt(6 / fan_in).
KERAS_VARIANCE_SCALING_PRESET(HeUniform)
// scale 2, fan_in, truncated normal.
KERAS_VARIANCE_SCALING_PRESET(HeNormal)
// scale 1, fan_in, uniform: limit sqrt(3 / fan_in).
KERAS_VARIANCE_SCALING_PRESET(LecunUniform)
// scale 1, fan_in, truncated normal.
KERAS_VARIANCE_SCALING_PRESET(LecunNormal)
#undef KERAS_VARIANCE_SCALING_PRESET

struct OrthogonalOptions {
  double gain = 1.0;
  random::Seed seed{};
};
// gain * an orthogonal matrix from the QR decomposition of a normal (rows, cols) draw, rows being
// the product of all dimensions but the last, reshaped to `shape` (rank >= 2). Orthonormal
// columns when rows >= cols, else orthonormal rows. The QR runs on the host in double precision
// (Householder), then the result is uploaded: keras::ops has no qr yet.
class Orthogonal : public RandomInitializer {
 public:
  explicit Orthogonal(OrthogonalOptions options = {});
  Tensor operator()(const Shape& shape, std::optional<DType> dtype = {}) const override;
  std::string class_name() const override { return "Orthogonal"; }
  Config get_config() const override;  // {"seed", "gain"}
  double gain() const { return gain_; }

 private:
  double gain_;
};

}  // namespace keras::initializers
