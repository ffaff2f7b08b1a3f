#include <memory>

#include "backends/torch/torch_backend.hpp"

namespace keras::backend {
void register_torch_backend() {
  register_backend("torch", [] { return std::make_unique<torch_backend::TorchBackend>(); });
}
}  // namespace keras::backend
