// Activation ops (keras/src/ops/nn.py; formulas from keras/src/backend/numpy/nn.py and JAX).
// Integer inputs are computed in floatx, except by relu and relu6, which keep integer dtypes as
// Keras's backends do. Gradients are written by hand where the composed gradient would be
// unstable (exp of a large value in an unused branch) or where Keras defines a convention at a
// kink (relu'(0) = 0, relu6'(6) = 0).
#include <cmath>
#include <numbers>

#include "ops/elementwise_util.hpp"
#include "ops/internal.hpp"

namespace keras::ops {

using namespace detail;
using backend::UnaryOp;

namespace {

// 1.0 where cond holds, else 0.0, in dtype.
Tensor mask(const Tensor& cond, DType dtype) { return cast(cond, dtype); }

// An activation computed by `forward` (ops on a floating x) with the gradient `vjp`.
using Forward = std::function<Tensor(const Tensor& x)>;
using Vjp = std::function<Tensor(const Tensor& x, const Tensor& y, const Tensor& g)>;

Tensor activation(const char* op, const Tensor& x, DType dtype, const Forward& forward,
                  const Vjp& vjp) {
  require_defined(op, x, "x");
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), dtype);
  Tensor xf = x.dtype() == dtype && !x.impl()->weak ? x : cast(x, dtype);
  return composite(
      op, {xf}, [&](const std::vector<Tensor>& xs) { return forward(xs[0]); },
      [vjp](const std::vector<Tensor>& xs, const Tensor& y, const Tensor& g) {
        return std::vector<Tensor>{vjp(xs[0], y, g)};
      });
}

Tensor float_activation(const char* op, const Tensor& x, const Forward& forward, const Vjp& vjp) {
  require_defined(op, x, "x");
  return activation(op, x, float_result_type(x.dtype()), forward, vjp);
}

// relu and relu6 keep integer dtypes; bool computes in floatx.
DType piecewise_linear_dtype(DType dtype) {
  return is_integer(dtype) ? dtype : float_result_type(dtype);
}

Tensor sigmoid_vjp(const Tensor&, const Tensor& y, const Tensor& g) { return g * y * (1.0 - y); }

Tensor elu_impl(const char* op, const Tensor& x, double alpha, double scale) {
  // expm1 sees min(x, 0) so the unused branch cannot overflow (as JAX's safe_x).
  return float_activation(
      op, x,
      [alpha, scale](const Tensor& t) {
        Tensor neg = alpha * expm1(minimum(t, 0.0));
        Tensor y = where(t >= 0.0, t, neg);
        return scale == 1.0 ? y : y * scale;
      },
      [alpha, scale](const Tensor& t, const Tensor&, const Tensor& g) {
        Tensor d = where(t >= 0.0, ones_like(t), alpha * exp(minimum(t, 0.0)));
        return scale == 1.0 ? g * d : g * (d * scale);
      });
}

}  // namespace

Tensor relu(const Tensor& x) {
  require_defined("relu", x, "x");
  DType dt = piecewise_linear_dtype(x.dtype());
  if (is_floating(dt))
    // The mask reads the output (y > 0 exactly where x > 0): a compiled step then keeps only y,
    // and the pre-activation fuses away with the bias add.
    return unary("relu", UnaryOp::Relu, x, dt, [](const Tensor&, const Tensor& y, const Tensor& g) {
      return g * mask(y > 0.0, g.dtype());
    });
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), dt);
  return maximum(x, 0);
}

Tensor relu6(const Tensor& x) {
  require_defined("relu6", x, "x");
  DType dt = piecewise_linear_dtype(x.dtype());
  if (!is_floating(dt)) {
    if (x.is_symbolic()) return Tensor::symbolic(x.shape(), dt);
    return minimum(maximum(x, 0), 6);
  }
  return activation(
      "relu6", x, dt, [](const Tensor& t) { return minimum(maximum(t, 0.0), 6.0); },
      [](const Tensor& t, const Tensor&, const Tensor& g) {
        return g * mask((t > 0.0) & (t < 6.0), g.dtype());
      });
}

