// keras-cpp op benchmarks: each measurement sits next to what it should be compared with.
//  - matmul (float32, n x n x n) through keras::ops and through the backend kernel, on every built
//    backend, next to oneDNN's dnnl_sgemm and OpenBLAS's cblas_sgemm called directly;
//  - elementwise add/multiply/exp on 16M float32 elements, next to memcpy of the same bytes;
//  - dispatch overhead: ops::add and the raw backend kernel on 1-element tensors;
//  - keras::random::normal / uniform of 16M float32 values (host Philox + copy to the backend).
// Names are "<group>/<variant>/<backend or library>/<size>"; bench/report.py reads the JSON.
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <oneapi/dnnl/dnnl.h>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "keras/keras.hpp"
#include "keras/random/random.hpp"

namespace {

using keras::Tensor;
namespace ops = keras::ops;
namespace be = keras::backend;

constexpr int64_t kElementwiseSize = int64_t{16} << 20;  // 16M float32 = 64 MiB per tensor

// Stops the measurement with a message instead of aborting the whole run (a backend may lack a
// kernel an op needs while it is being written).
template <class F>
void guarded(benchmark::State& state, F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

// ---- matmul ----

void set_matmul_counters(benchmark::State& state, int64_t n) {
  state.counters["flops_per_second"] = benchmark::Counter(
      2.0 * static_cast<double>(n) * n * n, benchmark::Counter::kIsIterationInvariantRate);
}

void matmul_ops(benchmark::State& state, std::string backend, int64_t n) {
  guarded(state, [&] {
    Tensor a = keras::random::uniform({n, n}, {.seed = 1, .backend = backend});
    Tensor b = keras::random::uniform({n, n}, {.seed = 2, .backend = backend});
    benchmark::DoNotOptimize(ops::matmul(a, b));  // warm-up: oneDNN JIT and primitive cache
    for (auto _ : state) benchmark::DoNotOptimize(ops::matmul(a, b));
    set_matmul_counters(state, n);
  });
}

void matmul_kernel(benchmark::State& state, std::string backend, int64_t n) {
  guarded(state, [&] {
    be::Backend& bk = be::get_backend(backend);
    Tensor a = keras::random::uniform({n, n}, {.seed = 1, .backend = backend});
    Tensor b = keras::random::uniform({n, n}, {.seed = 2, .backend = backend});
    benchmark::DoNotOptimize(bk.matmul(a, b));  // warm-up
    for (auto _ : state) benchmark::DoNotOptimize(bk.matmul(a, b));
    set_matmul_counters(state, n);
  });
}

struct HostMatrices {
  std::vector<float> a, b, c;
  explicit HostMatrices(int64_t n)
      : a(keras::random::uniform({n * n}, {.seed = 1}).to_vector<float>()),
        b(keras::random::uniform({n * n}, {.seed = 2}).to_vector<float>()),
        c(static_cast<size_t>(n * n)) {}
};

void matmul_dnnl(benchmark::State& state, int64_t n) {
  HostMatrices m(n);
  // Row-major C = A B; the first call (outside the loop) JIT-compiles the kernel.
  dnnl_sgemm('N', 'N', n, n, n, 1.0f, m.a.data(), n, m.b.data(), n, 0.0f, m.c.data(), n);
  for (auto _ : state) {
    dnnl_sgemm('N', 'N', n, n, n, 1.0f, m.a.data(), n, m.b.data(), n, 0.0f, m.c.data(), n);
    benchmark::DoNotOptimize(m.c.data());
  }
  set_matmul_counters(state, n);
}

void matmul_openblas(benchmark::State& state, int64_t n) {
  HostMatrices m(n);
  const int ni = static_cast<int>(n);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, ni, ni, 1.0f, m.a.data(), ni,
              m.b.data(), ni, 0.0f, m.c.data(), ni);  // warm-up
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, ni, ni, 1.0f, m.a.data(), ni,
                m.b.data(), ni, 0.0f, m.c.data(), ni);
    benchmark::DoNotOptimize(m.c.data());
  }
  set_matmul_counters(state, n);
}

// ---- elementwise vs memcpy ----

enum class Elementwise { Add, Multiply, Exp };

// Bytes moved per call: two inputs read and one output written (add, multiply); one read and one
// written (exp) — memcpy of 16M floats moves 2 x 64 MiB.
int64_t elementwise_bytes(Elementwise op) {
  return (op == Elementwise::Exp ? 2 : 3) * kElementwiseSize * 4;
}

void elementwise_ops(benchmark::State& state, std::string backend, Elementwise op) {
  guarded(state, [&] {
    Tensor a = keras::random::uniform({kElementwiseSize}, {.seed = 1, .backend = backend});
    Tensor b = keras::random::uniform({kElementwiseSize}, {.seed = 2, .backend = backend});
    for (auto _ : state) {
      switch (op) {
        case Elementwise::Add:
          benchmark::DoNotOptimize(ops::add(a, b));
          break;
        case Elementwise::Multiply:
          benchmark::DoNotOptimize(ops::multiply(a, b));
          break;
        case Elementwise::Exp:
          benchmark::DoNotOptimize(ops::exp(a));
          break;
      }
    }
    state.SetBytesProcessed(state.iterations() * elementwise_bytes(op));
  });
}

