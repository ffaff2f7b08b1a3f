#include "random/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <thread>

namespace keras::random::detail {

void parallel_for(int64_t n, const std::function<void(int64_t, int64_t)>& fn) {
  // Below ~1M elements a thread costs more than it saves (Box-Muller is ~20 ns per element).
  constexpr int64_t kMinPerThread = int64_t{1} << 19;
  int64_t threads = std::min<int64_t>(std::max(1u, std::thread::hardware_concurrency()), 16);
  threads = std::min(threads, n / kMinPerThread);
  if (threads <= 1) {
    if (n > 0) fn(0, n);
    return;
  }
  std::vector<std::thread> pool;
  int64_t chunk = (n + threads - 1) / threads;
  for (int64_t t = 1; t < threads; ++t) {
    int64_t begin = t * chunk, end = std::min(n, begin + chunk);
    if (begin < end) pool.emplace_back(fn, begin, end);
  }
  fn(0, std::min(n, chunk));
  for (auto& th : pool) th.join();
}

namespace {

// Allocates a host buffer of T, fills it with fill(T* data, begin, end) in parallel chunks of
// `unit` elements (so a chunk never splits a Philox block), and copies it onto the backend.
template <class T, class Fill>
Tensor make(backend::Backend& be, const Shape& shape, DType dtype, int64_t unit, Fill fill) {
  int64_t n = shape.num_elements();
  std::vector<T> host(static_cast<size_t>(n));
  int64_t units = (n + unit - 1) / unit;
  parallel_for(units,
               [&](int64_t b, int64_t e) { fill(host.data(), b * unit, std::min(n, e * unit)); });
  return be.from_host(host.data(), shape, dtype);
}

template <class F>
Tensor visit_float(DType dtype, F&& f) {
  switch (dtype) {
    case DType::Float16:
      return f.template operator()<float16_t>();
    case DType::BFloat16:
      return f.template operator()<bfloat16_t>();
    case DType::Float32:
      return f.template operator()<float>();
    default:
      return f.template operator()<double>();
  }
}

// The two standard normals Box-Muller makes from one Philox block.
inline std::pair<double, double> box_muller(const PhiloxCounter& w) {
  double u1 = 1.0 - to_unit_double(w[0], w[1]);  // (0, 1]: log is finite
  double u2 = to_unit_double(w[2], w[3]);
  double r = std::sqrt(-2.0 * std::log(u1));
  double theta = 2.0 * std::numbers::pi * u2;
  return {r * std::cos(theta), r * std::sin(theta)};
}

// The largest T strictly below `bound` (for clamping uniform samples to [minval, maxval)).
template <class T>
T largest_below(double bound) {
  if constexpr (std::is_same_v<T, double>) {
    return std::nextafter(bound, -std::numeric_limits<double>::infinity());
  } else if constexpr (std::is_same_v<T, float>) {
    float m = static_cast<float>(bound);
    while (static_cast<double>(m) >= bound) m = std::nextafter(m, -INFINITY);
    return m;
  } else {  // float16_t / bfloat16_t: step the bit pattern
    T m(static_cast<float>(bound));
    while (static_cast<double>(static_cast<float>(m)) >= bound) {
      if (static_cast<float>(m) == 0.0f)
        m.bits = 0x8001;  // the smallest negative subnormal
      else if (m.bits & 0x8000)
        ++m.bits;
      else
        --m.bits;
    }
    return m;
  }
}

}  // namespace

Tensor sample_normal(backend::Backend& be, const Shape& shape, DType dtype, double mean,
                     double stddev, PhiloxKey key) {
  Stream s{key};
  return visit_float(dtype, [&]<class T>() {
    return make<T>(be, shape, dtype, 2, [&](T* out, int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; i += 2) {
        auto [z0, z1] = box_muller(s.block(static_cast<uint64_t>(i / 2)));
        out[i] = static_cast<T>(mean + stddev * z0);
        if (i + 1 < end) out[i + 1] = static_cast<T>(mean + stddev * z1);
      }
    });
  });
}

