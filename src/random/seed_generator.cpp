// keras::random::SeedGenerator and the global seed state (keras/src/random/seed_generator.py,
// keras/src/utils/rng_utils.py).
#include "keras/random/seed_generator.hpp"

#include <atomic>
#include <mutex>
#include <random>

#include "keras/backend/kernel_trace.hpp"

namespace keras::random {

namespace {

struct Globals {
  std::mutex mutex;
  std::mt19937_64 source{std::random_device{}()};  // picks seeds for seedless generators
  std::optional<int64_t> random_seed;              // set by set_random_seed
  std::optional<SeedGenerator> global_generator;
};

Globals& globals() {
  static Globals g;
  return g;
}

// Keras's make_default_seed: an integer in [1, 1e9] from the process-wide source.
int64_t make_default_seed() {
  Globals& g = globals();
  std::lock_guard lock(g.mutex);
  return std::uniform_int_distribution<int64_t>(1, 1000000000)(g.source);
}

// Keras's auto_name: "seed_generator", "seed_generator_1", ...
std::string auto_name() {
  static std::atomic<int64_t> count{0};
  int64_t n = count.fetch_add(1);
  return n == 0 ? std::string("seed_generator") : "seed_generator_" + std::to_string(n);
}

}  // namespace

struct SeedGenerator::Impl {
  mutable std::mutex mutex;
  std::array<uint32_t, 2> state{};
  std::string name;
  std::optional<int64_t> initial_seed;
};

SeedGenerator::SeedGenerator(std::optional<int64_t> seed, std::string name)
    : impl_(std::make_shared<Impl>()) {
  impl_->initial_seed = seed;
  impl_->name = name.empty() ? auto_name() : std::move(name);
  int64_t s = seed ? *seed : make_default_seed();
  impl_->state = {static_cast<uint32_t>(static_cast<uint64_t>(s)), 0u};
}

std::array<uint32_t, 2> SeedGenerator::next() {
  std::lock_guard lock(impl_->mutex);
  std::array<uint32_t, 2> current = impl_->state;
  ++impl_->state[1];
  return current;
}

std::array<uint32_t, 2> SeedGenerator::state() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->state;
}

void SeedGenerator::assign(std::array<uint32_t, 2> state) {
  std::lock_guard lock(impl_->mutex);
  impl_->state = state;
}

const std::string& SeedGenerator::name() const { return impl_->name; }
std::optional<int64_t> SeedGenerator::initial_seed() const { return impl_->initial_seed; }

std::array<uint32_t, 2> Seed::draw() const {
  if (value_) return {static_cast<uint32_t>(static_cast<uint64_t>(*value_)), 0u};
  // A generator's numbers are made on the host and it advances on every draw: a compiled step
  // would repeat the same numbers, so tracing stops here, before the state moves.
  backend::check_traceable("random numbers from a SeedGenerator (drawn on the host)");
  if (generator_) return SeedGenerator(*generator_).next();
  return global_seed_generator().next();
}

SeedGenerator global_seed_generator() {
  Globals& g = globals();
  {
    std::lock_guard lock(g.mutex);
    if (g.global_generator) return *g.global_generator;
  }
  SeedGenerator fresh(make_default_seed(), "global_seed_generator");
  std::lock_guard lock(g.mutex);
  if (!g.global_generator) g.global_generator = fresh;
  return *g.global_generator;
}

void set_random_seed(int64_t seed) {
  Globals& g = globals();
  std::lock_guard lock(g.mutex);
  g.random_seed = seed;
  g.source.seed(static_cast<uint64_t>(seed));
  g.global_generator.reset();  // recreated from the reseeded source on next use
}

std::optional<int64_t> get_random_seed() {
  Globals& g = globals();
  std::lock_guard lock(g.mutex);
  return g.random_seed;
}

}  // namespace keras::random
