// ops::norm (keras/src/ops/linalg.py, NumPy's linalg.norm semantics).
#include <cmath>
#include <limits>

#include "ops/internal.hpp"

namespace keras::ops {

using namespace detail;

namespace {

std::string ord_str(const NormOrd& ord) {
  if (std::holds_alternative<double>(ord)) return std::to_string(std::get<double>(ord));
  if (std::holds_alternative<std::string>(ord)) return "\"" + std::get<std::string>(ord) + "\"";
  return "None";
}

Tensor vector_norm(const Tensor& x, const NormOrd& ord, int64_t axis, bool keepdims) {
  ReduceOptions r{.axis = axis, .keepdims = keepdims};
  if (std::holds_alternative<std::monostate>(ord)) return sqrt(sum(square(x), r));
  if (!std::holds_alternative<double>(ord))
    throw ValueError("ops::norm: invalid `ord` " + ord_str(ord) + " for a vector norm");
  double p = std::get<double>(ord);
  if (p == std::numeric_limits<double>::infinity()) return max(abs(x), r);
  if (p == -std::numeric_limits<double>::infinity()) return min(abs(x), r);
  if (p == 0) return sum(cast(not_equal(x, 0), x.dtype()), r);
  if (p == 1) return sum(abs(x), r);
  if (p == 2) return sqrt(sum(square(x), r));
  return power(sum(power(abs(x), p), r), 1.0 / p);
}

Tensor matrix_norm(const Tensor& x, const NormOrd& ord, int64_t row, int64_t col, bool keepdims) {
  auto both = ReduceOptions{.axis = {row, col}, .keepdims = keepdims};
  if (std::holds_alternative<std::monostate>(ord) ||
      (std::holds_alternative<std::string>(ord) && std::get<std::string>(ord) == "fro"))
    return sqrt(sum(square(x), both));
  if (std::holds_alternative<double>(ord)) {
    double p = std::get<double>(ord);
    const double inf = std::numeric_limits<double>::infinity();
    // 1 / -1: max / min column sum; inf / -inf: max / min row sum.
    if (p == 1 || p == -1 || p == inf || p == -inf) {
      bool columns = p == 1 || p == -1;
      int64_t summed = columns ? row : col;
      int64_t kept = columns ? col : row;
      Tensor sums = sum(abs(x), {.axis = summed, .keepdims = true});
      Tensor out = p > 0 ? max(sums, {.axis = kept, .keepdims = true})
                         : min(sums, {.axis = kept, .keepdims = true});
      return keepdims ? out : squeeze(out, Axis{row, col});
    }
    if (p == 2 || p == -2)
      throw NotImplementedError("ops::norm: matrix norms with ord=" + ord_str(ord) +
                                " need singular values, which keras-cpp does not compute yet");
  }
  if (std::holds_alternative<std::string>(ord) && std::get<std::string>(ord) == "nuc")
    throw NotImplementedError(
        "ops::norm: the nuclear norm needs singular values, which keras-cpp does not compute yet");
  throw ValueError("ops::norm: invalid `ord` " + ord_str(ord) + " for a matrix norm");
}

}  // namespace

Tensor norm(const Tensor& x, NormOptions options) {
  require_defined("norm", x, "x");
  Tensor xf = is_floating(x.dtype()) ? x : cast(x, config::floatx());
  int rank = x.ndim();
  if (options.axis.is_none()) {
    if (std::holds_alternative<std::monostate>(options.ord)) {
      Tensor out = sqrt(sum(square(xf)));
      if (options.keepdims) out = reshape(out, Shape(std::vector<int64_t>(rank, 1)));
      return out;
    }
    if (rank == 1) return vector_norm(xf, options.ord, 0, options.keepdims);
    if (rank == 2) return matrix_norm(xf, options.ord, 0, 1, options.keepdims);
    throw ValueError("ops::norm: `ord` " + ord_str(options.ord) +
                     " needs `axis` for a tensor of rank " + std::to_string(rank) + " (shape " +
                     shape_str(x) + ")");
  }
  std::vector<int> axes = normalize_axes(options.axis, rank, "norm", x.shape());
  if (axes.size() != options.axis.axes->size()) throw ValueError("ops::norm: duplicate axes");
  if (axes.size() == 1) return vector_norm(xf, options.ord, axes[0], options.keepdims);
  if (axes.size() == 2) {
    // Keep the user's order: the first axis is the row axis.
    int64_t row = normalize_axis((*options.axis.axes)[0], rank, "ops::norm", x.shape());
    int64_t col = normalize_axis((*options.axis.axes)[1], rank, "ops::norm", x.shape());
    return matrix_norm(xf, options.ord, row, col, options.keepdims);
  }
  throw ValueError("ops::norm: `axis` must name 1 or 2 axes, got " + std::to_string(axes.size()));
}

}  // namespace keras::ops
