// Reductions (sum/prod/max/min/any/all), arg_reduce and cumulative ops. Every kernel works on x
// viewed as (outer, reduced, inner); reductions over axes that are not one contiguous block are
// transposed into (kept, reduced) first.
#include <cmath>
#include <memory>
#include <numeric>

#include "backends/cpu/cpu_common.hpp"
#include "backends/cpu/profile.hpp"

namespace keras::backend::cpu {

namespace {

// ---- reducers: init/step/combine/finish in an accumulator type ----
// Floating sums and products accumulate in double (float32 sums of millions of elements would
// otherwise lose digits that NumPy's pairwise summation keeps); integers wrap in their own type.
template <class T>
using float_acc_t = std::conditional_t<is_float_v<T>, double, T>;

template <class T, ReduceOp OP>
struct Reducer;

template <class T>
struct Reducer<T, ReduceOp::Sum> {
  using C = compute_t<T>;
  using Acc = float_acc_t<T>;
  using Out = T;
  static Acc init() { return Acc(0); }
  static Acc step(Acc a, C v) {
    if constexpr (std::is_same_v<T, bool>)
      return a || v;
    else if constexpr (is_int_v<T>)
      return wrap_add<T>(a, v);
    else
      return a + static_cast<Acc>(v);
  }
  static Acc combine(Acc a, Acc b) { return step(a, static_cast<C>(b)); }
  static Out finish(Acc a) { return static_cast<Out>(static_cast<C>(a)); }
};

template <class T>
struct Reducer<T, ReduceOp::Prod> {
  using C = compute_t<T>;
  using Acc = float_acc_t<T>;
  using Out = T;
  static Acc init() { return Acc(1); }
  static Acc step(Acc a, C v) {
    if constexpr (std::is_same_v<T, bool>)
      return a && v;
    else if constexpr (is_int_v<T>)
      return wrap_mul<T>(a, v);
    else
      return a * static_cast<Acc>(v);
  }
  static Acc combine(Acc a, Acc b) { return step(a, static_cast<C>(b)); }
  static Out finish(Acc a) { return static_cast<Out>(static_cast<C>(a)); }
};

// Max/Min propagate NaN (the first NaN seen sticks, since no comparison with it is true).
template <class T>
struct Reducer<T, ReduceOp::Max> {
  using C = compute_t<T>;
  using Acc = C;
  using Out = T;
  static Acc init() {
    if constexpr (is_float_v<T>)
      return -std::numeric_limits<C>::infinity();
    else
      return std::numeric_limits<C>::lowest();
  }
  static Acc step(Acc a, C v) {
    if constexpr (is_float_v<T>)
      return (v != v || v > a) && a == a ? v : a;
    else
      return v > a ? v : a;
  }
  static Acc combine(Acc a, Acc b) { return step(a, b); }
  static Out finish(Acc a) { return static_cast<Out>(a); }
};

template <class T>
struct Reducer<T, ReduceOp::Min> {
  using C = compute_t<T>;
  using Acc = C;
  using Out = T;
  static Acc init() {
    if constexpr (is_float_v<T>)
      return std::numeric_limits<C>::infinity();
    else
      return std::numeric_limits<C>::max();
  }
  static Acc step(Acc a, C v) {
    if constexpr (is_float_v<T>)
      return (v != v || v < a) && a == a ? v : a;
    else
      return v < a ? v : a;
  }
  static Acc combine(Acc a, Acc b) { return step(a, b); }
  static Out finish(Acc a) { return static_cast<Out>(a); }
};

template <class T>
struct Reducer<T, ReduceOp::Any> {
  using C = compute_t<T>;
  using Acc = bool;
  using Out = bool;
  static Acc init() { return false; }
  static Acc step(Acc a, C v) { return a || (v != C(0)); }
  static Acc combine(Acc a, Acc b) { return a || b; }
  static Out finish(Acc a) { return a; }
};

template <class T>
struct Reducer<T, ReduceOp::All> {
  using C = compute_t<T>;
  using Acc = bool;
  using Out = bool;
  static Acc init() { return true; }
  static Acc step(Acc a, C v) { return a && (v != C(0)); }
  static Acc combine(Acc a, Acc b) { return a && b; }
  static Out finish(Acc a) { return a; }
};

// Reduction of n contiguous elements with 8 independent accumulators (vectorizes without
// reassociating a single floating-point chain).
template <class R, class T>
typename R::Acc reduce_contiguous(const T* p, int64_t n) {
  using C = compute_t<T>;
  using Acc = typename R::Acc;
  constexpr int L = 8;
  Acc acc[L];
  for (int k = 0; k < L; ++k) acc[k] = R::init();
  int64_t i = 0;
  for (; i + L <= n; i += L)
    for (int k = 0; k < L; ++k) acc[k] = R::step(acc[k], static_cast<C>(p[i + k]));
  Acc r = R::init();
  for (int k = 0; k < L; ++k) r = R::combine(r, acc[k]);
  for (; i < n; ++i) r = R::step(r, static_cast<C>(p[i]));
  return r;
}

template <class R, class T>
void reduce_kernel(const T* x, typename R::Out* out, int64_t outer, int64_t n, int64_t inner) {
  using C = compute_t<T>;
  using Acc = typename R::Acc;
  int threads = omp_get_max_threads();
  if (inner == 1) {
    if (outer >= threads || outer * n <= kGrain) {
      parallel_for(outer, n, [&](int64_t b, int64_t e) {
        for (int64_t o = b; o < e; ++o) out[o] = R::finish(reduce_contiguous<R>(x + o * n, n));
      });
      return;
    }
    // Few long rows: split each row into one chunk per thread and combine the partial results
    // (indexed by chunk, not thread id, which is not ours to rely on when nested).
    for (int64_t o = 0; o < outer; ++o) {
      // (not std::vector: Acc may be bool, and chunks write their slots concurrently)
      std::unique_ptr<Acc[]> partial(new Acc[threads]);
      const T* row = x + o * n;
      int64_t chunk = (n + threads - 1) / threads;
      parallel_for(threads, chunk, [&](int64_t cb, int64_t ce) {
        for (int64_t c = cb; c < ce; ++c) {
          int64_t b = std::min(n, c * chunk), e = std::min(n, b + chunk);
          partial[c] = reduce_contiguous<R>(row + b, e - b);
        }
      });
      Acc r = R::init();
      for (int t = 0; t < threads; ++t) r = R::combine(r, partial[t]);
      out[o] = R::finish(r);
    }
    return;
  }
  // inner > 1: accumulate whole rows of `inner` elements (vectorizes over j).
  auto block = [&](int64_t o, int64_t jb, int64_t je) {
    std::unique_ptr<Acc[]> acc(new Acc[je - jb]);
    Acc* a = acc.get();
    for (int64_t j = 0; j < je - jb; ++j) a[j] = R::init();
    for (int64_t r = 0; r < n; ++r) {
      const T* row = x + (o * n + r) * inner + jb;
      for (int64_t j = 0; j < je - jb; ++j) a[j] = R::step(a[j], static_cast<C>(row[j]));
    }
    for (int64_t j = jb; j < je; ++j) out[o * inner + j] = R::finish(a[j - jb]);
  };
  if (outer >= threads) {
    parallel_for(outer, n * inner, [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o) block(o, 0, inner);
    });
  } else {
    for (int64_t o = 0; o < outer; ++o)
      parallel_for(inner, n, [&](int64_t b, int64_t e) { block(o, b, e); });
  }
}

std::string axes_string(std::span<const int> axes) {
  std::string s = "(";
  for (size_t i = 0; i < axes.size(); ++i) s += (i ? ", " : "") + std::to_string(axes[i]);
  return s + (axes.size() == 1 ? ",)" : ")");
}

}  // namespace

