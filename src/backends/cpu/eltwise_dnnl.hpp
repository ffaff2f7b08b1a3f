#pragma once
// oneDNN eltwise fast path for large float32 unary ops (eltwise_dnnl.cpp).
#include "backends/cpu/cpu_common.hpp"

namespace keras::backend::cpu {

inline constexpr int64_t kDnnlEltwiseMinElements = 16384;

// Whether dnnl_unary_f32 handles op.
bool dnnl_supports_unary(UnaryOp op);
// y = op(x) for n float32 elements through a cached oneDNN eltwise primitive.
void dnnl_unary_f32(CpuBackend::Caches& c, UnaryOp op, const float* x, float* y, int64_t n);

}  // namespace keras::backend::cpu
