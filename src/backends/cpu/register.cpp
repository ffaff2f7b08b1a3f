#include "backends/cpu/cpu_backend.hpp"

namespace keras::backend {
void register_cpu_backend() {
  register_backend("cpu", [] { return std::make_unique<cpu::CpuBackend>(); });
}
}  // namespace keras::backend