Tensor CpuBackend::reduce_impl(ReduceOp op, const Tensor& x, std::span<const int> axes,
                               bool keepdims) {
  ProfileScope prof("reduce");
  if (axes.empty()) return alias(x, x.shape());
  const Shape& s = x.shape();
  int rank = s.rank();
  std::vector<bool> reduced(rank, false);
  for (int a : axes) {
    if (a < 0 || a >= rank)
      throw ValueError("cpu backend: ops::" + std::string(reduce_op_name(op)) + ": axis " +
                       std::to_string(a) + " is out of bounds for a tensor of rank " +
                       std::to_string(rank));
    reduced[a] = true;
  }
  Shape out_shape;
  int64_t count = 1;
  for (int d = 0; d < rank; ++d) {
    if (reduced[d]) {
      count *= s[d];
      if (keepdims) out_shape.push_back(1);
    } else {
      out_shape.push_back(s[d]);
    }
  }
  if (count == 0 && (op == ReduceOp::Max || op == ReduceOp::Min))
    throw ValueError("cpu backend: ops::" + std::string(reduce_op_name(op)) +
                     ": zero-size reduction over axes " + axes_string(axes) +
                     " of a tensor of shape " + s.to_string() + " has no identity");
  DType out_dtype = (op == ReduceOp::Any || op == ReduceOp::All) ? DType::Bool : x.dtype();
  Tensor out = empty(out_shape, out_dtype);
  if (out.size() == 0) return out;

  // Group the non-trivial dims into runs of kept/reduced; (kept, reduced, kept) or any sub-pattern
  // is one strided pass, anything else is transposed to (kept..., reduced...) first.
  std::vector<std::pair<bool, int64_t>> runs;
  for (int d = 0; d < rank; ++d) {
    if (s[d] == 1) continue;
    if (!runs.empty() && runs.back().first == reduced[d])
      runs.back().second *= s[d];
    else
      runs.push_back({static_cast<bool>(reduced[d]), s[d]});
  }
  Tensor src = x;
  int64_t outer = 1, n = 1, inner = 1;
  if (runs.size() <= 3 && !(runs.size() == 3 && runs[0].first)) {
    size_t i = 0;
    if (i < runs.size() && !runs[i].first) outer = runs[i++].second;
    if (i < runs.size() && runs[i].first) n = runs[i++].second;
    if (i < runs.size()) inner = runs[i++].second;
  } else {
    std::vector<int> perm;
    for (int d = 0; d < rank; ++d)
      if (!reduced[d]) perm.push_back(d);
    for (int d = 0; d < rank; ++d)
      if (reduced[d]) perm.push_back(d);
    src = transpose(x, perm);
    n = count;
    outer = x.size() / std::max<int64_t>(count, 1);
  }
  if (s.rank() > 0 && x.size() == 0) {  // empty reduction: fill with the identity
    outer = out.size();
    n = 0;
    inner = 1;
  }

  visit_dtype(x.dtype(), [&]<class T>() {
    auto run = [&]<ReduceOp OP>() {
      using R = Reducer<T, OP>;
      reduce_kernel<R>(data<T>(src), data<typename R::Out>(out), outer, n, inner);
    };
    switch (op) {
      case ReduceOp::Sum:
        run.template operator()<ReduceOp::Sum>();
        break;
      case ReduceOp::Prod:
        run.template operator()<ReduceOp::Prod>();
        break;
      case ReduceOp::Max:
        run.template operator()<ReduceOp::Max>();
        break;
      case ReduceOp::Min:
        run.template operator()<ReduceOp::Min>();
        break;
      case ReduceOp::Any:
        run.template operator()<ReduceOp::Any>();
        break;
      case ReduceOp::All:
        run.template operator()<ReduceOp::All>();
        break;
    }
  });
  return out;
}

