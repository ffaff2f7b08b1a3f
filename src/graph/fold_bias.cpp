// graph::fold_bias_activation (passes.hpp): a conv or matmul, then + bias (then relu) -> one
// kernel with post-ops.
#include <optional>
#include <tuple>

#include "graph/pass_utils.hpp"
#include "keras/backend/graph_compiler.hpp"
#include "keras/graph/passes.hpp"

namespace keras::graph {

namespace {

using backend::ElementwiseInstr;
using backend::ElementwiseProgram;

struct BiasAdd {
  int bias = -1;  // the bias value
  bool relu = false;
};

bool is_add(const ElementwiseInstr& in) {
  return in.kind == ElementwiseInstr::Kind::Binary &&
         in.op == static_cast<int>(backend::BinaryOp::Add);
}

// Whether `node`, the only reader of the conv/matmul output `y`, computes y + bias (then relu) and
// nothing else: a binary add, or a fused program add(y, b) [relu] returning only its last value.
std::optional<BiasAdd> bias_add_of(const Graph& g, const Node& node, int y) {
  auto other = [&](int a, int b) { return a == y ? b : (b == y ? a : -1); };
  const auto* op = std::any_cast<std::tuple<backend::BinaryOp>>(&node.args);
  if (node.kernel == "binary" && op && std::get<0>(*op) == backend::BinaryOp::Add &&
      node.inputs.size() == 2)
    return BiasAdd{.bias = other(node.inputs[0], node.inputs[1])};
  if (node.kernel != "fused_elementwise") return std::nullopt;
  const auto* program = std::any_cast<std::shared_ptr<const ElementwiseProgram>>(&node.args);
  if (!program || node.inputs.size() != 2) return std::nullopt;
  const ElementwiseProgram& p = **program;
  if (p.code.empty() || p.code.size() > 2 || !is_add(p.code[0])) return std::nullopt;
  int last = p.num_registers() - 1;
  if (p.outputs != std::vector<int>{last}) return std::nullopt;
  bool relu = p.code.size() == 2;
  if (relu && (p.code[1].kind != ElementwiseInstr::Kind::Unary ||
               p.code[1].op != static_cast<int>(backend::UnaryOp::Relu) || p.code[1].args[0] != 2))
    return std::nullopt;
  // Registers 0 and 1 are the node's inputs, in order: the add reads both, one is y.
  const auto& a = p.code[0].args;
  if (!((a[0] == 0 && a[1] == 1) || (a[0] == 1 && a[1] == 0))) return std::nullopt;
  int bias_reg = node.inputs[0] == y ? 1 : 0;
  if (node.inputs[1 - bias_reg] != y || node.inputs[bias_reg] == y) return std::nullopt;
  return BiasAdd{.bias = node.inputs[bias_reg], .relu = relu};
}

}  // namespace

int fold_bias_activation(Graph& g) {
  return detail::fold_into_sole_reader(g, [&](int k, Node& node, const Node& reader) {
    const auto* conv_args = std::any_cast<std::tuple<backend::ConvParams>>(&node.args);
    bool is_conv = node.kernel == "conv" && conv_args;
    bool is_matmul =  // not a transposed one (fold_transposes gives those their flags)
        node.kernel == "matmul" && std::any_cast<std::tuple<>>(&node.args);
    if (!(is_conv || is_matmul) || node.inputs.size() != 2) return false;
    const backend::GraphCompiler* compiler = backend::graph_compiler(node.backend->name());
    if (!compiler ||
        !(is_conv ? bool(compiler->conv_bias_activation) : bool(compiler->matmul_bias_activation)))
      return false;
    int y = node.outputs[0];
    std::optional<BiasAdd> add = bias_add_of(g, reader, y);
    if (!add || add->bias < 0) return false;
    const Value& bias = g.values[add->bias];
    // One value per output channel / column, available where the conv or matmul stands.
    if (bias.shape != Shape{g.values[y].shape.back()} || bias.dtype != g.values[y].dtype ||
        (bias.kind == Value::Kind::NodeOutput && bias.producer >= k))
      return false;
    node.inputs.push_back(add->bias);
    node.kernel += add->relu ? "_bias_relu" : "_bias";
    node.fn = is_conv ? compiler->conv_bias_activation(std::get<0>(*conv_args), add->relu)
                      : compiler->matmul_bias_activation(add->relu);
    return true;
  });
}

}  // namespace keras::graph
