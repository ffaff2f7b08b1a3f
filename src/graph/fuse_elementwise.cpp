// graph::fuse_elementwise (passes.hpp): chains of elementwise nodes into fused_elementwise nodes.
#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "keras/backend/graph_compiler.hpp"
#include "keras/graph/passes.hpp"

namespace keras::graph {

namespace {

using backend::ElementwiseInstr;
using backend::ElementwiseProgram;

// A node's op, from its kernel name and typed arguments (Node::args: backend.hpp's wrappers
// record unary/binary with their op, cast with its target dtype, where with none).
std::optional<ElementwiseInstr> instr_of(const Node& node, DType out_dtype) {
  using Kind = ElementwiseInstr::Kind;
  ElementwiseInstr in{.dtype = out_dtype};
  if (const auto* op = std::any_cast<std::tuple<backend::UnaryOp>>(&node.args);
      op && node.kernel == "unary") {
    in.kind = Kind::Unary;
    in.op = static_cast<int>(std::get<0>(*op));
  } else if (const auto* op = std::any_cast<std::tuple<backend::BinaryOp>>(&node.args);
             op && node.kernel == "binary") {
    in.kind = Kind::Binary;
    in.op = static_cast<int>(std::get<0>(*op));
  } else if (node.kernel == "where") {
    in.kind = Kind::Where;
  } else if (node.kernel == "cast") {
    in.kind = Kind::Cast;
  } else {
    return std::nullopt;
  }
  return in;
}

// Whether an input of `in_shape` can feed a program over `shape`: the same shape, one element,
// or (leading 1s dropped) the trailing dimensions of `shape`.
bool feeds(const Shape& in_shape, const Shape& shape) {
  if (in_shape == shape || in_shape.num_elements() == 1) return true;
  int lead = 0;
  while (lead < in_shape.rank() && in_shape[lead] == 1) ++lead;
  int n = in_shape.rank() - lead;
  if (n > shape.rank()) return false;
  for (int i = 0; i < n; ++i)
    if (in_shape[lead + i] != shape[shape.rank() - n + i]) return false;
  return true;
}

struct Group {
  Shape shape;
  backend::Backend* backend = nullptr;
  std::vector<int> members;  // node indices, in trace order
  bool closed = false;       // a node outside the group read one of its values: no new members
};

}  // namespace

int fuse_elementwise(Graph& g) {
  const size_t num_nodes = g.nodes.size();
  std::vector<int> group_of(num_nodes, -1);
  std::vector<Group> groups;
  auto producer_group = [&](int id) {
    if (id < 0 || g.values[id].kind != Value::Kind::NodeOutput) return -1;
    return group_of[g.values[id].producer];
  };

  for (size_t k = 0; k < num_nodes; ++k) {
    const Node& node = g.nodes[k];
    const backend::GraphCompiler* compiler = backend::graph_compiler(node.backend->name());
    if (compiler && !(compiler->can_fuse && compiler->fused_elementwise)) compiler = nullptr;
    std::optional<ElementwiseInstr> instr;
    if (compiler && node.outputs.size() == 1 && node.outputs[0] >= 0)
      instr = instr_of(node, g.values[node.outputs[0]].dtype);
    if (instr) {
      const Shape& shape = g.values[node.outputs[0]].shape;
      std::vector<DType> arg_dtypes;
      for (int id : node.inputs) {
        if (id < 0 || !feeds(g.values[id].shape, shape)) {
          instr.reset();
          break;
        }
        arg_dtypes.push_back(g.values[id].dtype);
      }
      if (instr && !compiler->can_fuse(*instr, arg_dtypes, shape)) instr.reset();
    }
    if (instr) {
      const Shape& shape = g.values[node.outputs[0]].shape;
      // Joins the open groups it reads from, merging them when there are several (two open
      // groups have no reader outside them yet, so one node at the later end can replace both).
      int joined = -1;
      for (int id : node.inputs) {
        int gi = producer_group(id);
        if (gi < 0 || gi == joined || groups[gi].closed || groups[gi].shape != shape ||
            groups[gi].backend != node.backend)
          continue;
        if (joined < 0) {
          joined = gi;
          continue;
        }
        std::vector<int>& into = groups[joined].members;
        for (int m : groups[gi].members) group_of[m] = joined;
        into.insert(into.end(), groups[gi].members.begin(), groups[gi].members.end());
        std::sort(into.begin(), into.end());
        groups[gi].members.clear();
        groups[gi].closed = true;
      }
      if (joined < 0) {
        joined = static_cast<int>(groups.size());
        groups.push_back(Group{.shape = shape, .backend = node.backend});
      }
      groups[joined].members.push_back(static_cast<int>(k));
      group_of[k] = joined;
    }
    for (int id : node.inputs) {
      int gi = producer_group(id);
      if (gi >= 0 && gi != group_of[k]) groups[gi].closed = true;
    }
  }

  // The values read outside their group: the fused node's outputs.
  std::vector<bool> escapes(g.values.size(), false);
  for (size_t k = 0; k < num_nodes; ++k)
    for (int id : g.nodes[k].inputs)
      if (int gi = producer_group(id); gi >= 0 && gi != group_of[k]) escapes[id] = true;
  for (int id : g.outputs)
    if (id >= 0) escapes[id] = true;

  std::vector<std::optional<Node>> fused(groups.size());
  int removed = 0;
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& group = groups[gi];
    if (group.members.size() < 2) continue;
    auto program = std::make_shared<ElementwiseProgram>();
    program->shape = group.shape;
    Node node{.kernel = "fused_elementwise", .backend = group.backend};
    std::map<int, int> reg_of;  // value id -> register
    for (int m : group.members)
      for (int id : g.nodes[m].inputs)
        if (producer_group(id) != static_cast<int>(gi) && !reg_of.count(id)) {
          reg_of[id] = static_cast<int>(node.inputs.size());
          node.inputs.push_back(id);
          program->input_shapes.push_back(g.values[id].shape);
          program->input_dtypes.push_back(g.values[id].dtype);
        }
    for (int m : group.members) {
      const Node& member = g.nodes[m];
      int out = member.outputs[0];
      ElementwiseInstr instr = *instr_of(member, g.values[out].dtype);
      for (size_t a = 0; a < member.inputs.size(); ++a) instr.args[a] = reg_of.at(member.inputs[a]);
      reg_of[out] = program->num_registers();
      program->code.push_back(instr);
      if (escapes[out]) {
        program->outputs.push_back(reg_of[out]);
        node.outputs.push_back(out);
      }
    }
    if (node.outputs.empty()) continue;  // nothing reads it: left as traced
    node.attrs = program->describe();
    node.args = std::shared_ptr<const ElementwiseProgram>(program);
    node.fn = backend::graph_compiler(group.backend->name())->fused_elementwise(program);
    fused[gi] = std::move(node);
    removed += static_cast<int>(group.members.size()) - 1;
  }
  if (removed == 0) return 0;

  std::vector<Node> nodes;
  for (size_t k = 0; k < num_nodes; ++k) {
    int gi = group_of[k];
    if (gi < 0 || !fused[gi]) {
      nodes.push_back(std::move(g.nodes[k]));
    } else {
      for (int id : g.nodes[k].outputs) g.values[id].producer = -1;  // inside the fused node
      if (static_cast<int>(k) == groups[gi].members.back()) nodes.push_back(std::move(*fused[gi]));
    }
  }
  g.nodes = std::move(nodes);
  for (size_t j = 0; j < g.nodes.size(); ++j)
    for (int id : g.nodes[j].outputs)
      if (id >= 0) g.values[id].producer = static_cast<int>(j);
  return removed;
}

}  // namespace keras::graph
