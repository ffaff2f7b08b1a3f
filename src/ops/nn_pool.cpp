// Pooling ops: max_pool, average_pool (keras/src/ops/nn.py). Output shapes follow
// keras/src/ops/operation_utils.py compute_pooling_output_shape; "same" padding is TensorFlow's,
// and average pooling divides by the number of non-padding elements of each window (as Keras
// computes with reduce_window). Gradients use the backend's pooling backward kernels.
#include "core/checked_int.hpp"
#include "ops/nn_internal.hpp"

namespace keras::ops {

using namespace detail;

namespace {

using backend::PoolParams;

struct PoolSetup {
  int nd = 0;
  bool channels_first = false;
  bool same = false;
  std::vector<int64_t> pool_size, strides;
};

PoolSetup setup(const char* op, const Tensor& inputs, const Ints& pool_size, const PoolOptions& o) {
  require_defined(op, inputs, "inputs");
  PoolSetup s;
  s.nd = spatial_rank(op, inputs);
  s.channels_first = resolve_data_format(op, o.data_format) == "channels_first";
  s.same = resolve_padding(op, o.padding) == "same";
  s.pool_size = spatial_ints(op, pool_size, s.nd, "pool_size");
  s.strides = o.strides ? spatial_ints(op, *o.strides, s.nd, "strides") : s.pool_size;
  return s;
}

Shape output_shape(const char* op, const PoolSetup& s, const Tensor& inputs) {
  const Shape& in = inputs.shape();
  int first = s.channels_first ? 2 : 1;
  Shape out = in;
  for (int i = 0; i < s.nd; ++i) {
    int64_t n = in[first + i];
    if (n == Shape::kNone) continue;
    if (s.same) {
      out[first + i] = checked_int::ceil_div(n, s.strides[i]);
    } else {
      int64_t o = n >= s.pool_size[i] ? (n - s.pool_size[i]) / s.strides[i] + 1 : 0;
      if (o <= 0)
        throw ValueError(op_name(op) +
                         ": computed output size would be zero or negative: inputs shape " +
                         shape_str(inputs) + ", pool_size " + std::to_string(s.pool_size[i]) +
                         " along spatial dim " + std::to_string(i) + ", padding \"valid\"");
      out[first + i] = o;
    }
  }
  return out;
}

PoolParams params(const PoolSetup& s, const Shape& x_last) {
  PoolParams p;
  p.pool_size = s.pool_size;
  p.strides = s.strides;
  for (int i = 0; i < s.nd; ++i)
    p.padding.push_back(s.same ? same_padding(x_last[1 + i], s.pool_size[i], s.strides[i])
                               : std::pair<int64_t, int64_t>{0, 0});
  return p;
}

Tensor avg_pool_nd(const Tensor& x, const PoolParams& p);

// The adjoint of avg_pool: linear in grad; its own adjoint is avg_pool.
Tensor avg_pool_backward_nd(const Tensor& grad, const Shape& x_shape, const PoolParams& p) {
  Backend& be = grad.backend();
  Tensor y = be.avg_pool_backward(grad, x_shape, p);
  if (autodiff::is_recording())
    autodiff::record("avg_pool_backward", {grad}, {y}, [p](const std::vector<Tensor>& h) {
      return std::vector<Tensor>{avg_pool_nd(h[0], p)};
    });
  return y;
}

Tensor avg_pool_nd(const Tensor& x, const PoolParams& p) {
  Backend& be = x.backend();
  Tensor y = be.avg_pool(x, p);
  if (autodiff::is_recording()) {
    Shape x_shape = x.shape();
    autodiff::record("average_pool", {x}, {y}, [x_shape, p](const std::vector<Tensor>& g) {
      return std::vector<Tensor>{avg_pool_backward_nd(g[0], x_shape, p)};
    });
  }
  return y;
}

// Gradient of max_pool: each window's gradient goes to its first maximum.
Tensor max_pool_backward_nd(const Tensor& x, const Tensor& grad, const PoolParams& p) {
  Backend& be = x.backend();
  Tensor y = be.max_pool_backward(x, prepare(grad, be, x.dtype()), p);
  if (autodiff::is_recording())
    autodiff::record("max_pool_backward", {x, grad}, {y},
                     [](const std::vector<Tensor>&) -> std::vector<Tensor> {
                       throw NotImplementedError(
                           "ops::max_pool: gradients of order two and higher are not implemented");
                     });
  return y;
}

Tensor max_pool_nd(const Tensor& x, const PoolParams& p) {
  Backend& be = x.backend();
  Tensor y = be.max_pool(x, p);
  if (autodiff::is_recording() && is_floating(x.dtype()))
    autodiff::record("max_pool", {x}, {y}, [x, p](const std::vector<Tensor>& g) {
      return std::vector<Tensor>{max_pool_backward_nd(x, g[0], p)};
    });
  return y;
}

template <class Kernel>
Tensor run_pool(const PoolSetup& s, const Tensor& inputs, DType dtype, Kernel kernel) {
  Tensor x = cast(inputs, dtype);
  if (s.channels_first) x = channels_first_to_last(x);
  Tensor y = kernel(x, params(s, x.shape()));
  return s.channels_first ? channels_last_to_first(y) : y;
}

}  // namespace

Tensor max_pool(const Tensor& inputs, const Ints& pool_size, PoolOptions options) {
  PoolSetup s = setup("max_pool", inputs, pool_size, options);
  Shape out = output_shape("max_pool", s, inputs);
  DType dt = inputs.dtype();
  if (inputs.is_symbolic()) return Tensor::symbolic(out, dt);
  return run_pool(s, inputs, dt, max_pool_nd);
}

Tensor average_pool(const Tensor& inputs, const Ints& pool_size, PoolOptions options) {
  PoolSetup s = setup("average_pool", inputs, pool_size, options);
  Shape out = output_shape("average_pool", s, inputs);
  DType dt = float_result_type(inputs.dtype());
  if (inputs.is_symbolic()) return Tensor::symbolic(out, dt);
  return run_pool(s, inputs, dt, avg_pool_nd);
}

}  // namespace keras::ops
