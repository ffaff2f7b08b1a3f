#include "backend/contract/reference_loops.hpp"

#include <algorithm>
#include <limits>

namespace keras::backend::contract {
namespace {

// Row-major multi-index iteration over `shape`.
bool next_index(std::vector<int64_t>& idx, const std::vector<int64_t>& shape) {
  for (size_t d = shape.size(); d-- > 0;) {
    if (++idx[d] < shape[d]) return true;
    idx[d] = 0;
  }
  return false;
}

int64_t offset(const std::vector<int64_t>& idx, const std::vector<int64_t>& shape) {
  int64_t o = 0;
  for (size_t d = 0; d < shape.size(); ++d) o = o * shape[d] + idx[d];
  return o;
}

// Sets xi to (batch, spatial position) of window offset ki at output position oi; false when
// the position falls in the padding.
bool window_input(const std::vector<int64_t>& oi, const std::vector<int64_t>& ki, const Shape& xs,
                  const std::vector<int64_t>& strides, const std::vector<int64_t>& dilation,
                  const std::vector<std::pair<int64_t, int64_t>>& padding,
                  std::vector<int64_t>& xi) {
  xi.assign(1, oi[0]);
  bool inside = true;
  for (size_t i = 0; i < ki.size(); ++i) {
    int64_t pos = oi[i + 1] * strides[i] + ki[i] * dilation[i] - padding[i].first;
    if (pos < 0 || pos >= xs[i + 1]) inside = false;
    xi.push_back(pos);
  }
  return inside;
}

}  // namespace

std::vector<double> reference_conv(const std::vector<double>& x, const Shape& xs,
                                   const std::vector<double>& w, const Shape& ws,
                                   const ConvParams& p, Shape* out_shape) {
  const size_t n = xs.size() - 2;
  const int64_t cin = xs.back(), cout = ws.back(), g = p.groups;
  const int64_t cin_g = cin / g, cout_g = cout / g;
  Shape os{xs[0]};
  for (size_t i = 0; i < n; ++i) {
    int64_t padded = xs[i + 1] + p.padding[i].first + p.padding[i].second;
    os.push_back((padded - p.dilation[i] * (ws[i] - 1) - 1) / p.strides[i] + 1);
  }
  os.push_back(cout);
  *out_shape = os;
  std::vector<double> out(static_cast<size_t>(os.num_elements()), 0.0);
  std::vector<int64_t> oi(os.size(), 0);
  std::vector<int64_t> ks(ws.begin(), ws.begin() + static_cast<int64_t>(n));
  do {
    const int64_t co = oi.back(), grp = co / cout_g;
    double acc = 0;
    std::vector<int64_t> ki(n, 0);
    std::vector<int64_t> xi;
    do {
      if (window_input(oi, ki, xs, p.strides, p.dilation, p.padding, xi))
        for (int64_t c = 0; c < cin_g; ++c) {
          xi.push_back(grp * cin_g + c);
          std::vector<int64_t> wi(ki);
          wi.push_back(c);
          wi.push_back(co);
          acc += x[static_cast<size_t>(offset(xi, xs))] * w[static_cast<size_t>(offset(wi, ws))];
          xi.pop_back();
        }
    } while (n > 0 && next_index(ki, ks));
    out[static_cast<size_t>(offset(oi, os))] = acc;
  } while (next_index(oi, os));
  return out;
}

std::vector<double> reference_pool(const std::vector<double>& x, const Shape& xs,
                                   const PoolParams& p, bool max, Shape* out_shape) {
  const size_t n = xs.size() - 2;
  Shape os{xs[0]};
  for (size_t i = 0; i < n; ++i)
    os.push_back(
        (xs[i + 1] + p.padding[i].first + p.padding[i].second - p.pool_size[i]) / p.strides[i] + 1);
  os.push_back(xs.back());
  *out_shape = os;
  std::vector<double> out;
  std::vector<int64_t> oi(os.size(), 0);
  std::vector<int64_t> ks(p.pool_size.begin(), p.pool_size.end());
  const std::vector<int64_t> no_dilation(n, 1);
  do {
    double acc = max ? -std::numeric_limits<double>::infinity() : 0.0;
    int64_t count = 0;
    std::vector<int64_t> ki(n, 0);
    std::vector<int64_t> xi;
    do {
      if (!window_input(oi, ki, xs, p.strides, no_dilation, p.padding, xi)) continue;
      xi.push_back(oi.back());
      double v = x[static_cast<size_t>(offset(xi, xs))];
      acc = max ? std::max(acc, v) : acc + v;
      ++count;
    } while (next_index(ki, ks));
    out.push_back(max ? acc : acc / static_cast<double>(count));
  } while (next_index(oi, os));
  return out;
}

}  // namespace keras::backend::contract