Tensor CpuBackend::arg_reduce_impl(ArgReduceOp op, const Tensor& x, int axis, bool keepdims) {
  ProfileScope prof("arg_reduce");
  const Shape& s = x.shape();
  const char* name = op == ArgReduceOp::ArgMax ? "argmax" : "argmin";
  if (axis < 0 || axis >= s.rank())
    throw ValueError(std::string("cpu backend: ops::") + name + ": axis " + std::to_string(axis) +
                     " is out of bounds for a tensor of shape " + s.to_string());
  AxisView v = axis_view(s, axis);
  Shape out_shape;
  for (int d = 0; d < s.rank(); ++d) {
    if (d != axis)
      out_shape.push_back(s[d]);
    else if (keepdims)
      out_shape.push_back(1);
  }
  if (v.n == 0)
    throw ValueError(std::string("cpu backend: ops::") + name + ": attempt to get " + name +
                     " of an empty sequence (axis " + std::to_string(axis) + " of shape " +
                     s.to_string() + ")");
  Tensor out = empty(out_shape, DType::Int32);
  if (out.size() == 0) return out;
  bool is_max = op == ArgReduceOp::ArgMax;
  visit_dtype(x.dtype(), [&]<class T>() {
    using C = compute_t<T>;
    const T* px = data<T>(x);
    int32_t* po = data<int32_t>(out);
    // `better(v, best)`: v replaces best. A NaN best is final; a NaN v always wins.
    auto better = [is_max](C val, C best) {
      if constexpr (is_float_v<T>) {
        if (best != best) return false;
        if (val != val) return true;
      }
      return is_max ? val > best : val < best;
    };
    parallel_for(v.outer, v.n * v.inner, [&](int64_t b, int64_t e) {
      std::unique_ptr<C[]> best(new C[v.inner]);
      for (int64_t o = b; o < e; ++o) {
        const T* base = px + o * v.n * v.inner;
        int32_t* idx = po + o * v.inner;
        for (int64_t j = 0; j < v.inner; ++j) {
          best[j] = static_cast<C>(base[j]);
          idx[j] = 0;
        }
        for (int64_t r = 1; r < v.n; ++r) {
          const T* row = base + r * v.inner;
          for (int64_t j = 0; j < v.inner; ++j) {
            C val = static_cast<C>(row[j]);
            if (better(val, best[j])) {
              best[j] = val;
              idx[j] = static_cast<int32_t>(r);
            }
          }
        }
      }
    });
  });
  return out;
}