Tensor elu(const Tensor& x, double alpha) { return elu_impl("elu", x, alpha, 1.0); }

Tensor selu(const Tensor& x) {
  // Constants of keras/src/backend/numpy/nn.py (Klambauer et al., 2017).
  constexpr double kAlpha = 1.6732632423543772848170429916717;
  constexpr double kScale = 1.0507009873554804934193349852946;
  return elu_impl("selu", x, kAlpha, kScale);
}

Tensor celu(const Tensor& x, double alpha) {
  if (alpha == 0.0) throw ValueError("ops::celu: `alpha` must be non-zero, got 0");
  return float_activation(
      "celu", x,
      [alpha](const Tensor& t) { return maximum(t, 0.0) + alpha * expm1(minimum(t, 0.0) / alpha); },
      [alpha](const Tensor& t, const Tensor&, const Tensor& g) {
        return g * where(t > 0.0, ones_like(t), exp(minimum(t, 0.0) / alpha));
      });
}

Tensor gelu(const Tensor& x, bool approximate) {
  if (approximate) {
    return unary_float(
        "gelu", UnaryOp::GeluTanh, x, [](const Tensor& x, const Tensor&, const Tensor& g) {
          // d/dx [x/2 (1 + tanh(u))], u = sqrt(2/pi) (x + 0.044715 x^3).
          const double c = std::sqrt(2.0 / std::numbers::pi);
          Tensor x2 = square(x);
          Tensor t = tanh(c * (x + 0.044715 * x * x2));
          Tensor d = 0.5 * (1.0 + t) + 0.5 * x * (1.0 - square(t)) * (c * (1.0 + 0.134145 * x2));
          return g * d;
        });
  }
  return unary_float(
      "gelu", UnaryOp::GeluExact, x, [](const Tensor& x, const Tensor&, const Tensor& g) {
        // Phi(x) + x phi(x).
        const double inv_sqrt2 = 1.0 / std::numbers::sqrt2;
        const double inv_sqrt_2pi = 1.0 / std::sqrt(2.0 * std::numbers::pi);
        Tensor d = 0.5 * (1.0 + erf(x * inv_sqrt2)) + x * (inv_sqrt_2pi * exp(-0.5 * square(x)));
        return g * d;
      });
}

Tensor sigmoid(const Tensor& x) { return unary_float("sigmoid", UnaryOp::Sigmoid, x, sigmoid_vjp); }

Tensor silu(const Tensor& x) {
  return unary_float("silu", UnaryOp::Silu, x, [](const Tensor& x, const Tensor&, const Tensor& g) {
    Tensor s = sigmoid(x);
    return g * (s * (1.0 + x * (1.0 - s)));
  });
}

Tensor swish(const Tensor& x) { return silu(x); }

Tensor hard_sigmoid(const Tensor& x) {
  // relu6(x + 3) / 6, computed as clip(x / 6 + 1/2, 0, 1) like Keras's backends.
  return float_activation(
      "hard_sigmoid", x, [](const Tensor& t) { return minimum(maximum(t / 6.0 + 0.5, 0.0), 1.0); },
      [](const Tensor& t, const Tensor&, const Tensor& g) {
        return g * (mask((t > -3.0) & (t < 3.0), g.dtype()) / 6.0);
      });
}

Tensor hard_silu(const Tensor& x) {
  return float_activation(
      "hard_silu", x, [](const Tensor& t) { return t * minimum(maximum(t / 6.0 + 0.5, 0.0), 1.0); },
      [](const Tensor& t, const Tensor&, const Tensor& g) {
        // 0 below -3, 1 above 3, x/3 + 1/2 between.
        Tensor mid = t / 3.0 + 0.5;
        return g * where(t <= -3.0, zeros_like(t), where(t >= 3.0, ones_like(t), mid));
      });
}

Tensor hard_swish(const Tensor& x) { return hard_silu(x); }

Tensor hard_tanh(const Tensor& x) {
  return float_activation(
      "hard_tanh", x, [](const Tensor& t) { return minimum(maximum(t, -1.0), 1.0); },
      [](const Tensor& t, const Tensor&, const Tensor& g) {
        return g * mask((t >= -1.0) & (t <= 1.0), g.dtype());
      });
}

