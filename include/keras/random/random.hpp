#pragma once
// keras::random: random tensors and random ops (keras/src/random/random.py).
//
//   auto w = random::normal({3, 4}, {.stddev = 0.05, .seed = 42});
//   random::SeedGenerator gen(1337);
//   auto y = random::dropout(x, 0.5, {.seed = gen});
//
// The numbers are the same on every backend: bits come from a counter-based generator
// (Philox-4x32-10, keyed by the seed pair) and are turned into values on the host, then copied to
// the backend. They are not the numbers Python Keras draws (each Keras backend has its own stream).
// Random draws are not differentiable; dropout and shuffle let gradients flow to their inputs.
#include <cstdint>
#include <optional>
#include <string>

#include "keras/core/shape.hpp"
#include "keras/core/tensor.hpp"
#include "keras/random/seed_generator.hpp"

namespace keras::random {

struct NormalOptions {
  double mean = 0.0;
  double stddev = 1.0;
  std::optional<DType> dtype{};  // a floating dtype; default keras::config::floatx()
  Seed seed{};
  std::string backend{};  // default keras::config::backend()
};

struct UniformOptions {
  double minval = 0.0;           // inclusive
  double maxval = 1.0;           // exclusive
  std::optional<DType> dtype{};  // a floating dtype; default keras::config::floatx()
  Seed seed{};
  std::string backend{};
};

struct RandintOptions {
  DType dtype = DType::Int32;  // an integer dtype
  Seed seed{};
  std::string backend{};
};

struct DropoutOptions {
  // Shape of the keep/drop mask, broadcast against inputs; kNone dims take the input's size.
  std::optional<Shape> noise_shape{};
  Seed seed{};
};

struct ShuffleOptions {
  int64_t axis = 0;
  Seed seed{};
};

struct CategoricalOptions {
  DType dtype = DType::Int32;  // an integer dtype
  Seed seed{};
};

// Samples of N(mean, stddev^2).
Tensor normal(const Shape& shape, NormalOptions options = {});
// Samples of U[minval, maxval).
Tensor uniform(const Shape& shape, UniformOptions options = {});
// Normal samples, redrawing those more than two standard deviations from the mean.
Tensor truncated_normal(const Shape& shape, NormalOptions options = {});
// Integers uniform in [minval, maxval).
Tensor randint(const Shape& shape, int64_t minval, int64_t maxval, RandintOptions options = {});
// Zeroes each element with probability `rate` and scales the others by 1 / (1 - rate); rate 0
// returns inputs, rate 1 returns zeros (as every Keras backend does). Gradients flow to inputs.
Tensor dropout(const Tensor& inputs, double rate, DropoutOptions options = {});
// Permutes the slices of x along `axis` (one permutation for all of them, as Keras's TensorFlow
// and torch backends do for axis 0). Gradients flow to x.
Tensor shuffle(const Tensor& x, ShuffleOptions options = {});
// logits (batch, num_classes) of unnormalized log-probabilities -> (batch, num_samples) class
// indices drawn independently per row.
Tensor categorical(const Tensor& logits, int64_t num_samples, CategoricalOptions options = {});

}  // namespace keras::random