void elementwise_kernel(benchmark::State& state, std::string backend, Elementwise op) {
  guarded(state, [&] {
    be::Backend& bk = be::get_backend(backend);
    Tensor a = keras::random::uniform({kElementwiseSize}, {.seed = 1, .backend = backend});
    Tensor b = keras::random::uniform({kElementwiseSize}, {.seed = 2, .backend = backend});
    for (auto _ : state) {
      switch (op) {
        case Elementwise::Add:
          benchmark::DoNotOptimize(bk.binary(be::BinaryOp::Add, a, b));
          break;
        case Elementwise::Multiply:
          benchmark::DoNotOptimize(bk.binary(be::BinaryOp::Multiply, a, b));
          break;
        case Elementwise::Exp:
          benchmark::DoNotOptimize(bk.unary(be::UnaryOp::Exp, a));
          break;
      }
    }
    state.SetBytesProcessed(state.iterations() * elementwise_bytes(op));
  });
}

// memcpy into a buffer allocated once ("hot": the bandwidth roofline) and into a new buffer per
// call ("fresh": what an op producing a new 64 MiB tensor also pays, page faults included).
void memcpy_hot(benchmark::State& state) {
  const size_t bytes = static_cast<size_t>(kElementwiseSize) * 4;
  std::vector<char> src(bytes, 1), dst(bytes, 0);
  for (auto _ : state) {
    std::memcpy(dst.data(), src.data(), bytes);
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * 2 * static_cast<int64_t>(bytes));
}

void memcpy_fresh(benchmark::State& state) {
  const size_t bytes = static_cast<size_t>(kElementwiseSize) * 4;
  std::vector<char> src(bytes, 1);
  for (auto _ : state) {
    std::unique_ptr<char, decltype(&std::free)> dst(
        static_cast<char*>(std::aligned_alloc(64, bytes)), &std::free);
    std::memcpy(dst.get(), src.data(), bytes);
    benchmark::DoNotOptimize(dst.get());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * 2 * static_cast<int64_t>(bytes));
}

// ---- dispatch overhead ----

void dispatch_ops(benchmark::State& state, std::string backend) {
  guarded(state, [&] {
    Tensor a = ops::convert_to_tensor(std::vector<float>{1.0f},
                                      {.dtype = keras::float32, .backend = backend});
    Tensor b = ops::convert_to_tensor(std::vector<float>{2.0f},
                                      {.dtype = keras::float32, .backend = backend});
    for (auto _ : state) benchmark::DoNotOptimize(ops::add(a, b));
  });
}

void dispatch_kernel(benchmark::State& state, std::string backend) {
  guarded(state, [&] {
    be::Backend& bk = be::get_backend(backend);
    Tensor a = ops::convert_to_tensor(std::vector<float>{1.0f},
                                      {.dtype = keras::float32, .backend = backend});
    Tensor b = ops::convert_to_tensor(std::vector<float>{2.0f},
                                      {.dtype = keras::float32, .backend = backend});
    for (auto _ : state) benchmark::DoNotOptimize(bk.binary(be::BinaryOp::Add, a, b));
  });
}

// ---- random number generation (Philox on the host, then a copy to the backend) ----

void random_normal(benchmark::State& state, std::string backend) {
  guarded(state, [&] {
    for (auto _ : state)
      benchmark::DoNotOptimize(
          keras::random::normal({kElementwiseSize}, {.seed = 1, .backend = backend}));
    state.SetItemsProcessed(state.iterations() * kElementwiseSize);
  });
}

void random_uniform(benchmark::State& state, std::string backend) {
  guarded(state, [&] {
    for (auto _ : state)
      benchmark::DoNotOptimize(
          keras::random::uniform({kElementwiseSize}, {.seed = 1, .backend = backend}));
    state.SetItemsProcessed(state.iterations() * kElementwiseSize);
  });
}

// Every benchmark reports wall-clock time: the kernels run on several threads, which the default
// per-thread CPU time would miss.
template <class... Args>
void add_benchmark(const std::string& name, Args&&... args) {
  benchmark::RegisterBenchmark(name.c_str(), std::forward<Args>(args)...)->UseRealTime();
}

void register_all() {
  const std::vector<std::string> backends = be::available_backends();
  for (int64_t n : {256, 1024, 2048}) {
    const std::string size = std::to_string(n);
    for (const std::string& b : backends) {
      add_benchmark("matmul/ops/" + b + "/" + size, matmul_ops, b, n);
      add_benchmark("matmul/kernel/" + b + "/" + size, matmul_kernel, b, n);
    }
    add_benchmark("matmul/ref/dnnl_sgemm/" + size, matmul_dnnl, n);
    add_benchmark("matmul/ref/cblas_sgemm/" + size, matmul_openblas, n);
  }
  const std::pair<const char*, Elementwise> kinds[] = {
      {"add", Elementwise::Add}, {"multiply", Elementwise::Multiply}, {"exp", Elementwise::Exp}};
  for (const auto& [name, op] : kinds) {
    for (const std::string& b : backends) {
      add_benchmark(std::string("elementwise/ops/") + b + "/" + name, elementwise_ops, b, op);
      add_benchmark(std::string("elementwise/kernel/") + b + "/" + name, elementwise_kernel, b, op);
    }
  }
  add_benchmark("elementwise/ref/memcpy_hot/copy", memcpy_hot);
  add_benchmark("elementwise/ref/memcpy_fresh/copy", memcpy_fresh);
  for (const std::string& b : backends) {
    add_benchmark("dispatch/ops/" + b + "/add", dispatch_ops, b);
    add_benchmark("dispatch/kernel/" + b + "/add", dispatch_kernel, b);
  }
  for (const std::string& b : backends) {
    add_benchmark("random/normal/" + b + "/16M", random_normal, b);
    add_benchmark("random/uniform/" + b + "/16M", random_uniform, b);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  register_all();
  for (const std::string& name : be::available_backends()) {
    be::BackendInfo info = be::get_backend(name).info();
    benchmark::AddCustomContext(
        "backend_" + name,
        info.device + "; " + info.libraries + "; " + std::to_string(info.num_threads) + " threads");
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
