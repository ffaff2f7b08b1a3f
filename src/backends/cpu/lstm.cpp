// The LSTM sequence kernel (Backend::lstm / lstm_backward): one GEMM projects every timestep's
// input, then each step is one GEMM against the recurrent kernel and one fused pass over the
// gates. The backward pass walks the steps in reverse with one GEMM each and ends with three
// large GEMMs for the kernels' and the input's gradients. float32 GEMMs are oneDNN's sgemm,
// float64 OpenBLAS's dgemm.
//
// Workspace (float, 1-D): the activated gates [i f g o] of every step (T, B, 4U), then the cell
// states (T, B, U).
#include <cblas.h>

#include <oneapi/dnnl/dnnl.h>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "backends/cpu/cpu_backend.hpp"
#include "backends/cpu/cpu_common.hpp"

namespace keras::backend::cpu {

namespace {

// Row-major C = alpha op(A) op(B) + beta C.
void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
          const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  dnnl_status_t st =
      dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
  if (st != dnnl_success) throw RuntimeError("cpu backend: lstm: oneDNN sgemm failed");
}
void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* a, int64_t lda,
          const double* b, int64_t ldb, double beta, double* c, int64_t ldc) {
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
              static_cast<blasint>(m), static_cast<blasint>(n), static_cast<blasint>(k), 1.0, a,
              static_cast<blasint>(lda), b, static_cast<blasint>(ldb), beta, c,
              static_cast<blasint>(ldc));
}

// exp, sigmoid and tanh for the gate loops, written with arithmetic only so that GCC vectorizes
// the loops that call them (libm's scalar calls would not be): float within 2 ulp of libm;
// double calls libm (float64 runs are for checking, not for speed).
inline float exp_approx(float x) {
  // exp(x) = 2^n exp(r), n = round(x / ln 2), |r| <= ln 2 / 2; Cephes's polynomial for exp(r).
  x = x < -87.0f ? -87.0f : x;  // comparisons keep a NaN
  x = x > 88.0f ? 88.0f : x;
  constexpr float kShift = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
  float n = (x * 1.44269504088896341f + kShift) - kShift;
  float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  float y = p * r * r + r + 1.0f;
  int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return y * scale;
}
inline float sigmoid_approx(float x) { return 1.0f / (1.0f + exp_approx(-x)); }
inline float tanh_approx(float x) {
  // Small |x|: Cephes's odd polynomial (no cancellation); else 1 - 2 / (e^2|x| + 1).
  float z = x * x;
  float small = ((((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z +
                  1.33314422036e-1f) *
                     z -
                 3.33332819422e-1f) *
                    z * x +
                x;
  float a = x < 0.0f ? -x : x;
  float large = 1.0f - 2.0f / (exp_approx(2.0f * a) + 1.0f);
  large = x < 0.0f ? -large : large;
  return a < 0.625f ? small : large;
}
inline double sigmoid_approx(double x) { return 1.0 / (1.0 + std::exp(-x)); }
inline double tanh_approx(double x) { return std::tanh(x); }

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

// The gate loops compiled for AVX-512 (512-bit vectors: twice AVX2's speed here, the loops are
// bound by the divisions and exponentials), for AVX2 + FMA and for any x86-64, picked once at run
// time; flatten inlines the math above so that it vectorizes for each ISA. (GCC 12's target_clones
// "arch=" clones vectorize these loops 3x worse than target("avx2,fma"); clang, used by the fuzz
// build, gets the AVX2 version only.)
#define KERAS_GATE_VARIANT(name, isa)                                                        \
  template <class T>                                                                         \
  [[gnu::target(isa), gnu::flatten]] void forward_gates_##name(                              \
      T* z, const T* bias, const T* c_prev, T* c, T* h, int64_t r0, int64_t r1, int64_t u) { \
    forward_gates<T>(z, bias, c_prev, c, h, r0, r1, u);                                      \
  }                                                                                          \
  template <class T>                                                                         \
  [[gnu::target(isa), gnu::flatten]] void backward_gates_##name(                             \
      const T* gates, const T* c, const T* c_prev, const T* dy, const T* dh, T* dc, T* dz,   \
      int64_t r0, int64_t r1, int64_t u) {                                                   \
    backward_gates<T>(gates, c, c_prev, dy, dh, dc, dz, r0, r1, u);                          \
  }
#if defined(__x86_64__)
KERAS_GATE_VARIANT(avx2, "avx2,fma")
#if !defined(__clang__)
KERAS_GATE_VARIANT(avx512, "avx512f,avx512vl,avx512dq,avx512bw,fma,prefer-vector-width=512")
#endif

// The widest variant this CPU runs, capped by KERAS_CPU_MAX_ISA ("avx2" or "baseline"; as
// oneDNN's ONEDNN_MAX_CPU_ISA, so that tests run every variant on one machine).
enum class GateIsa { Baseline, Avx2, Avx512 };
GateIsa gate_isa() {
  __builtin_cpu_init();  // this may run before libgcc's own initializer
  GateIsa isa = GateIsa::Baseline;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    isa = GateIsa::Avx2;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw"))
      isa = GateIsa::Avx512;
  }
  const char* cap = std::getenv("KERAS_CPU_MAX_ISA");
  const std::string c = cap ? cap : "";
  if (c == "baseline") return GateIsa::Baseline;
  if (c == "avx2" && isa == GateIsa::Avx512) return GateIsa::Avx2;
  return isa;
}
const GateIsa kGateIsa = gate_isa();
#endif

