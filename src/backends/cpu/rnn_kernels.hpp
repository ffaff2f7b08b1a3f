#pragma once
// What the recurrent sequence kernels (lstm.cpp, gru.cpp) share: row-major GEMM for float32
// (oneDNN's sgemm) and float64 (OpenBLAS's dgemm), exp / sigmoid / tanh written with arithmetic
// only so that the gate loops vectorize, the choice of instruction set for those loops, and the
// split of the batch rows between threads. (Not a public header.)
#include <cblas.h>

#include <oneapi/dnnl/dnnl.h>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>

#include "backends/cpu/cpu_backend.hpp"
#include "backends/cpu/cpu_common.hpp"

namespace keras::backend::cpu::rnn {

// Row-major C = alpha op(A) op(B) + beta C.
inline void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
                 const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  dnnl_status_t st =
      dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
  if (st != dnnl_success) throw RuntimeError("cpu backend: recurrent kernel: oneDNN sgemm failed");
}
inline void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* a, int64_t lda,
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
  // A NaN x leaves n NaN, whose conversion to int is undefined: use 0 (y is NaN already).
  n = n == n ? n : 0.0f;
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

// The gate loops are compiled for AVX-512 (512-bit vectors: twice AVX2's speed, the loops being
// bound by divisions and exponentials), for AVX2 + FMA and for any x86-64; the widest the CPU
// runs is used, capped by KERAS_CPU_MAX_ISA ("avx2" or "baseline", as oneDNN's
// ONEDNN_MAX_CPU_ISA; tests run every variant on one machine). flatten inlines the loop and the
// math above into each variant, so each vectorizes for its ISA. (GCC 12's target_clones "arch="
// clones vectorized these loops 3x worse than target("avx2,fma"); clang, used by the fuzz build,
// gets the AVX2 variant only.)
enum class GateIsa { Baseline, Avx2, Avx512 };
inline GateIsa gate_isa() {
#if defined(__x86_64__)
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
#else
  return GateIsa::Baseline;
#endif
}
inline const GateIsa kGateIsa = gate_isa();

#if defined(__x86_64__)
template <class Body>
[[gnu::target("avx2,fma"), gnu::flatten]] void run_avx2(const Body& body, int64_t r0, int64_t r1) {
  body(r0, r1);
}
#if !defined(__clang__)
template <class Body>
[[gnu::target("avx512f,avx512vl,avx512dq,avx512bw,fma,prefer-vector-width=512"), gnu::flatten]] void
run_avx512(const Body& body, int64_t r0, int64_t r1) {
  body(r0, r1);
}
#endif
#endif

// body(r0, r1): a gate loop over the batch rows [r0, r1), compiled for kGateIsa.
template <class Body>
void run_gates(const Body& body, int64_t r0, int64_t r1) {
#if defined(__x86_64__)
#if !defined(__clang__)
  if (kGateIsa == GateIsa::Avx512) return run_avx512(body, r0, r1);
#endif
  if (kGateIsa != GateIsa::Baseline) return run_avx2(body, r0, r1);
#endif
  body(r0, r1);
}

// Per-row work of a gate loop per unit, in cheap elementwise ops (parallel_for's cost unit).
inline constexpr int64_t kGateCost = 64;

// Batch rows never meet in a recurrence (row b of step t + 1 reads only row b of step t), so each
// thread runs every step for its own rows: no barrier per step. Runs f(r0, r1) over the rows
// split between the threads (float32: oneDNN's sgemm runs single-threaded inside the team), or
// f(0, batch) on this thread (float64: OpenBLAS keeps its own threading, and float64 is for
// checking).
template <class T, class F>
void for_row_ranges(int64_t batch, int64_t cost_per_row, F&& f) {
  if constexpr (std::is_same_v<T, float>)
    parallel_for(batch, cost_per_row, f);
  else
    f(int64_t{0}, batch);
}

// The column sums (cols) of a (rows, cols) row-major matrix: a bias gradient.
template <class T>
Tensor column_sums(CpuBackend& be, const T* m, int64_t rows, int64_t cols, DType dt) {
  Tensor sums = be.empty(Shape{cols}, dt);
  T* out = data<T>(sums);
  parallel_for(cols, rows, [&](int64_t j0, int64_t j1) {
    for (int64_t j = j0; j < j1; ++j) out[j] = T(0);
    for (int64_t r = 0; r < rows; ++r) {
      const T* row = m + r * cols;
      for (int64_t j = j0; j < j1; ++j) out[j] += row[j];
    }
  });
  return sums;
}

// A new tensor holding a copy of `shape`'s worth of elements at src (a last state, a state's
// gradient to carry back).
template <class T>
Tensor copy_of(CpuBackend& be, const T* src, const Shape& shape, DType dt) {
  Tensor t = be.empty(shape, dt);
  std::memcpy(data<T>(t), src, static_cast<size_t>(shape.num_elements()) * sizeof(T));
  return t;
}

// (time, batch, input features, units) of a sequence kernel's x (T, B, I) and h0 (B, U).
struct Dims {
  int64_t t, b, in, u;
};
inline Dims dims_of(const Tensor& x, const Tensor& h0) {
  return {x.shape()[0], x.shape()[1], x.shape()[2], h0.shape()[1]};
}

// What every sequence kernel's backward pass ends with, given dxp (T B, G), the gradient of the
// input projection x kernel, and drp (T B, G), that of the recurrent projection h_prev
// recurrent_kernel (the LSTM's gate gradients are both): dx = dxp kernel^T, dkernel = x^T dxp,
// drecurrent = [h0; outputs of steps 0..T-2]^T drp (the recurrent kernel saw h0 at step 0 and
// each output at the step after).
struct ProjectionGradients {
  Tensor dx, dkernel, drecurrent;
};
template <class T>
ProjectionGradients projection_gradients(CpuBackend& be, const Tensor& x, const Tensor& h0,
                                         const Tensor& kernel, const Tensor& recurrent_kernel,
                                         const Tensor& outputs, const T* dxp, const T* drp) {
  const Dims d = dims_of(x, h0);
  const int64_t g = kernel.shape()[1], rows = d.t * d.b;
  const DType dt = x.dtype();
  ProjectionGradients r{be.empty(x.shape(), dt), be.empty(kernel.shape(), dt),
                        be.empty(recurrent_kernel.shape(), dt)};
  gemm(false, true, rows, d.in, g, dxp, g, data<T>(kernel), g, T(0), data<T>(r.dx), d.in);
  gemm(true, false, d.in, g, rows, data<T>(x), d.in, dxp, g, T(0), data<T>(r.dkernel), g);
  T* dr = data<T>(r.drecurrent);
  gemm(true, false, d.u, g, d.b, data<T>(h0), d.u, drp, g, T(0), dr, g);
  if (d.t > 1)
    gemm(true, false, d.u, g, (d.t - 1) * d.b, data<T>(outputs), d.u, drp + d.b * g, g, T(1), dr,
         g);
  return r;
}

// f.template operator()<float>() or <double>() as dt says; another dtype is a TypeError naming op.
template <class F>
auto by_float_dtype(const char* op, DType dt, F&& f) {
  if (dt == DType::Float32) return f.template operator()<float>();
  if (dt != DType::Float64)
    throw TypeError(std::string("cpu backend: ") + op + " supports float32 and float64, got " +
                    std::string(dtype_name(dt)));
  return f.template operator()<double>();
}

}  // namespace keras::backend::cpu::rnn