Tensor sample_truncated_normal(backend::Backend& be, const Shape& shape, DType dtype, double mean,
                               double stddev, PhiloxKey key) {
  Stream s{key};
  return visit_float(dtype, [&]<class T>() {
    return make<T>(be, shape, dtype, 1, [&](T* out, int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        // Redraw until within two standard deviations; each attempt is its own Philox lane, so
        // element i never depends on how many redraws another element needed. An attempt fails
        // with probability 0.046^2, so the cap (then clipping) is never reached in practice.
        double z = 0.0;
        for (uint32_t attempt = 1;; ++attempt) {
          auto [z0, z1] = box_muller(s.block(static_cast<uint64_t>(i), attempt));
          if (std::abs(z0) <= 2.0) {
            z = z0;
            break;
          }
          if (std::abs(z1) <= 2.0) {
            z = z1;
            break;
          }
          if (attempt == 64) {
            z = std::clamp(z0, -2.0, 2.0);
            break;
          }
        }
        out[i] = static_cast<T>(mean + stddev * z);
      }
    });
  });
}

Tensor sample_uniform(backend::Backend& be, const Shape& shape, DType dtype, double minval,
                      double maxval, PhiloxKey key) {
  Stream s{key};
  return visit_float(dtype, [&]<class T>() {
    const double range = maxval - minval;
    const bool clamp = minval < maxval;
    const T below = clamp ? largest_below<T>(maxval) : T(0.0f);
    auto finish = [&](double u) {
      T v = static_cast<T>(minval + range * u);
      if (clamp && static_cast<double>(v) >= maxval) v = below;  // rounding reached maxval
      return v;
    };
    if constexpr (std::is_same_v<T, double>) {
      return make<T>(be, shape, dtype, 2, [&](T* out, int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; i += 2) {
          PhiloxCounter w = s.block(static_cast<uint64_t>(i / 2));
          out[i] = finish(to_unit_double(w[0], w[1]));
          if (i + 1 < end) out[i + 1] = finish(to_unit_double(w[2], w[3]));
        }
      });
    } else {  // 24 random bits are exact in float and more than float16/bfloat16 can hold
      return make<T>(be, shape, dtype, 4, [&](T* out, int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; i += 4) {
          PhiloxCounter w = s.block(static_cast<uint64_t>(i / 4));
          for (int64_t j = 0; j < 4 && i + j < end; ++j) out[i + j] = finish(to_unit_float(w[j]));
        }
      });
    }
  });
}

Tensor sample_randint(backend::Backend& be, const Shape& shape, DType dtype, int64_t minval,
                      int64_t maxval, PhiloxKey key) {
  Stream s{key};
  const uint64_t range = static_cast<uint64_t>(maxval) - static_cast<uint64_t>(minval);
  return visit_dtype(dtype, [&]<class T>() -> Tensor {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      return make<T>(be, shape, dtype, 2, [&](T* out, int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; i += 2) {
          PhiloxCounter w = s.block(static_cast<uint64_t>(i / 2));
          // Wrapping unsigned arithmetic: minval + offset < maxval fits in int64.
          out[i] = static_cast<T>(
              static_cast<int64_t>(static_cast<uint64_t>(minval) + bounded(w[0], w[1], range)));
          if (i + 1 < end)
            out[i + 1] = static_cast<T>(
                static_cast<int64_t>(static_cast<uint64_t>(minval) + bounded(w[2], w[3], range)));
        }
      });
    } else {
      throw TypeError("random::randint: dtype " + std::string(dtype_name(dtype)) +
                      " is not an integer dtype");
    }
  });
}

std::vector<double> uniform_doubles(int64_t n, PhiloxKey key) {
  Stream s{key};
  std::vector<double> out(static_cast<size_t>(std::max<int64_t>(n, 0)));
  int64_t units = (n + 1) / 2;
  parallel_for(units, [&](int64_t b, int64_t e) {
    for (int64_t u = b; u < e; ++u) {
      PhiloxCounter w = s.block(static_cast<uint64_t>(u));
      out[2 * u] = to_unit_double(w[0], w[1]);
      if (2 * u + 1 < n) out[2 * u + 1] = to_unit_double(w[2], w[3]);
    }
  });
  return out;
}

Tensor seeded(backend::Backend& be, const Seed& seed, std::string_view what,
              std::function<Tensor(backend::Backend&, PhiloxKey)> make) {
  backend::KernelRecorder* recorder = backend::active_recorder();
  if (!recorder || seed.value()) return make(be, seed.draw());
  // The node runs now (the recorder is paused, so draw() may advance the generator) and again
  // on every replay; the Seed copy shares its generator's state.
  backend::KernelFn fn = [seed, make = std::move(make)](backend::Backend& b,
                                                        std::span<const Tensor>) {
    return std::vector<Tensor>{make(b, seed.draw())};
  };
  return recorder->record(be, what, "", {}, std::move(fn), std::any())[0];
}

}  // namespace keras::random::detail