template <class T>
void run_forward_gates(T* z, const T* bias, const T* c_prev, T* c, T* h, int64_t r0, int64_t r1,
                       int64_t u) {
#if defined(__x86_64__)
#if !defined(__clang__)
  if (kGateIsa == GateIsa::Avx512) return forward_gates_avx512<T>(z, bias, c_prev, c, h, r0, r1, u);
#endif
  if (kGateIsa != GateIsa::Baseline) return forward_gates_avx2<T>(z, bias, c_prev, c, h, r0, r1, u);
#endif
  forward_gates<T>(z, bias, c_prev, c, h, r0, r1, u);
}
template <class T>
void run_backward_gates(const T* gates, const T* c, const T* c_prev, const T* dy, const T* dh,
                        T* dc, T* dz, int64_t r0, int64_t r1, int64_t u) {
#if defined(__x86_64__)
#if !defined(__clang__)
  if (kGateIsa == GateIsa::Avx512)
    return backward_gates_avx512<T>(gates, c, c_prev, dy, dh, dc, dz, r0, r1, u);
#endif
  if (kGateIsa != GateIsa::Baseline)
    return backward_gates_avx2<T>(gates, c, c_prev, dy, dh, dc, dz, r0, r1, u);
#endif
  backward_gates<T>(gates, c, c_prev, dy, dh, dc, dz, r0, r1, u);
}

// Per-row work of the gate loops, in cheap elementwise ops (parallel_for's cost unit).
constexpr int64_t kGateCost = 64;

// Runs f(r0, r1) over the batch rows split between the threads (float32: oneDNN's sgemm runs
// single-threaded inside the team), or f(0, batch) on this thread (float64: OpenBLAS's dgemm
// keeps its own threads, and is only for checking).
template <class T, class F>
void for_row_ranges(int64_t batch, int64_t cost_per_row, F&& f) {
  if constexpr (std::is_same_v<T, float>)
    parallel_for(batch, cost_per_row, f);
  else
    f(int64_t{0}, batch);
}

struct Dims {
  int64_t t, b, in, u;
};
Dims dims_of(const Tensor& x, const Tensor& h0) {
  return {x.shape()[0], x.shape()[1], x.shape()[2], h0.shape()[1]};
}

template <class T>
std::array<Tensor, 4> forward_kernel(CpuBackend& be, const Tensor& x, const Tensor& h0,
                                     const Tensor& c0, const Tensor& kernel,
                                     const Tensor& recurrent_kernel, const Tensor& bias) {
  const Dims d = dims_of(x, h0);  // (not a structured binding: lambdas below capture these)
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
  // Batch rows never meet in the recurrence (row b of step t + 1 reads only row b of step t),
  // so each thread runs every step for its own rows: no barrier per step, and each per-step
  // GEMM runs on the calling thread.
  auto recurrence = [&](int64_t r0, int64_t r1) {
    for (int64_t t = 0; t < steps; ++t) {
      const T* h_prev = t == 0 ? data<T>(h0) : y + (t - 1) * step_h;
      const T* c_prev = t == 0 ? data<T>(c0) : cells + (t - 1) * step_h;
      T* zt = z + t * step_z;
      gemm(false, false, r1 - r0, g4, u, h_prev + r0 * u, u, rw, g4, T(1), zt + r0 * g4, g4);
      run_forward_gates<T>(zt, b, c_prev, cells + t * step_h, y + t * step_h, r0, r1, u);
    }
  };
  for_row_ranges<T>(batch, steps * u * (2 * g4 + kGateCost), recurrence);
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
  const Dims d = dims_of(x, h0);  // (not a structured binding: lambdas below capture these)
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
      run_backward_gates<T>(gates + t * step_z, cells + t * step_h, c_prev, dy + t * step_h, dh, dc,
                            dzt, r0, r1, u);
      // dh for the step before: dz_t (rows, 4U) x recurrent_kernel^T (4U, U).
      gemm(false, true, r1 - r0, u, g4, dzt + r0 * g4, g4, rw, g4, T(0), dh + r0 * u, u);
    }
  };
  for_row_ranges<T>(batch, steps * u * (2 * g4 + kGateCost), recurrence);

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
  parallel_for(g4, rows, [&](int64_t j0, int64_t j1) {
    for (int64_t j = j0; j < j1; ++j) db[j] = T(0);
    for (int64_t r = 0; r < rows; ++r) {
      const T* row = dz + r * g4;
      for (int64_t j = j0; j < j1; ++j) db[j] += row[j];
    }
  });
  return {dx, dh0, dc0, dkernel, drecurrent, dbias};
}

[[noreturn]] void unsupported(const char* op, DType dt) {
  throw TypeError(std::string("cpu backend: ") + op + " supports float32 and float64, got " +
                  std::string(dtype_name(dt)));
}

}  // namespace

std::array<Tensor, 4> CpuBackend::lstm_impl(const Tensor& x, const Tensor& h0, const Tensor& c0,
                                            const Tensor& kernel, const Tensor& recurrent_kernel,
                                            const Tensor& bias) {
  if (x.dtype() == DType::Float32)
    return forward_kernel<float>(*this, x, h0, c0, kernel, recurrent_kernel, bias);
  if (x.dtype() == DType::Float64)
    return forward_kernel<double>(*this, x, h0, c0, kernel, recurrent_kernel, bias);
  unsupported("lstm", x.dtype());
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
  unsupported("lstm_backward", x.dtype());
}

}  // namespace keras::backend::cpu
