// graph::fold_relu_into_max_pool_backward (passes.hpp): the relu mask applied to a max-pool
// gradient, folded into the pooling gradient kernel.
#include <tuple>

#include "graph/pass_utils.hpp"
#include "keras/backend/graph_compiler.hpp"
#include "keras/graph/passes.hpp"

namespace keras::graph {

namespace {

using backend::ElementwiseInstr;
using backend::ElementwiseProgram;
using Kind = ElementwiseInstr::Kind;

bool is_scalar_zero(const Value& v) {
  return v.kind == Value::Kind::Constant && v.shape.num_elements() == 1 &&
         v.constant.item<double>() == 0.0;
}

// Whether `node` computes dx * cast(y > 0) and nothing else: a fused program
// greater(y, 0); cast; multiply with dx (either order), returning only the product.
bool is_relu_mask_of(const Graph& g, const Node& node, int y, int dx) {
  const auto* program = std::any_cast<std::shared_ptr<const ElementwiseProgram>>(&node.args);
  if (!program || node.inputs.size() != 3) return false;
  const ElementwiseProgram& p = **program;
  if (p.code.size() != 3 || p.outputs != std::vector<int>{5}) return false;
  auto reg_of = [&](int value) {
    for (int r = 0; r < 3; ++r)
      if (node.inputs[r] == value) return r;
    return -1;
  };
  int ry = reg_of(y), rdx = reg_of(dx);
  if (ry < 0 || rdx < 0 || ry == rdx) return false;
  int rzero = 3 - ry - rdx;
  const ElementwiseInstr& greater = p.code[0];
  const ElementwiseInstr& cast = p.code[1];
  const ElementwiseInstr& multiply = p.code[2];
  return is_scalar_zero(g.values[node.inputs[rzero]]) && greater.kind == Kind::Binary &&
         greater.op == static_cast<int>(backend::BinaryOp::Greater) && greater.args[0] == ry &&
         greater.args[1] == rzero && cast.kind == Kind::Cast && cast.args[0] == 3 &&
         cast.dtype == g.values[dx].dtype && multiply.kind == Kind::Binary &&
         multiply.op == static_cast<int>(backend::BinaryOp::Multiply) &&
         ((multiply.args[0] == rdx && multiply.args[1] == 4) ||
          (multiply.args[0] == 4 && multiply.args[1] == rdx));
}

}  // namespace

int fold_relu_into_max_pool_backward(Graph& g) {
  return detail::fold_into_sole_reader(g, [&](int, Node& pool, const Node& mask) {
    const auto* args = std::any_cast<std::tuple<backend::PoolParams>>(&pool.args);
    if (pool.kernel != "max_pool_backward" || !args || pool.inputs.size() != 2) return false;
    const backend::GraphCompiler* compiler = backend::graph_compiler(pool.backend->name());
    if (!compiler || !compiler->max_pool_backward_relu ||
        !is_relu_mask_of(g, mask, pool.inputs[0], pool.outputs[0]))
      return false;
    pool.kernel = "max_pool_backward_relu";
    pool.fn = compiler->max_pool_backward_relu(std::get<0>(*args));
    return true;
  });
}

}  // namespace keras::graph
