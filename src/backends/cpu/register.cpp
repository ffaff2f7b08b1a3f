#include "backends/cpu/cpu_backend.hpp"
#include "backends/cpu/graph_compiler.hpp"

namespace keras::backend {
void register_cpu_backend() {
  register_backend("cpu", [] { return std::make_unique<cpu::CpuBackend>(); });
  register_graph_compiler("cpu", cpu::make_graph_compiler());
}
}  // namespace keras::backend
