// Batched matmul: float32 through oneDNN's matmul primitive (one call for the whole batch,
// primitives cached by shape), float64 through OpenBLAS dgemm, 16-bit floats through float32,
// integers and bool with a plain row loop.
#include <cblas.h>

#include "backends/cpu/dnnl_context.hpp"
#include "backends/cpu/graph_compiler.hpp"
#include "backends/cpu/profile.hpp"

namespace keras::backend::cpu {

namespace {

// What compiled steps add to a plain matmul (graph_compiler.hpp): an operand stored with its last
// two axes swapped (oneDNN reads it in place), a bias per output column, a relu post-op.
struct MatmulExtras {
  bool transpose_a = false, transpose_b = false;
  const float* bias = nullptr;
  bool relu = false;
};

void matmul_f32_dnnl(CpuBackend::Caches& c, const float* a, const float* b, float* out,
                     int64_t batch, int64_t m, int64_t k, int64_t n, const MatmulExtras& x = {}) {
  using dnnl::memory;
  std::string key = "matmul:";
  key_append_all(key, std::array<int64_t, 8>{batch, m, k, n, x.transpose_a, x.transpose_b,
                                             x.bias != nullptr, x.relu});
  struct Entry {
    memory::desc a_md, b_md, c_md, bias_md;
    dnnl::matmul prim;
  };
  auto e = c.get<Entry>(key, [&] {
    return dnnl_call("matmul", [&] {
      auto layout = [](bool t) { return t ? memory::format_tag::acb : memory::format_tag::abc; };
      memory::desc a_md({batch, m, k}, memory::data_type::f32, layout(x.transpose_a));
      memory::desc b_md({batch, k, n}, memory::data_type::f32, layout(x.transpose_b));
      memory::desc c_md({batch, m, n}, memory::data_type::f32, memory::format_tag::abc);
      memory::desc bias_md;
      if (x.bias)
        bias_md = memory::desc({1, 1, n}, memory::data_type::f32, memory::format_tag::abc);
      dnnl::primitive_attr attr;
      if (x.relu) {
        dnnl::post_ops ops;
        ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
        attr.set_post_ops(ops);
      }
      auto desc = x.bias ? dnnl::matmul::desc(a_md, b_md, bias_md, c_md)
                         : dnnl::matmul::desc(a_md, b_md, c_md);
      dnnl::matmul::primitive_desc pd(desc, attr, c.engine);
      return std::make_shared<Entry>(Entry{a_md, b_md, c_md, bias_md, dnnl::matmul(pd)});
    });
  });
  dnnl_call("matmul", [&] {
    memory am(e->a_md, c.engine, const_cast<float*>(a));
    memory bm(e->b_md, c.engine, const_cast<float*>(b));
    memory cm(e->c_md, c.engine, out);
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, cm}};
    if (x.bias) args[DNNL_ARG_BIAS] = memory(e->bias_md, c.engine, const_cast<float*>(x.bias));
    e->prim.execute(c.stream(), args);
    c.stream().wait();
  });
}

template <class T>
void matmul_loop(const T* a, const T* b, T* out, int64_t batch, int64_t m, int64_t k, int64_t n) {
  parallel_for(batch * m, k * n, [&](int64_t rb, int64_t re) {
    for (int64_t row = rb; row < re; ++row) {
      int64_t bi = row / m;
      const T* arow = a + row * k;
      const T* bmat = b + bi * k * n;
      T* crow = out + row * n;
      for (int64_t j = 0; j < n; ++j) crow[j] = T(0);
      for (int64_t kk = 0; kk < k; ++kk) {
        T av = arow[kk];
        const T* brow = bmat + kk * n;
        if constexpr (std::is_same_v<T, bool>) {
          if (av)
            for (int64_t j = 0; j < n; ++j) crow[j] = crow[j] || brow[j];
        } else if constexpr (is_int_v<T>) {
          for (int64_t j = 0; j < n; ++j) crow[j] = wrap_add(crow[j], wrap_mul(av, brow[j]));
        } else {
          for (int64_t j = 0; j < n; ++j) crow[j] += av * brow[j];
        }
      }
    }
  });
}

}  // namespace

