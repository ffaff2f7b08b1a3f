// The fused elementwise kernel: each thread walks its share of the elements in chunks of kChunk;
// per chunk, every instruction runs as one loop over the chunk, writing a scratch buffer (or the
// output tensor, for registers the program returns). The element functions are the one-op
// kernels' own (elementwise_ops.hpp), so the results are bit-identical to running the ops one by
// one.
#include <memory>

#include "backends/cpu/cpu_common.hpp"
#include "backends/cpu/elementwise_ops.hpp"
#include "backends/cpu/eltwise_dnnl.hpp"
#include "backends/cpu/graph_compiler.hpp"
#include "backends/cpu/profile.hpp"

namespace keras::backend::cpu {

namespace {

using Kind = ElementwiseInstr::Kind;

// Elements per chunk: a chunk of every register of a long program still fits in L2.
constexpr int64_t kChunk = 1024;

bool fusable(DType d) { return d == DType::Float32 || d == DType::Bool; }

// Calls f.template operator()<T>() with T the element type of a fusable dtype.
template <class F>
decltype(auto) visit_fusable(DType d, F&& f) {
  if (d == DType::Bool) return f.template operator()<bool>();
  return f.template operator()<float>();
}

// A register within the current chunk: element i is at ptr[i * stride] (stride 0: one element).
struct Reg {
  const void* ptr = nullptr;
  int64_t stride = 1;
};

// The op's cost per element (elementwise_ops.hpp), or 0 when the fused kernel cannot run it.
int64_t op_cost(const ElementwiseInstr& in, DType arg) {
  auto cost = Overload{[](auto, int64_t c, auto) { return c; }, [](Identity) { return kCheap; },
                       [](Unsupported) { return int64_t{0}; }};
  return visit_fusable(arg, [&]<class T>() -> int64_t {
    switch (in.kind) {
      case Kind::Unary:
        return with_unary_op<T>(static_cast<UnaryOp>(in.op), cost);
      case Kind::Binary:
        return with_binary_op<T>(static_cast<BinaryOp>(in.op), cost);
      default:
        return kCheap;
    }
  });
}

}  // namespace

bool can_fuse_elementwise(const ElementwiseInstr& in, std::span<const DType> args,
                          const Shape& shape) {
  if (!fusable(in.dtype)) return false;
  for (DType d : args)
    if (!fusable(d)) return false;
  switch (in.kind) {
    case Kind::Unary:
      // Large float32 tensors take oneDNN's eltwise path there (eltwise_dnnl.cpp), whose
      // approximations differ in the last bits: leave those ops to it.
      if (args[0] == DType::Float32 && shape.num_elements() >= kDnnlEltwiseMinElements &&
          dnnl_supports_unary(static_cast<UnaryOp>(in.op)))
        return false;
      break;
    case Kind::Binary:
      if (args[0] != args[1]) return false;
      break;
    case Kind::Where:
      if (args[0] != DType::Bool || args[1] != args[2]) return false;
      break;
    case Kind::Cast:
      break;
  }
  return op_cost(in, args[0]) > 0;
}

namespace {

// Compiled twice by GCC, for AVX2 and for any x86-64, the right one picked when the library
// loads (everything it calls is inlined into each). AVX2 alone does not allow FMA contraction, so
// both compute the same bits as the one-op kernels. (clang, used for the fuzz build, cannot
// combine the two attributes: one baseline version there.)
#if defined(__clang__)
#define KERAS_AVX2_CLONES
#else
#define KERAS_AVX2_CLONES [[gnu::target_clones("avx2", "default"), gnu::flatten]]
#endif
KERAS_AVX2_CLONES void run_instr(const ElementwiseProgram& p, const ElementwiseInstr& in,
                                 const std::vector<Reg>& regs, void* dst, int64_t len) {
  const Reg& a = regs[in.args[0]];
  auto unsupported = [&](Unsupported) {
    throw TypeError("cpu backend: fused_elementwise: an instruction it cannot run (" +
                    p.describe() + ")");
  };
  switch (in.kind) {
    case Kind::Unary:
      visit_fusable(p.dtype_of(in.args[0]), [&]<class T>() {
        const T* s = static_cast<const T*>(a.ptr);
        with_unary_op<T>(static_cast<UnaryOp>(in.op),
                         Overload{[&]<class O>(Out<O>, int64_t, auto f) {
                                    using C = compute_t<T>;
                                    O* d = static_cast<O*>(dst);
                                    if (a.stride == 0)
                                      std::fill_n(d, len, static_cast<O>(f(static_cast<C>(s[0]))));
                                    else
                                      for (int64_t i = 0; i < len; ++i)
                                        d[i] = static_cast<O>(f(static_cast<C>(s[i])));
                                  },
                                  [&](Identity) {
                                    T* d = static_cast<T*>(dst);
                                    for (int64_t i = 0; i < len; ++i) d[i] = s[i * a.stride];
                                  },
                                  unsupported});
      });
      return;
    case Kind::Binary: {
      const Reg& b = regs[in.args[1]];
      visit_fusable(p.dtype_of(in.args[0]), [&]<class T>() {
        with_binary_op<T>(static_cast<BinaryOp>(in.op),
                          Overload{[&]<class O>(Out<O>, int64_t, auto f) {
                                     binary_row<T, O>(static_cast<const T*>(a.ptr), a.stride,
                                                      static_cast<const T*>(b.ptr), b.stride,
                                                      static_cast<O*>(dst), len, f);
                                   },
                                   unsupported});
      });
      return;
    }
    case Kind::Where: {
      const Reg& x = regs[in.args[1]];
      const Reg& y = regs[in.args[2]];
      visit_size(in.dtype, [&]<class U>() {
        const uint8_t* c = static_cast<const uint8_t*>(a.ptr);
        const U* px = static_cast<const U*>(x.ptr);
        const U* py = static_cast<const U*>(y.ptr);
        U* o = static_cast<U*>(dst);
        if (a.stride == 1 && x.stride == 1 && y.stride == 1)
          for (int64_t i = 0; i < len; ++i) o[i] = c[i] ? px[i] : py[i];
        else
          for (int64_t i = 0; i < len; ++i)
            o[i] = c[i * a.stride] ? px[i * x.stride] : py[i * y.stride];
      });
      return;
    }
    case Kind::Cast:
      visit_fusable(p.dtype_of(in.args[0]), [&]<class S>() {
        visit_fusable(in.dtype, [&]<class D>() {
          const S* s = static_cast<const S*>(a.ptr);
          D* d = static_cast<D*>(dst);
          if (a.stride == 0)
            std::fill_n(d, len, convert<D>(s[0]));
          else
            for (int64_t i = 0; i < len; ++i) d[i] = convert<D>(s[i]);
        });
      });
      return;
  }
}

std::vector<Tensor> run_fused(CpuBackend& be, const ElementwiseProgram& p, int64_t cost,
                              std::span<const Tensor> in) {
  ProfileScope prof("fused_elementwise");
  const int64_t n = p.shape.num_elements();
  const int num_inputs = static_cast<int>(p.input_shapes.size());
  const int num_regs = p.num_registers();
  std::vector<Tensor> outs;
  std::vector<char*> out_data(num_regs, nullptr);
  for (int r : p.outputs) {
    outs.push_back(be.empty(p.shape, p.dtype_of(r)));
    out_data[r] = static_cast<char*>(raw_data(outs.back()));
  }
  parallel_for(n, cost, [&](int64_t begin, int64_t end) {
    // This thread's chunk: kChunk, or its whole share when that is smaller (a bias, a scalar).
    const int64_t chunk = std::min(kChunk, end - begin);
    // One uninitialized chunk per instruction; 4 bytes per element hold a float32 or a bool.
    auto scratch =
        std::make_unique_for_overwrite<float[]>(p.code.size() * static_cast<size_t>(chunk));
    std::vector<Reg> regs(num_regs);
    // Inputs repeated along the leading dimensions (a bias): element c0 + t is element
    // (c0 + t) % size. Up to a chunk's elements, tiled once into chunk + size elements so that
    // every chunk reads a window of the tiling; longer ones are copied per chunk.
    std::vector<std::vector<float>> tiled(num_inputs);
    for (int i = 0; i < num_inputs; ++i) {
      const int64_t size = in[i].size();
      if (size == n || size == 1) continue;
      tiled[i].resize(size <= chunk ? chunk + size : chunk);
      if (size <= chunk)
        visit_size(in[i].dtype(), [&]<class U>() {
          const U* s = data<U>(in[i]);
          U* d = reinterpret_cast<U*>(tiled[i].data());
          for (int64_t t = 0; t < chunk + size; ++t) d[t] = s[t % size];
        });
    }
    for (int64_t c0 = begin; c0 < end; c0 += chunk) {
      const int64_t len = std::min(chunk, end - c0);
      for (int i = 0; i < num_inputs; ++i) {
        const char* base = static_cast<const char*>(raw_data(in[i]));
        const int64_t size = in[i].size();
        const size_t esize = dtype_size(in[i].dtype());
        if (size == n) {
          regs[i] = {base + c0 * esize, 1};
        } else if (size == 1) {
          regs[i] = {base, 0};
        } else if (size <= chunk) {
          regs[i] = {reinterpret_cast<const char*>(tiled[i].data()) + (c0 % size) * esize, 1};
        } else {
          char* d = reinterpret_cast<char*>(tiled[i].data());
          for (int64_t t = 0, j = c0 % size; t < len; j = 0) {
            int64_t take = std::min(size - j, len - t);
            std::memcpy(d + t * esize, base + j * esize, take * esize);
            t += take;
          }
          regs[i] = {d, 1};
        }
      }
      for (size_t k = 0; k < p.code.size(); ++k) {
        const int r = num_inputs + static_cast<int>(k);
        void* dst = out_data[r]
                        ? out_data[r] + c0 * dtype_size(p.code[k].dtype)
                        : static_cast<void*>(scratch.get() + static_cast<int64_t>(k) * chunk);
        run_instr(p, p.code[k], regs, dst, len);
        regs[r] = {dst, 1};
      }
    }
  });
  return outs;
}

}  // namespace

KernelFn fused_elementwise_kernel(std::shared_ptr<const ElementwiseProgram> program) {
  int64_t cost = 0;
  for (const ElementwiseInstr& in : program->code)
    cost += op_cost(in, program->dtype_of(in.args[0]));
  return [program, cost](Backend& be, std::span<const Tensor> in) {
    return run_fused(static_cast<CpuBackend&>(be), *program, cost, in);
  };
}

}  // namespace keras::backend::cpu
