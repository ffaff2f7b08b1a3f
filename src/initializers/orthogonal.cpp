// The Orthogonal initializer (keras/src/initializers/random_initializers.py). keras::ops has no
// qr, so the decomposition runs on the host in double precision: the matrices are weight-sized
// and this runs once per variable.
#include <cmath>
#include <vector>

#include "keras/core/config.hpp"
#include "keras/initializers/random_initializers.hpp"
#include "keras/ops/ops.hpp"
#include "keras/random/random.hpp"

namespace keras::initializers {

namespace {

// Reduced QR of the row-major (m, n) matrix a, m >= n, by Householder reflections. Returns Q
// (m, n) row-major with each column multiplied by the sign of R's diagonal entry, i.e. the Q of the
// decomposition whose R has a non-negative diagonal (Keras: q *= sign(diag(r))).
std::vector<double> orthonormal_columns(std::vector<double> a, int64_t m, int64_t n) {
  auto at = [n](std::vector<double>& mat, int64_t i, int64_t j) -> double& {
    return mat[static_cast<size_t>(i * n + j)];
  };
  std::vector<std::vector<double>> reflectors(static_cast<size_t>(n));
  std::vector<double> r_diag(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    double norm = 0.0;
    for (int64_t i = k; i < m; ++i) norm += at(a, i, k) * at(a, i, k);
    norm = std::sqrt(norm);
    std::vector<double>& v = reflectors[static_cast<size_t>(k)];
    v.assign(static_cast<size_t>(m - k), 0.0);
    if (norm == 0.0) {
      r_diag[static_cast<size_t>(k)] = 0.0;
      continue;
    }
    double alpha = at(a, k, k) > 0 ? -norm : norm;  // avoids cancellation in v[0]
    for (int64_t i = k; i < m; ++i) v[static_cast<size_t>(i - k)] = at(a, i, k);
    v[0] -= alpha;
    double vnorm = 0.0;
    for (double x : v) vnorm += x * x;
    vnorm = std::sqrt(vnorm);
    for (double& x : v) x /= vnorm;
    // a[k:, k:] -= 2 v (v^T a[k:, k:])
    for (int64_t j = k; j < n; ++j) {
      double dot = 0.0;
      for (int64_t i = k; i < m; ++i) dot += v[static_cast<size_t>(i - k)] * at(a, i, j);
      for (int64_t i = k; i < m; ++i) at(a, i, j) -= 2.0 * v[static_cast<size_t>(i - k)] * dot;
    }
    r_diag[static_cast<size_t>(k)] = alpha;
  }
  // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
  std::vector<double> q(static_cast<size_t>(m * n), 0.0);
  for (int64_t i = 0; i < n; ++i) at(q, i, i) = 1.0;
  for (int64_t k = n - 1; k >= 0; --k) {
    const std::vector<double>& v = reflectors[static_cast<size_t>(k)];
    for (int64_t j = 0; j < n; ++j) {
      double dot = 0.0;
      for (int64_t i = k; i < m; ++i) dot += v[static_cast<size_t>(i - k)] * at(q, i, j);
      for (int64_t i = k; i < m; ++i) at(q, i, j) -= 2.0 * v[static_cast<size_t>(i - k)] * dot;
    }
  }
  for (int64_t j = 0; j < n; ++j) {
    double d = r_diag[static_cast<size_t>(j)];
    double s = d > 0 ? 1.0 : (d < 0 ? -1.0 : 0.0);  // NumPy's sign
    for (int64_t i = 0; i < m; ++i) at(q, i, j) *= s;
  }
  return q;
}

}  // namespace

Orthogonal::Orthogonal(OrthogonalOptions options)
    : RandomInitializer(options.seed), gain_(options.gain) {}

Tensor Orthogonal::operator()(const Shape& shape, std::optional<DType> dtype) const {
  if (shape.rank() < 2)
    throw ValueError(
        "Orthogonal: the tensor to initialize must be at least two-dimensional. Received: shape=" +
        shape.to_string() + " of rank " + std::to_string(shape.rank()) + ".");
  DType dt = dtype.value_or(config::floatx());
  int64_t num_rows = 1;
  for (size_t i = 0; i + 1 < shape.size(); ++i) num_rows *= shape[i];
  int64_t num_cols = shape.back();
  int64_t m = std::max(num_rows, num_cols), n = std::min(num_rows, num_cols);
  // Drawn in the requested dtype, as Keras does, then decomposed in double.
  Tensor a = random::normal({m, n}, {.dtype = dt, .seed = seed()});
  std::vector<double> q = orthonormal_columns(a.to_vector<double>(), m, n);
  std::vector<double> out(q.size());
  if (num_rows < num_cols) {  // orthonormal rows: the transpose, (n, m) = (rows, cols)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        out[static_cast<size_t>(j * m + i)] = gain_ * q[static_cast<size_t>(i * n + j)];
  } else {
    for (size_t i = 0; i < q.size(); ++i) out[i] = gain_ * q[i];
  }
  return ops::cast(ops::from_buffer(out.data(), shape, DType::Float64), dt);
}

Config Orthogonal::get_config() const {
  Config c = RandomInitializer::get_config();
  c["gain"] = gain_;
  return c;
}

}  // namespace keras::initializers
