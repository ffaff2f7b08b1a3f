#pragma once
// Private helpers of the Cropping / ZeroPadding / UpSampling layers: reading their arguments from
// configs and applying them to the spatial axes of an input (symbolic inputs get the output shape
// only, so unknown dimensions stay unknown).
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "core/checked_int.hpp"
#include "keras/layers/layer.hpp"
#include "keras/layers/reshaping/padding_pairs.hpp"
#include "keras/ops/ops.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers::reshaping_detail {

using Pairs = PaddingPairs::Pairs;

inline std::string pairs_str(const Pairs& p) {
  std::string s = "(";
  for (size_t i = 0; i < p.size(); ++i)
    s += (i ? ", (" : "(") + std::to_string(p[i].first) + ", " + std::to_string(p[i].second) + ")";
  if (p.size() == 1) s += ",";
  return s + ")";
}

// The spatial axes of a rank-(n + 2) input: 1..n (channels_last) or 2..n+1 (channels_first).
inline std::vector<int> spatial_axes(int n, bool channels_first) {
  std::vector<int> axes;
  for (int i = 0; i < n; ++i) axes.push_back(i + (channels_first ? 2 : 1));
  return axes;
}

// A PaddingPairs from a config value: an int, or a list of ints / [before, after] lists.
inline PaddingPairs read_pairs(const Config& c, const char* key, PaddingPairs fallback) {
  if (!detail::has(c, key)) return fallback;
  const Config& v = c[key];
  if (v.is_number()) return PaddingPairs(saving::config_int(v, key));
  std::vector<Ints> entries;
  for (const Config& e : v) {
    if (e.is_number()) {
      entries.emplace_back(saving::config_int(e, key));
    } else {
      std::vector<int64_t> pair;
      for (const Config& x : e) pair.push_back(saving::config_int(x, key));
      entries.emplace_back(std::move(pair));
    }
  }
  return PaddingPairs(std::move(entries));
}

// The 1D layers' argument: one (start, end) pair, given as Ints, read as Ints.
inline Ints read_pairs(const Config& c, const char* key, Ints fallback) {
  return detail::read_ints(c, key, std::move(fallback));
}

// The (before, after) pair per spatial dimension of a Cropping / ZeroPadding argument, n of them.
inline Pairs expand_pairs(const Ints& value, size_t /*n = 1*/, const std::string& where,
                          const char* arg) {
  std::vector<int64_t> v = detail::standardize_tuple(value, 2, where, arg, 0);
  return {{v[0], v[1]}};
}
inline Pairs expand_pairs(const PaddingPairs& value, size_t n, const std::string& where,
                          const char* arg) {
  return value.expand(n, where, arg);
}

// As Keras writes them: [start, end] for the 1D layers, [[before, after], ...] for 2D/3D.
inline Config pairs_config(const Pairs& pairs) {
  if (pairs.size() == 1) return detail::ints_config({pairs[0].first, pairs[0].second});
  Config out = Config::array();
  for (const auto& [a, b] : pairs) out.push_back(Config::array({a, b}));
  return out;
}

// Crops `pairs` off the spatial axes; ValueError if nothing would be left of a known dimension.
inline Tensor crop(const LayerImpl& layer, const Tensor& x, const Pairs& pairs,
                   bool channels_first) {
  const int n = static_cast<int>(pairs.size());
  detail::check_rank(layer, x.shape(), n + 2);
  const Shape& in = x.shape();
  Shape out = in;
  std::vector<int64_t> start(in.rank(), 0);
  std::vector<int> axes = spatial_axes(n, channels_first);
  for (int i = 0; i < n; ++i) {
    int a = axes[i];
    start[a] = pairs[i].first;
    if (in[a] == Shape::kNone) continue;
    // Compared before subtracting: cropping values near 2**63 would overflow.
    if (pairs[i].first >= in[a] || pairs[i].second >= in[a] - pairs[i].first)
      throw ValueError(detail::layer_str(layer) + ": values in `cropping` " + pairs_str(pairs) +
                       " must be smaller than the corresponding spatial dimensions of the input "
                       "(input shape " +
                       in.to_string() + ")");
    out[a] = in[a] - pairs[i].first - pairs[i].second;
  }
  if (x.is_symbolic()) {
    for (int a : axes)
      if (in[a] == Shape::kNone) out[a] = Shape::kNone;
    return Tensor::symbolic(out, x.dtype());
  }
  return ops::slice(x, start, out);
}

