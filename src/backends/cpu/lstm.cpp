// The LSTM sequence kernel (Backend::lstm / lstm_backward): one GEMM projects every timestep's
// input, then each step is one GEMM against the recurrent kernel and one fused pass over the
// gates. The backward pass walks the steps in reverse with one GEMM each and ends with three
// large GEMMs for the kernels' and the input's gradients. float32 GEMMs are oneDNN's sgemm,
// float64 OpenBLAS's dgemm.
//
// Workspace (float, 1-D): the activated gates [i f g o] of every step (T, B, 4U), then the cell
// states (T, B, U).
#include "backends/cpu/cpu_backend.hpp"
#include "backends/cpu/rnn_kernels.hpp"

namespace keras::backend::cpu {

namespace {

using rnn::gemm;
using rnn::sigmoid_approx;
using rnn::tanh_approx;

// One forward step for rows [r0, r1): z (rows, 4U) holds x W + h R without the bias; writes the
// activated gates over z, the new cell state and the new output.
template <class T>
inline void forward_gates(T* z, const T* bias, const T* c_prev, T* c, T* h, int64_t r0, int64_t r1,
                          int64_t u) {
  for (int64_t r = r0; r < r1; ++r) {
    T* zi = z + r * 4 * u;
    T* zf = zi + u;
    T* zg = zf + u;
    T* zo = zg + u;
    const T* cp = c_prev + r * u;
    T* cr = c + r * u;
    T* hr = h + r * u;
#pragma omp simd
    for (int64_t j = 0; j < u; ++j) {
      T i = sigmoid_approx(zi[j] + bias[j]);
      T f = sigmoid_approx(zf[j] + bias[u + j]);
      T g = tanh_approx(zg[j] + bias[2 * u + j]);
      T o = sigmoid_approx(zo[j] + bias[3 * u + j]);
      T cn = f * cp[j] + i * g;
      zi[j] = i;
      zf[j] = f;
      zg[j] = g;
      zo[j] = o;
      cr[j] = cn;
      hr[j] = o * tanh_approx(cn);
    }
  }
}

// One backward step for rows [r0, r1): from the gates, cell states and the output's gradient
// (dy + the recurrent dh), writes the pre-activation gradients dz and carries dc to the step
// before.
template <class T>
inline void backward_gates(const T* gates, const T* c, const T* c_prev, const T* dy, const T* dh,
                           T* dc, T* dz, int64_t r0, int64_t r1, int64_t u) {
  for (int64_t r = r0; r < r1; ++r) {
    const T* gi = gates + r * 4 * u;
    const T* gf = gi + u;
    const T* gg = gf + u;
    const T* go = gg + u;
    T* di = dz + r * 4 * u;
    T* df = di + u;
    T* dg = df + u;
    T* d_o = dg + u;
    const T* cr = c + r * u;
    const T* cp = c_prev + r * u;
    const T* dyr = dy + r * u;
    const T* dhr = dh + r * u;
    T* dcr = dc + r * u;
#pragma omp simd
    for (int64_t j = 0; j < u; ++j) {
      T i = gi[j], f = gf[j], g = gg[j], o = go[j];
      T tc = tanh_approx(cr[j]);
      T dht = dyr[j] + dhr[j];
      T dct = dcr[j] + dht * o * (T(1) - tc * tc);
      d_o[j] = dht * tc * o * (T(1) - o);
      di[j] = dct * g * i * (T(1) - i);
      df[j] = dct * cp[j] * f * (T(1) - f);
      dg[j] = dct * i * (T(1) - g * g);
      dcr[j] = dct * f;
    }
  }
}

template <class T>
std::array<Tensor, 4> forward_kernel(CpuBackend& be, const Tensor& x, const Tensor& h0,
                                     const Tensor& c0, const Tensor& kernel,
                                     const Tensor& recurrent_kernel, const Tensor& bias) {
  // Not a structured binding: the lambdas below capture these.
  const rnn::Dims d = rnn::dims_of(x, h0);
  const int64_t steps = d.t, batch = d.b, in = d.in, u = d.u;
  const int64_t g4 = 4 * u, step_z = batch * g4, step_h = batch * u;
  Tensor outputs = be.empty(Shape{steps, batch, u}, x.dtype());
  Tensor workspace = be.empty(Shape{steps * batch * 5 * u}, x.dtype());
  T* z = data<T>(workspace);
  T* cells = z + steps * step_z;
  T* y = data<T>(outputs);
  const T* w = data<T>(kernel);
  const T* rw = data<T>(recurrent_kernel);
  const T* b = data<T>(bias);
  // Every step's input projection at once: (T B, I) x (I, 4U).
  gemm(false, false, steps * batch, g4, in, data<T>(x), in, w, g4, T(0), z, g4);
  // Each thread runs every step for its own batch rows (rnn::for_row_ranges).
  auto recurrence = [&](int64_t r0, int64_t r1) {
    for (int64_t t = 0; t < steps; ++t) {
      const T* h_prev = t == 0 ? data<T>(h0) : y + (t - 1) * step_h;
      const T* c_prev = t == 0 ? data<T>(c0) : cells + (t - 1) * step_h;
      T* zt = z + t * step_z;
      gemm(false, false, r1 - r0, g4, u, h_prev + r0 * u, u, rw, g4, T(1), zt + r0 * g4, g4);
      rnn::run_gates(
          [&](int64_t a, int64_t e) {
            forward_gates<T>(zt, b, c_prev, cells + t * step_h, y + t * step_h, a, e, u);
          },
          r0, r1);
    }
  };
  rnn::for_row_ranges<T>(batch, steps * u * (2 * g4 + rnn::kGateCost), recurrence);
  const Shape state{batch, u};
  return {outputs, rnn::copy_of(be, y + (steps - 1) * step_h, state, x.dtype()),
          rnn::copy_of(be, cells + (steps - 1) * step_h, state, x.dtype()), workspace};
}

template <class T>
std::array<Tensor, 6> backward_kernel(CpuBackend& be, const Tensor& x, const Tensor& h0,
                                      const Tensor& c0, const Tensor& kernel,
                                      const Tensor& recurrent_kernel, const Tensor& outputs,
                                      const Tensor& workspace, const Tensor& d_outputs,
                                      const Tensor& d_h, const Tensor& d_c) {
  // Not a structured binding: the lambdas below capture these.
  const rnn::Dims d = rnn::dims_of(x, h0);
  const int64_t steps = d.t, batch = d.b, u = d.u;
  const int64_t g4 = 4 * u, step_z = batch * g4, step_h = batch * u;
  const T* gates = data<T>(workspace);
  const T* cells = gates + steps * step_z;
  const T* dy = data<T>(d_outputs);
  const DType dt = x.dtype();

  // The recurrent dh and dc, carried back step by step: d h0 and d c0 at the end.
  Tensor dh0 = rnn::copy_of(be, data<T>(d_h), d_h.shape(), dt);
  Tensor dc0 = rnn::copy_of(be, data<T>(d_c), d_c.shape(), dt);
  T* dh = data<T>(dh0);
  T* dc = data<T>(dc0);
  Tensor dz_buf = be.empty(Shape{steps, batch, g4}, dt);  // every element is written
  T* dz = data<T>(dz_buf);
  const T* rw = data<T>(recurrent_kernel);
  auto recurrence = [&](int64_t r0, int64_t r1) {  // as in the forward kernel
    for (int64_t t = steps - 1; t >= 0; --t) {
      const T* c_prev = t == 0 ? data<T>(c0) : cells + (t - 1) * step_h;
      T* dzt = dz + t * step_z;
      rnn::run_gates(
          [&](int64_t a, int64_t e) {
            backward_gates<T>(gates + t * step_z, cells + t * step_h, c_prev, dy + t * step_h, dh,
                              dc, dzt, a, e, u);
          },
          r0, r1);
      // dh for the step before: dz_t (rows, 4U) x recurrent_kernel^T (4U, U).
      gemm(false, true, r1 - r0, u, g4, dzt + r0 * g4, g4, rw, g4, T(0), dh + r0 * u, u);
    }
  };
  rnn::for_row_ranges<T>(batch, steps * u * (2 * g4 + rnn::kGateCost), recurrence);

  // The gate gradients are those of both projections (x kernel and h recurrent_kernel).
  auto [dx, dkernel, drecurrent] =
      rnn::projection_gradients(be, x, h0, kernel, recurrent_kernel, outputs, dz, dz);
  return {dx, dh0, dc0, dkernel, drecurrent, rnn::column_sums(be, dz, steps * batch, g4, dt)};
}

}  // namespace

std::array<Tensor, 4> CpuBackend::lstm_impl(const Tensor& x, const Tensor& h0, const Tensor& c0,
                                            const Tensor& kernel, const Tensor& recurrent_kernel,
                                            const Tensor& bias) {
  return rnn::by_float_dtype("lstm", x.dtype(), [&]<class T>() {
    return forward_kernel<T>(*this, x, h0, c0, kernel, recurrent_kernel, bias);
  });
}

std::array<Tensor, 6> CpuBackend::lstm_backward_impl(const Tensor& x, const Tensor& h0,
                                                     const Tensor& c0, const Tensor& kernel,
                                                     const Tensor& recurrent_kernel,
                                                     const Tensor& outputs, const Tensor& workspace,
                                                     const Tensor& d_outputs, const Tensor& d_h,
                                                     const Tensor& d_c) {
  return rnn::by_float_dtype("lstm_backward", x.dtype(), [&]<class T>() {
    return backward_kernel<T>(*this, x, h0, c0, kernel, recurrent_kernel, outputs, workspace,
                              d_outputs, d_h, d_c);
  });
}

}  // namespace keras::backend::cpu
