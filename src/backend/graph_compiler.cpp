// The registry of backends' graph compilers, and ElementwiseProgram's helpers.
#include "keras/backend/graph_compiler.hpp"

#include <map>
#include <mutex>

namespace keras::backend {

namespace {

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, GraphCompiler, std::less<>>& registry() {
  static std::map<std::string, GraphCompiler, std::less<>> r;
  return r;
}

}  // namespace

void register_graph_compiler(const std::string& backend, GraphCompiler compiler) {
  std::lock_guard lock(registry_mutex());
  registry()[backend] = std::move(compiler);
}

const GraphCompiler* graph_compiler(std::string_view backend) {
  std::lock_guard lock(registry_mutex());
  auto it = registry().find(backend);
  return it == registry().end() ? nullptr : &it->second;  // entries are never removed
}

DType ElementwiseProgram::dtype_of(int reg) const {
  int n = static_cast<int>(input_dtypes.size());
  return reg < n ? input_dtypes[reg] : code[reg - n].dtype;
}

std::string ElementwiseProgram::describe() const {
  std::string s;
  int n = static_cast<int>(input_shapes.size());
  auto r = [](int reg) { return "r" + std::to_string(reg); };
  for (size_t i = 0; i < code.size(); ++i) {
    const ElementwiseInstr& in = code[i];
    std::string name;
    switch (in.kind) {
      case ElementwiseInstr::Kind::Unary:
        name = unary_op_name(static_cast<UnaryOp>(in.op));
        break;
      case ElementwiseInstr::Kind::Binary:
        name = binary_op_name(static_cast<BinaryOp>(in.op));
        break;
      case ElementwiseInstr::Kind::Where:
        name = "where";
        break;
      case ElementwiseInstr::Kind::Cast:
        name = "cast_" + std::string(dtype_name(in.dtype));
        break;
    }
    s += (i ? "; " : "") + r(n + static_cast<int>(i)) + " = " + name + "(";
    for (int k = 0; k < 3 && in.args[k] >= 0; ++k) s += (k ? ", " : "") + r(in.args[k]);
    s += ")";
  }
  s += " ->";
  for (int o : outputs) s += " " + r(o);
  return s;
}

}  // namespace keras::backend