Tensor CpuBackend::cumulative_impl(CumulativeOp op, const Tensor& x, int axis, bool reverse) {
  ProfileScope prof("cumulative");
  const Shape& s = x.shape();
  if (s.rank() == 0) return alias(x, s);
  if (axis < 0 || axis >= s.rank())
    throw ValueError("cpu backend: cumulative op: axis " + std::to_string(axis) +
                     " is out of bounds for a tensor of shape " + s.to_string());
  Tensor out = empty(s, x.dtype());
  if (out.size() == 0) return out;
  AxisView v = axis_view(s, axis);
  visit_dtype(x.dtype(), [&]<class T>() {
    using C = compute_t<T>;
    const T* px = data<T>(x);
    T* po = data<T>(out);
    auto run = [&](auto step) {
      auto block = [&](int64_t o, int64_t jb, int64_t je) {
        const T* base = px + o * v.n * v.inner;
        T* obase = po + o * v.n * v.inner;
        std::unique_ptr<C[]> acc(new C[je - jb]);
        for (int64_t k = 0; k < v.n; ++k) {
          int64_t r = reverse ? v.n - 1 - k : k;
          const T* row = base + r * v.inner;
          T* orow = obase + r * v.inner;
          for (int64_t j = jb; j < je; ++j) {
            C val = static_cast<C>(row[j]);
            C& a = acc[j - jb];
            a = k == 0 ? val : step(a, val);
            orow[j] = static_cast<T>(a);
          }
        }
      };
      if (v.outer >= omp_get_max_threads() || v.inner == 1) {
        parallel_for(v.outer, v.n * v.inner, [&](int64_t b, int64_t e) {
          for (int64_t o = b; o < e; ++o) block(o, 0, v.inner);
        });
      } else {
        for (int64_t o = 0; o < v.outer; ++o)
          parallel_for(v.inner, v.n, [&](int64_t b, int64_t e) { block(o, b, e); });
      }
    };
    constexpr bool kBool = std::is_same_v<T, bool>;
    switch (op) {
      case CumulativeOp::Sum:
        if constexpr (kBool)
          run([](C a, C b) { return a || b; });
        else if constexpr (is_int_v<T>)
          run([](C a, C b) { return wrap_add(a, b); });
        else
          run([](C a, C b) { return a + b; });
        break;
      case CumulativeOp::Prod:
        if constexpr (kBool)
          run([](C a, C b) { return a && b; });
        else if constexpr (is_int_v<T>)
          run([](C a, C b) { return wrap_mul(a, b); });
        else
          run([](C a, C b) { return a * b; });
        break;
      case CumulativeOp::Max:
        run([](C a, C b) { return a != a ? a : (b != b ? b : (b > a ? b : a)); });
        break;
      case CumulativeOp::Min:
        run([](C a, C b) { return a != a ? a : (b != b ? b : (b < a ? b : a)); });
        break;
    }
  });
  return out;
}

}  // namespace keras::backend::cpu
