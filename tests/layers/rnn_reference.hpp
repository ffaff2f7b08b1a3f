#pragma once
// Plain C++ (float64, no keras::ops) references of Keras's recurrent cells and of its backend
// rnn loop with masks, used to check the layers.
#include <cmath>
#include <functional>
#include <vector>

namespace keras::testing::rnn_ref {

using Vec = std::vector<double>;

inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// y[j] = sum_i x[i] * w[i * cols + j]
inline Vec vecmat(const Vec& x, const Vec& w, size_t cols) {
  Vec y(cols, 0.0);
  for (size_t i = 0; i < x.size(); ++i)
    for (size_t j = 0; j < cols; ++j) y[j] += x[i] * w[i * cols + j];
  return y;
}

// A step: (x, states) -> (output, new states).
using Step = std::function<std::pair<Vec, std::vector<Vec>>(const Vec&, const std::vector<Vec>&)>;

inline Step simple_rnn_step(const Vec& k, const Vec& r, const Vec& b, size_t units) {
  return [=](const Vec& x, const std::vector<Vec>& s) {
    Vec a = vecmat(x, k, units), h = vecmat(s[0], r, units);
    Vec out(units);
    for (size_t j = 0; j < units; ++j) out[j] = std::tanh(a[j] + h[j] + b[j]);
    return std::make_pair(out, std::vector<Vec>{out});
  };
}

inline Step lstm_step(const Vec& k, const Vec& r, const Vec& b, size_t units) {
  return [=](const Vec& x, const std::vector<Vec>& s) {
    Vec zx = vecmat(x, k, 4 * units), zh = vecmat(s[0], r, 4 * units);
    Vec h(units), c(units);
    for (size_t j = 0; j < units; ++j) {
      auto z = [&](size_t g) { return zx[g * units + j] + zh[g * units + j] + b[g * units + j]; };
      double i = sigmoid(z(0)), f = sigmoid(z(1)), cc = std::tanh(z(2)), o = sigmoid(z(3));
      c[j] = f * s[1][j] + i * cc;
      h[j] = o * std::tanh(c[j]);
    }
    return std::make_pair(h, std::vector<Vec>{h, c});
  };
}

// bias: reset_after: 2 x 3 units (input row, recurrent row); else 3 units.
inline Step gru_step(const Vec& k, const Vec& r, const Vec& b, size_t units, bool reset_after) {
  return [=](const Vec& x, const std::vector<Vec>& s) {
    const Vec& hp = s[0];
    Vec zx = vecmat(x, k, 3 * units);
    Vec h(units);
    Vec inner = vecmat(hp, r, 3 * units);  // h @ R (all three blocks)
    Vec zr(2 * units);
    for (size_t j = 0; j < 2 * units; ++j) {
      double rb = reset_after ? b[3 * units + j] : 0.0;
      zr[j] = sigmoid(zx[j] + b[j] + inner[j] + rb);
    }
    Vec rh(units);
    for (size_t j = 0; j < units; ++j) rh[j] = zr[units + j] * hp[j];
    Vec rh_r = vecmat(
        rh,
        [&] {
          Vec rk(units * units);
          for (size_t i = 0; i < units; ++i)
            for (size_t j = 0; j < units; ++j) rk[i * units + j] = r[i * 3 * units + 2 * units + j];
          return rk;
        }(),
        units);
    for (size_t j = 0; j < units; ++j) {
      double xh = zx[2 * units + j] + b[2 * units + j];
      double hh = reset_after ? std::tanh(xh + zr[units + j] * (inner[2 * units + j] +
                                                                b[3 * units + 2 * units + j]))
                              : std::tanh(xh + rh_r[j]);
      double z = zr[j];
      h[j] = z * hp[j] + (1 - z) * hh;
    }
    return std::make_pair(h, std::vector<Vec>{h});
  };
}

struct Result {
  std::vector<Vec> outputs;  // per processed step
  std::vector<Vec> states;
};

// One sample: x[t] features; mask[t] (empty: none). Keras's non-unrolled backend rnn.
inline Result run(const Step& step, const std::vector<Vec>& x, std::vector<Vec> states,
                  const std::vector<int>& mask, bool go_backwards, bool zero_output_for_mask) {
  Result r;
  size_t T = x.size();
  for (size_t n = 0; n < T; ++n) {
    size_t t = go_backwards ? T - 1 - n : n;
    auto [y, ns] = step(x[t], states);
    if (!mask.empty() && !mask[t]) {
      y = zero_output_for_mask ? Vec(y.size(), 0.0) : states[0];
      ns = states;
    }
    states = ns;
    r.outputs.push_back(y);
  }
  r.states = states;
  return r;
}

}  // namespace keras::testing::rnn_ref
