#pragma once
// Host-side sampling for keras::random: turns the Philox stream of one draw into values of a
// dtype, deterministically (the same bits and the same double arithmetic whatever the backend),
// then copies them onto a backend. Large draws are split into chunks run on a few threads; the
// result does not depend on the split, because every element is a function of its index.
#include <cstdint>
#include <functional>
#include <vector>

#include "keras/backend/backend.hpp"
#include "keras/random/seed_generator.hpp"
#include "random/philox.hpp"

namespace keras::random::detail {

// Runs fn(begin, end) over [0, n), on several threads when n is large.
void parallel_for(int64_t n, const std::function<void(int64_t, int64_t)>& fn);

// Element i of each is fixed by (key, i) alone. dtype must be floating (integer for randint).
Tensor sample_normal(backend::Backend& be, const Shape& shape, DType dtype, double mean,
                     double stddev, PhiloxKey key);
Tensor sample_truncated_normal(backend::Backend& be, const Shape& shape, DType dtype, double mean,
                               double stddev, PhiloxKey key);
Tensor sample_uniform(backend::Backend& be, const Shape& shape, DType dtype, double minval,
                      double maxval, PhiloxKey key);
// minval < maxval, both representable in dtype (checked by the caller).
Tensor sample_randint(backend::Backend& be, const Shape& shape, DType dtype, int64_t minval,
                      int64_t maxval, PhiloxKey key);

// The random tensor `make` builds on `be` from the key `seed` draws. While a compiled step is
// being traced and the seed is a generator's, the call becomes one graph node (named `what`) that
// draws a fresh key on every replay, so a compiled step gets new numbers each time, the same ones
// an eager step would. A fixed integer seed's tensor is simply a constant of the graph.
Tensor seeded(backend::Backend& be, const Seed& seed, std::string_view what,
              std::function<Tensor(backend::Backend&, PhiloxKey)> make);

// n doubles uniform in [0, 1) (53 random bits each), on the host.
std::vector<double> uniform_doubles(int64_t n, PhiloxKey key);

}  // namespace keras::random::detail
