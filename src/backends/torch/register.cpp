#include <memory>

#include "backends/torch/torch_backend.hpp"
#include "backends/torch/torch_graph_compiler.hpp"

namespace keras::backend {
void register_torch_backend() {
  register_backend("torch", [] { return std::make_unique<torch_backend::TorchBackend>(); });
  register_graph_compiler("torch", torch_backend::make_graph_compiler());
}
}  // namespace keras::backend
