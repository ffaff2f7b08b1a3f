// CpuBackend: construction, info() and the list of native fused kernels.
#include <cblas.h>

#include <fstream>
#include <oneapi/dnnl/dnnl.hpp>

#include "backends/cpu/dnnl_context.hpp"

namespace keras::backend::cpu {

CpuBackend::CpuBackend() : caches_(std::make_unique<Caches>()) {
  // OpenBLAS (the OpenMP build, CMakeLists.txt) runs on libgomp's team like oneDNN and our loops:
  // as many threads as OpenMP has (inside a parallel region of ours it runs on the calling
  // thread).
  openblas_set_num_threads(omp_get_max_threads());
}

CpuBackend::~CpuBackend() = default;

namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto pos = line.find(':');
      if (pos != std::string::npos) {
        std::string s = line.substr(pos + 1);
        size_t b = s.find_first_not_of(" \t");
        return b == std::string::npos ? "" : s.substr(b);
      }
    }
  }
  return "";
}

std::string isa() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return "x86_64, AVX-512";
  if (__builtin_cpu_supports("avx2")) return "x86_64, AVX2";
  if (__builtin_cpu_supports("avx")) return "x86_64, AVX";
  return "x86_64, SSE2";
#elif defined(__aarch64__)
  return "aarch64";
#else
  return "unknown ISA";
#endif
}

}  // namespace

BackendInfo CpuBackend::info() const {
  BackendInfo i;
  i.name = "cpu";
  std::string model = cpu_model();
  i.device = "CPU (" + (model.empty() ? std::string() : model + ", ") + isa() + ")";
  i.num_threads = omp_get_max_threads();
  const dnnl_version_t* v = dnnl_version();
  std::string blas = openblas_get_config();
  // "OpenBLAS 0.3.21 DYNAMIC_ARCH ..." -> "OpenBLAS 0.3.21"
  size_t sp = blas.find(' ');
  if (sp != std::string::npos) sp = blas.find(' ', sp + 1);
  if (sp != std::string::npos) blas = blas.substr(0, sp);
  i.libraries = "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                std::to_string(v->patch) + ", " + blas;
  return i;
}

bool CpuBackend::has_native(FusedKernel kernel) const {
  switch (kernel) {
    case FusedKernel::Conv:
    case FusedKernel::ConvBackpropInput:
    case FusedKernel::ConvBackpropFilter:
    case FusedKernel::MaxPool:
    case FusedKernel::MaxPoolBackward:
    case FusedKernel::AvgPool:
    case FusedKernel::AvgPoolBackward:
    case FusedKernel::Softmax:
    case FusedKernel::LogSoftmax:
    case FusedKernel::DotProductAttention:
    case FusedKernel::DotProductAttentionBackward:
    case FusedKernel::Lstm:
    case FusedKernel::LstmBackward:
    case FusedKernel::Gru:
    case FusedKernel::GruBackward:
      return true;
  }
  return false;
}

}  // namespace keras::backend::cpu
