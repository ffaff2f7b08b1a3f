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
  const rnn::Dims d =
      rnn::dims_of(x, h0);  // (not a structured binding: lambdas below capture these)
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
  Tensor h_last = be.empty(Shape{batch, u}, x.dtype());
  Tensor c_last = be.empty(Shape{batch, u}, x.dtype());
  std::memcpy(data<T>(h_last), y + (steps - 1) * step_h, step_h * sizeof(T));
  std::memcpy(data<T>(c_last), cells + (steps - 1) * step_h, step_h * sizeof(T));
  return {outputs, h_last, c_last, workspace};
}

template <class T>
std::array<Tensor, 6> backward_kernel(CpuBackend& be, const Tensor& x, const Tensor& h0,
                                      const Tensor& c0, const Tensor& kernel,
                                      const Tensor& recurrent_kernel, const Tensor& outputs,
                                      const Tensor& workspace, const Tensor& d_outputs,
                                      const Tensor& d_h, const Tensor& d_c) {
  const rnn::Dims d =
      rnn::dims_of(x, h0);  // (not a structured binding: lambdas below capture these)
  const int64_t steps = d.t, batch = d.b, in = d.in, u = d.u;
  const int64_t g4 = 4 * u, step_z = batch * g4, step_h = batch * u;
  const T* gates = data<T>(workspace);
  const T* cells = gates + steps * step_z;
  const T* y = data<T>(outputs);
  const T* dy = data<T>(d_outputs);
  const DType dt = x.dtype();

  Tensor dh0 = be.empty(Shape{batch, u}, dt);  // the recurrent dh, carried back step by step
  Tensor dc0 = be.empty(Shape{batch, u}, dt);
  T* dh = data<T>(dh0);
  T* dc = data<T>(dc0);
  std::memcpy(dh, data<T>(d_h), step_h * sizeof(T));
  std::memcpy(dc, data<T>(d_c), step_h * sizeof(T));
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

  Tensor dx = be.empty(x.shape(), dt);
  Tensor dkernel = be.empty(kernel.shape(), dt);
  Tensor drecurrent = be.empty(recurrent_kernel.shape(), dt);
  Tensor dbias = be.empty(Shape{g4}, dt);
  const int64_t rows = steps * batch;
  gemm(false, true, rows, in, g4, dz, g4, data<T>(kernel), g4, T(0), data<T>(dx), in);
  gemm(true, false, in, g4, rows, data<T>(x), in, dz, g4, T(0), data<T>(dkernel), g4);
  // The recurrent kernel saw h0 at step 0 and the outputs of steps 0..T-2 after it.
  T* dr = data<T>(drecurrent);
  gemm(true, false, u, g4, batch, data<T>(h0), u, dz, g4, T(0), dr, g4);
  if (steps > 1) gemm(true, false, u, g4, (steps - 1) * batch, y, u, dz + step_z, g4, T(1), dr, g4);
  T* db = data<T>(dbias);
  rnn::column_sums(dz, rows, g4, db);
  return {dx, dh0, dc0, dkernel, drecurrent, dbias};
}

}  // namespace

std::array<Tensor, 4> CpuBackend::lstm_impl(const Tensor& x, const Tensor& h0, const Tensor& c0,
                                            const Tensor& kernel, const Tensor& recurrent_kernel,
                                            const Tensor& bias) {
  if (x.dtype() == DType::Float32)
    return forward_kernel<float>(*this, x, h0, c0, kernel, recurrent_kernel, bias);
  if (x.dtype() == DType::Float64)
    return forward_kernel<double>(*this, x, h0, c0, kernel, recurrent_kernel, bias);
  rnn::unsupported_dtype("lstm", x.dtype());
}

std::array<Tensor, 6> CpuBackend::lstm_backward_impl(const Tensor& x, const Tensor& h0,
                                                     const Tensor& c0, const Tensor& kernel,
                                                     const Tensor& recurrent_kernel,
                                                     const Tensor& outputs, const Tensor& workspace,
                                                     const Tensor& d_outputs, const Tensor& d_h,
                                                     const Tensor& d_c) {
  if (x.dtype() == DType::Float32)
    return backward_kernel<float>(*this, x, h0, c0, kernel, recurrent_kernel, outputs, workspace,
                                  d_outputs, d_h, d_c);
  if (x.dtype() == DType::Float64)
    return backward_kernel<double>(*this, x, h0, c0, kernel, recurrent_kernel, outputs, workspace,
                                   d_outputs, d_h, d_c);
  rnn::unsupported_dtype("lstm_backward", x.dtype());
}

}  // namespace keras::backend::cpu
