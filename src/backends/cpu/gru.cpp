// The GRU sequence kernel (Backend::gru / gru_backward, Keras's reset_after form), built like the
// LSTM's (lstm.cpp): one GEMM projects every timestep's input; each step is one GEMM against the
// recurrent kernel and one pass over the gates, each thread running the whole sequence for its
// own batch rows; the backward pass ends with large GEMMs for the weights' and input's gradients.
//
// Workspace (the input's dtype, 1-D): per step and row [z, r, hh, u_h] (T, B, 4U), u_h being the
// recurrent projection of the candidate with its bias (what r multiplies).
#include "backends/cpu/cpu_backend.hpp"
#include "backends/cpu/rnn_kernels.hpp"

namespace keras::backend::cpu {

namespace {

using rnn::gemm;
using rnn::sigmoid_approx;
using rnn::tanh_approx;

// One forward step for rows [r0, r1): xp (rows, 3U) is x kernel, inner (rows, 3U) h
// recurrent_kernel, both without their biases.
template <class T>
inline void forward_gates(const T* xp, const T* inner, const T* bi, const T* br, const T* h_prev,
                          T* ws, T* h, int64_t r0, int64_t r1, int64_t u) {
  for (int64_t r = r0; r < r1; ++r) {
    const T* x = xp + r * 3 * u;
    const T* in = inner + r * 3 * u;
    const T* hp = h_prev + r * u;
    T* w = ws + r * 4 * u;
    T* hr = h + r * u;
#pragma omp simd
    for (int64_t j = 0; j < u; ++j) {
      T z = sigmoid_approx((x[j] + bi[j]) + (in[j] + br[j]));
      T rg = sigmoid_approx((x[u + j] + bi[u + j]) + (in[u + j] + br[u + j]));
      T uh = in[2 * u + j] + br[2 * u + j];
      T hh = tanh_approx((x[2 * u + j] + bi[2 * u + j]) + rg * uh);
      w[j] = z;
      w[u + j] = rg;
      w[2 * u + j] = hh;
      w[3 * u + j] = uh;
      hr[j] = z * hp[j] + (T(1) - z) * hh;
    }
  }
}

// One backward step for rows [r0, r1): from the workspace, the previous output and the output's
// gradient dy + dh, writes the gradients of the input projection (dxp) and of the recurrent
// projection (dinner), and leaves in dh the part of the previous output's gradient that does not
// go through the recurrent kernel (dh z).
template <class T>
inline void backward_gates(const T* ws, const T* h_prev, const T* dy, T* dh, T* dxp, T* dinner,
                           int64_t r0, int64_t r1, int64_t u) {
  for (int64_t r = r0; r < r1; ++r) {
    const T* w = ws + r * 4 * u;
    const T* hp = h_prev + r * u;
    const T* dyr = dy + r * u;
    T* dhr = dh + r * u;
    T* dx = dxp + r * 3 * u;
    T* di = dinner + r * 3 * u;
#pragma omp simd
    for (int64_t j = 0; j < u; ++j) {
      T z = w[j], rg = w[u + j], hh = w[2 * u + j], uh = w[3 * u + j];
      T dht = dyr[j] + dhr[j];
      T dz = dht * (hp[j] - hh) * z * (T(1) - z);
      T dah = dht * (T(1) - z) * (T(1) - hh * hh);
      T dr = dah * uh * rg * (T(1) - rg);
      dx[j] = dz;
      dx[u + j] = dr;
      dx[2 * u + j] = dah;
      di[j] = dz;
      di[u + j] = dr;
      di[2 * u + j] = dah * rg;
      dhr[j] = dht * z;
    }
  }
}

template <class T>
std::array<Tensor, 3> forward_kernel(CpuBackend& be, const Tensor& x, const Tensor& h0,
                                     const Tensor& kernel, const Tensor& recurrent_kernel,
                                     const Tensor& input_bias, const Tensor& recurrent_bias) {
  // Not a structured binding: the lambdas below capture these.
  const rnn::Dims d = rnn::dims_of(x, h0);
  const int64_t steps = d.t, batch = d.b, in = d.in, u = d.u;
  const int64_t g3 = 3 * u, step_x = batch * g3, step_w = batch * 4 * u, step_h = batch * u;
  const DType dt = x.dtype();
  Tensor outputs = be.empty(Shape{steps, batch, u}, dt);
  Tensor workspace = be.empty(Shape{steps * step_w}, dt);
  Tensor xp_buf = be.empty(Shape{steps, batch, g3}, dt);
  Tensor inner_buf = be.empty(Shape{batch, g3}, dt);  // each thread uses its own rows
  T* xp = data<T>(xp_buf);
  T* inner = data<T>(inner_buf);
  T* ws = data<T>(workspace);
  T* y = data<T>(outputs);
  const T* rw = data<T>(recurrent_kernel);
  const T* bi = data<T>(input_bias);
  const T* br = data<T>(recurrent_bias);
  gemm(false, false, steps * batch, g3, in, data<T>(x), in, data<T>(kernel), g3, T(0), xp, g3);
  auto recurrence = [&](int64_t r0, int64_t r1) {  // rnn::for_row_ranges
    for (int64_t t = 0; t < steps; ++t) {
      const T* h_prev = t == 0 ? data<T>(h0) : y + (t - 1) * step_h;
      gemm(false, false, r1 - r0, g3, u, h_prev + r0 * u, u, rw, g3, T(0), inner + r0 * g3, g3);
      rnn::run_gates(
          [&](int64_t a, int64_t e) {
            forward_gates<T>(xp + t * step_x, inner, bi, br, h_prev, ws + t * step_w,
                             y + t * step_h, a, e, u);
          },
          r0, r1);
    }
  };
  rnn::for_row_ranges<T>(batch, steps * u * (2 * g3 + rnn::kGateCost), recurrence);
  return {outputs, rnn::copy_of(be, y + (steps - 1) * step_h, Shape{batch, u}, dt), workspace};
}

template <class T>
std::array<Tensor, 6> backward_kernel(CpuBackend& be, const Tensor& x, const Tensor& h0,
                                      const Tensor& kernel, const Tensor& recurrent_kernel,
                                      const Tensor& outputs, const Tensor& workspace,
                                      const Tensor& d_outputs, const Tensor& d_h) {
  const rnn::Dims d = rnn::dims_of(x, h0);
  const int64_t steps = d.t, batch = d.b, u = d.u;
  const int64_t g3 = 3 * u, step_x = batch * g3, step_w = batch * 4 * u, step_h = batch * u;
  const DType dt = x.dtype();
  const T* ws = data<T>(workspace);
  const T* y = data<T>(outputs);
  const T* dy = data<T>(d_outputs);
  const T* rw = data<T>(recurrent_kernel);
  // The output's gradient, carried back step by step: d h0 at the end.
  Tensor dh0 = rnn::copy_of(be, data<T>(d_h), d_h.shape(), dt);
  T* dh = data<T>(dh0);
  Tensor dxp_buf = be.empty(Shape{steps, batch, g3}, dt);  // every element is written
  Tensor dinner_buf = be.empty(Shape{steps, batch, g3}, dt);
  T* dxp = data<T>(dxp_buf);
  T* dinner = data<T>(dinner_buf);
  auto recurrence = [&](int64_t r0, int64_t r1) {
    for (int64_t t = steps - 1; t >= 0; --t) {
      const T* h_prev = t == 0 ? data<T>(h0) : y + (t - 1) * step_h;
      T* dit = dinner + t * step_x;
      rnn::run_gates(
          [&](int64_t a, int64_t e) {
            backward_gates<T>(ws + t * step_w, h_prev, dy + t * step_h, dh, dxp + t * step_x, dit,
                              a, e, u);
          },
          r0, r1);
      // dh += dinner_t (rows, 3U) x recurrent_kernel^T (3U, U).
      gemm(false, true, r1 - r0, u, g3, dit + r0 * g3, g3, rw, g3, T(1), dh + r0 * u, u);
    }
  };
  rnn::for_row_ranges<T>(batch, steps * u * (2 * g3 + rnn::kGateCost), recurrence);

  auto [dx, dkernel, drecurrent] =
      rnn::projection_gradients(be, x, h0, kernel, recurrent_kernel, outputs, dxp, dinner);
  const int64_t rows = steps * batch;
  return {dx,
          dh0,
          dkernel,
          drecurrent,
          rnn::column_sums(be, dxp, rows, g3, dt),
          rnn::column_sums(be, dinner, rows, g3, dt)};
}

}  // namespace

std::array<Tensor, 3> CpuBackend::gru_impl(const Tensor& x, const Tensor& h0, const Tensor& kernel,
                                           const Tensor& recurrent_kernel, const Tensor& input_bias,
                                           const Tensor& recurrent_bias) {
  return rnn::by_float_dtype("gru", x.dtype(), [&]<class T>() {
    return forward_kernel<T>(*this, x, h0, kernel, recurrent_kernel, input_bias, recurrent_bias);
  });
}

std::array<Tensor, 6> CpuBackend::gru_backward_impl(const Tensor& x, const Tensor& h0,
                                                    const Tensor& kernel,
                                                    const Tensor& recurrent_kernel,
                                                    const Tensor& outputs, const Tensor& workspace,
                                                    const Tensor& d_outputs, const Tensor& d_h) {
  return rnn::by_float_dtype("gru_backward", x.dtype(), [&]<class T>() {
    return backward_kernel<T>(*this, x, h0, kernel, recurrent_kernel, outputs, workspace, d_outputs,
                              d_h);
  });
}

}  // namespace keras::backend::cpu