inline Tensor zero_pad(const LayerImpl& layer, const Tensor& x, const Pairs& pairs,
                       bool channels_first) {
  const int n = static_cast<int>(pairs.size());
  detail::check_rank(layer, x.shape(), n + 2);
  std::vector<std::pair<int64_t, int64_t>> all(x.ndim(), {0, 0});
  std::vector<int> axes = spatial_axes(n, channels_first);
  for (int i = 0; i < n; ++i) all[axes[i]] = pairs[i];
  if (x.is_symbolic()) {
    Shape out = x.shape();
    auto where = [&] { return detail::layer_str(layer) + ": padding"; };
    for (int i = 0; i < n; ++i)
      if (out[axes[i]] != Shape::kNone)
        out[axes[i]] = checked_int::add(
            out[axes[i]], checked_int::add(pairs[i].first, pairs[i].second, where), where);
    return Tensor::symbolic(out, x.dtype());
  }
  return ops::pad(x, all);
}

// Nearest-neighbour upsampling: each spatial axis repeated by its factor.
inline Tensor repeat_upsample(const LayerImpl& layer, const Tensor& x,
                              const std::vector<int64_t>& factors, bool channels_first) {
  const int n = static_cast<int>(factors.size());
  detail::check_rank(layer, x.shape(), n + 2);
  std::vector<int> axes = spatial_axes(n, channels_first);
  if (x.is_symbolic()) {
    Shape out = x.shape();
    for (int i = 0; i < n; ++i)
      if (out[axes[i]] != Shape::kNone)
        out[axes[i]] = checked_int::mul(out[axes[i]], factors[i],
                                        layer.class_name() + " '" + layer.name() + "'");
    return Tensor::symbolic(out, x.dtype());
  }
  Tensor y = x;
  for (int i = 0; i < n; ++i)
    if (factors[i] != 1) y = ops::repeat(y, Ints(factors[i]), axes[i]);
  return y;
}

// Linear upsampling along one axis by an integer factor with half-pixel centres, as
// keras.ops.image.resize(interpolation="bilinear") (jax.image.resize, TF and torch's
// align_corners=False): output o samples input position (o + 0.5) / factor - 0.5, clamped to
// [0, size - 1], blending its lower and upper neighbours.
inline Tensor linear_upsample_axis(const Tensor& x, int axis, int64_t factor) {
  const int64_t size = x.shape()[axis];
  const int64_t out = size * factor;
  std::vector<int32_t> lo(out), hi(out);
  std::vector<double> w(out), v(out);
  for (int64_t o = 0; o < out; ++o) {
    double p = (static_cast<double>(o) + 0.5) / static_cast<double>(factor) - 0.5;
    p = std::clamp(p, 0.0, static_cast<double>(size - 1));
    int64_t l = static_cast<int64_t>(std::floor(p));
    lo[o] = static_cast<int32_t>(l);
    hi[o] = static_cast<int32_t>(std::min<int64_t>(l + 1, size - 1));
    w[o] = p - static_cast<double>(l);
    v[o] = 1.0 - w[o];
  }
  const std::string backend(x.backend_name());
  Shape wshape(std::vector<int64_t>(x.ndim(), 1));
  wshape[axis] = out;
  Tensor upper_w = ops::convert_to_tensor(w, wshape, {.dtype = x.dtype(), .backend = backend});
  Tensor lower_w = ops::convert_to_tensor(v, wshape, {.dtype = x.dtype(), .backend = backend});
  Tensor lower = ops::take(x, ops::convert_to_tensor(lo, {.backend = backend}), axis);
  Tensor upper = ops::take(x, ops::convert_to_tensor(hi, {.backend = backend}), axis);
  return ops::add(ops::multiply(lower, lower_w), ops::multiply(upper, upper_w));
}

}  // namespace keras::layers::reshaping_detail
