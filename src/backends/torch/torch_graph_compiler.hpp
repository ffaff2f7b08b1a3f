#pragma once
// The torch backend's graph compiler (keras/backend/graph_compiler.hpp): a matmul reading an
// operand transposed, as a strided ATen view, so the gradient's transposes are never copied.
#include "keras/backend/graph_compiler.hpp"

namespace keras::backend::torch_backend {

GraphCompiler make_graph_compiler();

}  // namespace keras::backend::torch_backend