Tensor CpuBackend::matmul_impl(const Tensor& a, const Tensor& b) {
  ProfileScope prof("matmul");
  const Shape& as = a.shape();
  const Shape& bs = b.shape();
  int r = as.rank();
  bool ok = r >= 2 && bs.rank() == r && a.dtype() == b.dtype() && as[r - 1] == bs[r - 2];
  for (int d = 0; ok && d < r - 2; ++d)
    if (as[d] != bs[d]) ok = false;
  if (!ok)
    throw ValueError("cpu backend: ops::matmul: incompatible operands " + as.to_string() + " (" +
                     std::string(dtype_name(a.dtype())) + ") and " + bs.to_string() + " (" +
                     std::string(dtype_name(b.dtype())) + ")");
  int64_t m = as[r - 2], k = as[r - 1], n = bs[r - 1];
  int64_t batch = prod(as, 0, r - 2);
  Shape out_shape(as.begin(), as.end() - 1);
  out_shape.push_back(n);
  DType dt = a.dtype();
  if (batch * m * n == 0) return empty(out_shape, dt);
  if (k == 0) return full(out_shape, dt, 0.0);
  if (dt == DType::Float16 || dt == DType::BFloat16)
    return cast(matmul(cast(a, DType::Float32), cast(b, DType::Float32)), dt);
  Tensor out = empty(out_shape, dt);
  if (dt == DType::Float32) {
    matmul_f32_dnnl(*caches_, data<float>(a), data<float>(b), data<float>(out), batch, m, k, n);
  } else if (dt == DType::Float64) {
    const double* pa = data<double>(a);
    const double* pb = data<double>(b);
    double* pc = data<double>(out);
    for (int64_t i = 0; i < batch; ++i)
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<blasint>(m),
                  static_cast<blasint>(n), static_cast<blasint>(k), 1.0, pa + i * m * k,
                  static_cast<blasint>(k), pb + i * k * n, static_cast<blasint>(n), 0.0,
                  pc + i * m * n, static_cast<blasint>(n));
  } else {
    visit_dtype(dt, [&]<class T>() {
      if constexpr (!is_half_v<T>)
        matmul_loop<T>(data<T>(a), data<T>(b), data<T>(out), batch, m, k, n);
    });
  }
  return out;
}

Tensor matmul_transposed(CpuBackend& be, const Tensor& a, const Tensor& b, bool transpose_a,
                         bool transpose_b) {
  auto swapped = [](const Tensor& x) {
    std::vector<int> perm(x.shape().rank());
    for (int d = 0; d < static_cast<int>(perm.size()); ++d) perm[d] = d;
    std::swap(perm[perm.size() - 2], perm[perm.size() - 1]);
    return perm;
  };
  const Shape& as = a.shape();
  const Shape& bs = b.shape();
  int r = as.rank();
  if (a.dtype() != DType::Float32 || r < 2 || bs.rank() != r)  // materialized, as traced
    return be.matmul(transpose_a ? be.transpose(a, swapped(a)) : a,
                     transpose_b ? be.transpose(b, swapped(b)) : b);
  ProfileScope prof("matmul", transpose_a ? (transpose_b ? "TT" : "TN") : "NT");
  int64_t m = transpose_a ? as[r - 1] : as[r - 2];
  int64_t k = transpose_a ? as[r - 2] : as[r - 1];
  int64_t n = transpose_b ? bs[r - 2] : bs[r - 1];
  int64_t batch = prod(as, 0, r - 2);
  Shape out_shape(as.begin(), as.end() - 2);
  out_shape.push_back(m);
  out_shape.push_back(n);
  Tensor out = be.empty(out_shape, DType::Float32);
  if (out.size() == 0) return out;
  if (k == 0) return be.full(out_shape, DType::Float32, 0.0);
  matmul_f32_dnnl(caches(be), data<float>(a), data<float>(b), data<float>(out), batch, m, k, n,
                  {.transpose_a = transpose_a, .transpose_b = transpose_b});
  return out;
}

Tensor matmul_bias_activation(CpuBackend& be, const Tensor& a, const Tensor& b, const Tensor& bias,
                              bool relu) {
  const Shape& as = a.shape();
  const Shape& bs = b.shape();
  int r = as.rank();
  bool fused = a.dtype() == DType::Float32 && b.dtype() == DType::Float32 &&
               bias.dtype() == DType::Float32 && r >= 2 && bs.rank() == r &&
               as[r - 1] == bs[r - 2] && bias.shape() == Shape{bs[r - 1]} && a.size() > 0 &&
               b.size() > 0;
  for (int d = 0; fused && d < r - 2; ++d) fused = as[d] == bs[d];
  if (!fused) {  // as traced: matmul, add, relu
    Tensor y = be.binary(BinaryOp::Add, be.matmul(a, b), bias);
    return relu ? be.unary(UnaryOp::Relu, y) : y;
  }
  ProfileScope prof("matmul", relu ? "bias+relu" : "bias");
  int64_t m = as[r - 2], k = as[r - 1], n = bs[r - 1];
  Shape out_shape(as.begin(), as.end() - 1);
  out_shape.push_back(n);
  Tensor out = be.empty(out_shape, DType::Float32);
  matmul_f32_dnnl(caches(be), data<float>(a), data<float>(b), data<float>(out), prod(as, 0, r - 2),
                  m, k, n, {.bias = data<float>(bias), .relu = relu});
  return out;
}

}  // namespace keras::backend::cpu
