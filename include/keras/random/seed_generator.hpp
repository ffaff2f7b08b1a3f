#pragma once
// keras::random seeds (keras/src/random/seed_generator.py).
//
// Every random op takes a `Seed`, which is one of:
//  - nothing (the default): the global SeedGenerator is drawn from, so each call differs;
//  - an integer: stateless, the same seed gives the same numbers on every call and every backend;
//  - a SeedGenerator: its state advances on each draw, so calls differ but the sequence is
//    reproducible from the generator's initial seed.
// As in Keras, a seed value is the pair [seed, counter] of uint32: an integer seed s draws
// [s, 0], which is also what a fresh SeedGenerator(s) draws first.
#include <array>
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace keras::random {

// Holds the state [seed, counter] (Keras: a non-trainable uint32 variable of shape (2,)).
// Copies share the state, as Python references to one SeedGenerator object do; the state is
// guarded by a mutex, so one generator may be drawn from on several threads.
class SeedGenerator {
 public:
  // seed: none picks one from the process-wide source (deterministic after set_random_seed).
  // The integer is taken modulo 2^32, as Keras reinterprets seeds as uint32.
  explicit SeedGenerator(std::optional<int64_t> seed = std::nullopt, std::string name = "");

  // The current state, then advances the counter by one (Keras's `next(ordered=True)`).
  std::array<uint32_t, 2> next();
  std::array<uint32_t, 2> state() const;
  // Overwrites the state (restoring a saved model, or `state.assign(...)` in Keras).
  void assign(std::array<uint32_t, 2> state);

  const std::string& name() const;
  // The seed given at construction (none when it was picked), as Keras's get_config() reports.
  std::optional<int64_t> initial_seed() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// The `seed` argument of every random op: `.seed = 42`, `.seed = generator`, or left out.
class Seed {
 public:
  Seed() = default;
  Seed(std::nullopt_t) {}  // NOLINT: implicit like Python's None
  template <std::integral T>
  requires(!std::same_as<T, bool>) Seed(T value)
      : value_(static_cast<int64_t>(value)) {}  // NOLINT: implicit like Python's int
  Seed(const SeedGenerator& generator) : generator_(generator) {}  // NOLINT

  bool is_none() const { return !value_ && !generator_; }
  // What was given (for get_config of objects that take a seed): the integer or the generator.
  std::optional<int64_t> value() const { return value_; }
  const std::optional<SeedGenerator>& generator() const { return generator_; }
  // The pair a random op keys its stream with; advances the generator (the global one for none).
  std::array<uint32_t, 2> draw() const;

 private:
  std::optional<int64_t> value_;
  std::optional<SeedGenerator> generator_;
};

// The generator `seed = none` draws from (created on first use; a handle sharing its state).
SeedGenerator global_seed_generator();

// keras.utils.set_random_seed: reseeds the source that seedless SeedGenerators are picked from and
// resets the global SeedGenerator, so a program that calls it first is fully deterministic.
void set_random_seed(int64_t seed);
// The seed given to set_random_seed, if any (keras.utils.get_random_seed).
std::optional<int64_t> get_random_seed();

}  // namespace keras::random
