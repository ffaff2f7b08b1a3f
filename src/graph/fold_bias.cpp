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
  detail::Readers readers = detail::readers_of(g);
  std::vector<bool> removed(g.nodes.size(), false);
  int folded = 0;
  for (size_t k = 0; k < g.nodes.size(); ++k) {
    Node& conv = g.nodes[k];  // or a matmul
    const auto* conv_args = std::any_cast<std::tuple<backend::ConvParams>>(&conv.args);
    bool is_conv = conv.kernel == "conv" && conv_args;
    bool is_matmul =  // not a transposed one (fold_transposes gives those their flags)
        conv.kernel == "matmul" && std::any_cast<std::tuple<>>(&conv.args);
    if (!(is_conv || is_matmul) || conv.inputs.size() != 2 || conv.outputs.size() != 1) continue;
    const backend::GraphCompiler* compiler = backend::graph_compiler(conv.backend->name());
    if (!compiler ||
        !(is_conv ? bool(compiler->conv_bias_activation) : bool(compiler->matmul_bias_activation)))
      continue;
    int y = conv.outputs[0];
    if (readers.count[y] != 1) continue;
    Node& next = g.nodes[readers.last[y]];
    std::optional<BiasAdd> add = bias_add_of(g, next, y);
    if (!add || add->bias < 0 || next.backend != conv.backend) continue;
    const Value& bias = g.values[add->bias];
    // One value per output channel / column, available where the conv or matmul stands.
    if (bias.shape != Shape{g.values[y].shape.back()} || bias.dtype != g.values[y].dtype ||
        (bias.kind == Value::Kind::NodeOutput && bias.producer >= static_cast<int>(k)))
      continue;
    conv.inputs.push_back(add->bias);
    conv.outputs = next.outputs;
    conv.kernel += add->relu ? "_bias_relu" : "_bias";
    conv.fn = is_conv ? compiler->conv_bias_activation(std::get<0>(*conv_args), add->relu)
                      : compiler->matmul_bias_activation(add->relu);
    removed[readers.last[y]] = true;
    ++folded;
  }
  if (folded) detail::remove_nodes(g, removed);
  return folded;
}

}  // namespace keras::graph
