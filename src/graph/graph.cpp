// Graph: replay (run), dumps and KERAS_DUMP_GRAPH.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "keras/backend/backend.hpp"
#include "keras/graph/graph.hpp"

namespace keras::graph {

namespace {

std::string type_str(const Value& v) {
  std::string s = std::string(dtype_name(v.dtype)) + "[";
  for (int i = 0; i < v.shape.rank(); ++i) s += (i ? ", " : "") + std::to_string(v.shape[i]);
  return s + "]";
}

std::string ref(int id) { return id < 0 ? "none" : "%" + std::to_string(id); }

// "%3, %4" (`with_types`: "float32[2], float32[]", skipping absent values).
std::string list(const std::vector<Value>& values, const std::vector<int>& ids,
                 bool with_types = false) {
  std::string s;
  for (int id : ids) {
    if (with_types && id < 0) continue;
    s += (s.empty() ? "" : ", ") + (with_types ? type_str(values[id]) : ref(id));
  }
  return s;
}

}  // namespace

void Graph::finalize() {
  std::vector<int> last_use(values.size(), -1);
  for (size_t k = 0; k < nodes.size(); ++k)
    for (int id : nodes[k].inputs)
      if (id >= 0) last_use[id] = static_cast<int>(k);
  for (int id : outputs)
    if (id >= 0) last_use[id] = -1;  // returned: never freed
  frees_after_.assign(nodes.size(), {});
  for (size_t id = 0; id < values.size(); ++id)
    if (last_use[id] >= 0 && values[id].kind == Value::Kind::NodeOutput)
      frees_after_[last_use[id]].push_back(static_cast<int>(id));
}

std::vector<Tensor> Graph::run(std::span<const Tensor> in) const {
  if (in.size() != inputs.size())
    throw ValueError("compiled function: got " + std::to_string(in.size()) +
                     " inputs, the graph was traced with " + std::to_string(inputs.size()));
  std::vector<Tensor> slots(values.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const Value& v = values[inputs[i]];
    if (!in[i].defined() || in[i].is_symbolic() || in[i].shape() != v.shape ||
        in[i].dtype() != v.dtype)
      throw ValueError("compiled function: input " + std::to_string(i) + " must be a concrete " +
                       type_str(v) + " tensor, like the one it was traced with");
    slots[inputs[i]] = in[i];
  }
  auto read = [&](int id) -> const Tensor& {
    static const Tensor none;
    if (id < 0) return none;
    return values[id].kind == Value::Kind::Constant ? values[id].constant : slots[id];
  };
  std::vector<Tensor> args;
  for (size_t k = 0; k < nodes.size(); ++k) {
    const Node& node = nodes[k];
    args.clear();
    for (int id : node.inputs) args.push_back(read(id));
    std::vector<Tensor> outs = node.fn(*node.backend, args);
    for (size_t j = 0; j < node.outputs.size(); ++j) {
      int id = node.outputs[j];
      if (id < 0) continue;
      // A different shape means the function's shapes depend on its inputs' values.
      if (outs[j].shape() != values[id].shape)
        throw ValueError("compiled function: " + node.kernel + " returned shape " +
                         outs[j].shape().to_string() + " where the trace had " +
                         values[id].shape.to_string());
      slots[id] = std::move(outs[j]);
    }
    for (int id : frees_after_[k]) slots[id] = Tensor();
  }
  std::vector<Tensor> result;
  for (int id : outputs) result.push_back(read(id));
  return result;
}

size_t Graph::num_constants() const {
  size_t n = 0;
  for (const Value& v : values) n += v.kind == Value::Kind::Constant;
  return n;
}

std::string Graph::dump() const {
  std::string s = "# " + std::to_string(inputs.size()) + " inputs, " +
                  std::to_string(num_constants()) + " constants, " + std::to_string(nodes.size()) +
                  " kernel calls\n";
  std::vector<bool> listed(values.size(), false);
  auto list_value = [&](int id) {
    if (id < 0 || listed[id] || values[id].kind == Value::Kind::NodeOutput) return;
    listed[id] = true;
    s += ref(id) + " = " + (values[id].kind == Value::Kind::Input ? "input " : "constant ") +
         type_str(values[id]) + "\n";
  };
  for (int id : inputs) list_value(id);
  for (const Node& node : nodes) {
    for (int id : node.inputs) list_value(id);
    s += list(values, node.outputs) + " = " + node.kernel +
         (node.attrs.empty() ? "" : "[" + node.attrs + "]") + "(" + list(values, node.inputs) +
         ") -> " + list(values, node.outputs, /*with_types=*/true) + "  @" +
         std::string(node.backend->name()) + "\n";
  }
  return s + "return " + list(values, outputs) + "\n";
}

void maybe_dump(const Graph& g, const std::string& name) {
  const char* dir = std::getenv("KERAS_DUMP_GRAPH");
  if (!dir || !*dir) return;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::path path = fs::path(dir) / (name + ".txt");
  for (int n = 1; fs::exists(path, ec); ++n)
    path = fs::path(dir) / (name + "_" + std::to_string(n) + ".txt");
  std::ofstream out(path);
  out << g.dump();
  if (!out)
    std::cerr << "keras-cpp: warning: KERAS_DUMP_GRAPH: cannot write " << path.string() << "\n";
}

}  // namespace keras::graph