Tensor softplus(const Tensor& x) {
  return unary_float(
      "softplus", UnaryOp::Softplus, x,
      [](const Tensor& x, const Tensor&, const Tensor& g) { return g * sigmoid(x); });
}

Tensor softsign(const Tensor& x) {
  return float_activation(
      "softsign", x, [](const Tensor& t) { return t / (1.0 + abs(t)); },
      [](const Tensor& t, const Tensor&, const Tensor& g) { return g / square(1.0 + abs(t)); });
}

Tensor leaky_relu(const Tensor& x, double negative_slope) {
  return float_activation(
      "leaky_relu", x,
      [negative_slope](const Tensor& t) { return where(t >= 0.0, t, negative_slope * t); },
      [negative_slope](const Tensor& t, const Tensor&, const Tensor& g) {
        return g * where(t >= 0.0, ones_like(t), full_like(t, negative_slope, t.dtype()));
      });
}

Tensor log_sigmoid(const Tensor& x) {
  return unary_float(
      "log_sigmoid", UnaryOp::LogSigmoid, x,
      [](const Tensor& x, const Tensor&, const Tensor& g) { return g * sigmoid(-x); });
}

Tensor glu(const Tensor& x, int64_t axis) {
  require_defined("glu", x, "x");
  int a = normalize_axis(axis, x.ndim(), "ops::glu", x.shape());
  int64_t n = x.shape()[a];
  if (n != Shape::kNone && n % 2 != 0)
    throw ValueError("ops::glu: the size of axis " + std::to_string(axis) +
                     " must be divisible by 2, got x.shape=" + shape_str(x));
  DType dt = float_result_type(x.dtype());
  if (x.is_symbolic()) {
    Shape s = x.shape();
    if (n != Shape::kNone) s[a] = n / 2;
    return Tensor::symbolic(s, dt);
  }
  std::vector<Tensor> halves = split(cast(x, dt), int64_t{2}, a);
  return halves[0] * sigmoid(halves[1]);
}

namespace {

int softmax_axis(const char* op, const Tensor& x, int64_t axis) {
  require_defined(op, x, "x");
  if (x.ndim() == 0)
    throw ValueError(std::string("ops::") + op + ": `x` must have rank >= 1, got a scalar");
  return normalize_axis(axis, x.ndim(), (std::string("ops::") + op).c_str(), x.shape());
}

}  // namespace

Tensor softmax(const Tensor& x, int64_t axis) {
  int a = softmax_axis("softmax", x, axis);
  DType dt = float_result_type(x.dtype());
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), dt);
  Backend& be = x.backend();
  Tensor y = be.softmax(prepare(x, be, dt), a);
  if (autodiff::is_recording() && is_floating(x.dtype())) {
    autodiff::record("softmax", {x}, {y}, [x, y, a](const std::vector<Tensor>& g) {
      // y * (g - sum(g * y)) along the axis.
      Tensor gy = g[0] * y;
      Tensor d = gy - y * sum(gy, {.axis = a, .keepdims = true});
      return std::vector<Tensor>{cast(d, x.dtype())};
    });
  }
  return y;
}

Tensor log_softmax(const Tensor& x, int64_t axis) {
  int a = softmax_axis("log_softmax", x, axis);
  DType dt = float_result_type(x.dtype());
  if (x.is_symbolic()) return Tensor::symbolic(x.shape(), dt);
  Backend& be = x.backend();
  Tensor y = be.log_softmax(prepare(x, be, dt), a);
  if (autodiff::is_recording() && is_floating(x.dtype())) {
    autodiff::record("log_softmax", {x}, {y}, [x, y, a](const std::vector<Tensor>& g) {
      // g - softmax(x) * sum(g) along the axis.
      Tensor d = g[0] - exp(y) * sum(g[0], {.axis = a, .keepdims = true});
      return std::vector<Tensor>{cast(d, x.dtype())};
    });
  }
  return y;
}

}  // namespace keras::ops
