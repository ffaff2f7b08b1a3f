// Keras call -> keras::ops call, for the ops that appear in the fixtures (ops_npz_table.hpp).
// An op missing from this table fails its fixture cases with "not implemented in keras-cpp".
#include "conformance/ops_npz_table.hpp"

#include "keras/ops/ops.hpp"

namespace keras::testing {
namespace {

using Kind = PyValue::Kind;
using Inputs = std::vector<Tensor>;
using Outs = std::vector<Tensor>;

[[noreturn]] void unsupported(const PyCall& c, const std::string& what) {
  throw ValueError("\"" + c.text + "\": the conformance table cannot read " + what);
}

// x0, x1, ... are the case's inputs; numbers become weak scalars, as Python scalars are in Keras.
Tensor tensor(const PyCall& c, const PyValue& v, const Inputs& in) {
  switch (v.kind) {
    case Kind::Name:
      if (v.s.size() > 1 && v.s[0] == 'x') {
        size_t k = std::stoul(v.s.substr(1));
        if (k < in.size()) return in[k];
      }
      unsupported(c, "the name " + v.s);
    case Kind::Int:
      return Tensor(static_cast<int>(v.i));
    case Kind::Float:
      return Tensor(v.f);
    case Kind::Bool:
      return Tensor(v.i != 0);
    case Kind::None:
      return Tensor();
    default:
      unsupported(c, "the argument " + v.to_string() + " as a tensor");
  }
}
Tensor arg(const PyCall& c, size_t pos, const char* name, const Inputs& in) {
  const PyValue* v = c.find(pos, name);
  return v ? tensor(c, *v, in) : Tensor();
}
std::vector<Tensor> tensor_list(const PyCall& c, const PyValue& v, const Inputs& in) {
  if (v.kind != Kind::Seq) unsupported(c, v.to_string() + " as a list of tensors");
  std::vector<Tensor> out;
  for (const PyValue& item : v.items) out.push_back(tensor(c, item, in));
  return out;
}
int64_t integer(const PyCall& c, size_t pos, const char* name, int64_t fallback) {
  const PyValue* v = c.find(pos, name);
  if (!v || v->kind == Kind::None) return fallback;
  if (v->kind != Kind::Int) unsupported(c, std::string("`") + name + "` = " + v->to_string());
  return v->i;
}
std::optional<int64_t> opt_integer(const PyCall& c, size_t pos, const char* name) {
  const PyValue* v = c.find(pos, name);
  if (!v || v->kind == Kind::None) return std::nullopt;
  return integer(c, pos, name, 0);
}
bool boolean(const PyCall& c, size_t pos, const char* name, bool fallback) {
  const PyValue* v = c.find(pos, name);
  if (!v || v->kind == Kind::None) return fallback;
  if (v->kind != Kind::Bool) unsupported(c, std::string("`") + name + "` = " + v->to_string());
  return v->i != 0;
}
std::vector<int64_t> int_list(const PyCall& c, const PyValue& v) {
  if (v.kind == Kind::Int) return {v.i};
  if (v.kind != Kind::Seq) unsupported(c, v.to_string() + " as a list of ints");
  std::vector<int64_t> out;
  for (const PyValue& item : v.items) {
    if (item.kind != Kind::Int) unsupported(c, v.to_string() + " as a list of ints");
    out.push_back(item.i);
  }
  return out;
}
ops::Axis axis(const PyCall& c, size_t pos, const char* name = "axis") {
  const PyValue* v = c.find(pos, name);
  if (!v || v->kind == Kind::None) return {};
  return ops::Axis(int_list(c, *v));
}
ops::ReduceOptions reduce_options(const PyCall& c) {
  return {.axis = axis(c, 1), .keepdims = boolean(c, 2, "keepdims", false)};
}
std::optional<DType> dtype(const PyCall& c, size_t pos) {
  const PyValue* v = c.find(pos, "dtype");
  if (!v || v->kind == Kind::None) return std::nullopt;
  if (v->kind != Kind::Str) unsupported(c, "`dtype` = " + v->to_string());
  return dtype_from_name(v->s);
}

template <Tensor (*F)(const Tensor&)>
FixtureOp unary() {
  return [](const PyCall& c, const Inputs& in) { return Outs{F(arg(c, 0, "x", in))}; };
}
template <Tensor (*F)(const Tensor&, const Tensor&)>
FixtureOp binary() {
  return [](const PyCall& c, const Inputs& in) {
    return Outs{F(arg(c, 0, "x1", in), arg(c, 1, "x2", in))};
  };
}
template <Tensor (*F)(const Tensor&, ops::ReduceOptions)>
FixtureOp reduction() {
  return [](const PyCall& c, const Inputs& in) {
    return Outs{F(arg(c, 0, "x", in), reduce_options(c))};
  };
}
template <Tensor (*F)(const Tensor&, std::optional<int64_t>, bool)>
FixtureOp arg_reduction() {
  return [](const PyCall& c, const Inputs& in) {
    return Outs{F(arg(c, 0, "x", in), opt_integer(c, 1, "axis"), boolean(c, 2, "keepdims", false))};
  };
}
template <Tensor (*F)(const Tensor&, int64_t)>
FixtureOp with_int(const char* name, int64_t fallback) {
  return [name, fallback](const PyCall& c, const Inputs& in) {
    return Outs{F(arg(c, 0, "x", in), integer(c, 1, name, fallback))};
  };
}
template <Tensor (*F)(const Tensor&, std::optional<int64_t>, std::optional<DType>)>
FixtureOp cumulative() {
  return [](const PyCall& c, const Inputs& in) {
    return Outs{F(arg(c, 0, "x", in), opt_integer(c, 1, "axis"), dtype(c, 2))};
  };
}

void add_shape_and_reduction_ops(std::map<std::string, FixtureOp>& t) {
  // ---- reductions ----
  t["sum"] = reduction<ops::sum>();
  t["prod"] = reduction<ops::prod>();
  t["mean"] = reduction<ops::mean>();
  t["max"] = reduction<ops::max>();
  t["min"] = reduction<ops::min>();
  t["var"] = reduction<ops::var>();
  t["std"] = reduction<ops::std>();
  t["any"] = reduction<ops::any>();
  t["all"] = reduction<ops::all>();
  t["argmax"] = arg_reduction<ops::argmax>();
  t["argmin"] = arg_reduction<ops::argmin>();
  t["cumsum"] = cumulative<ops::cumsum>();
  t["cumprod"] = cumulative<ops::cumprod>();
  // ---- shape and indexing ----
  t["transpose"] = [](const PyCall& c, const Inputs& in) {
    const PyValue* axes = c.find(1, "axes");
    return Outs{ops::transpose(arg(c, 0, "x", in), axes && axes->kind != Kind::None
                                                       ? int_list(c, *axes)
                                                       : std::vector<int64_t>{})};
  };
  t["reshape"] = [](const PyCall& c, const Inputs& in) {
    std::vector<int64_t> dims = int_list(c, c.get(1, "newshape"));
    return Outs{ops::reshape(arg(c, 0, "x", in), Shape(dims))};
  };
  t["expand_dims"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::expand_dims(arg(c, 0, "x", in), axis(c, 1))};
  };
  t["squeeze"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::squeeze(arg(c, 0, "x", in), axis(c, 1))};
  };
  t["concatenate"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::concatenate(tensor_list(c, c.get(0, "xs"), in), integer(c, 1, "axis", 0))};
  };
  t["stack"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::stack(tensor_list(c, c.get(0, "x"), in), integer(c, 1, "axis", 0))};
  };
  t["split"] = [](const PyCall& c, const Inputs& in) {
    const PyValue& ios = c.get(1, "indices_or_sections");
    ops::IndicesOrSections s = ios.kind == Kind::Int ? ops::IndicesOrSections(ios.i)
                                                     : ops::IndicesOrSections(int_list(c, ios));
    return ops::split(arg(c, 0, "x", in), s, integer(c, 2, "axis", 0));
  };
  t["repeat"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::repeat(arg(c, 0, "x", in), Ints(int_list(c, c.get(1, "repeats"))),
                            opt_integer(c, 2, "axis"))};
  };
  t["tile"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::tile(arg(c, 0, "x", in), int_list(c, c.get(1, "repeats")))};
  };
  t["pad"] = [](const PyCall& c, const Inputs& in) {
    const PyValue& pw = c.get(1, "pad_width");
    std::vector<std::pair<int64_t, int64_t>> pads;
    for (const PyValue& p : pw.items) {
      std::vector<int64_t> two = int_list(c, p);
      if (two.size() != 2) unsupported(c, "`pad_width` = " + pw.to_string());
      pads.emplace_back(two[0], two[1]);
    }
    const PyValue* mode = c.find(2, "mode");
    return Outs{ops::pad(arg(c, 0, "x", in), pads, mode ? mode->s : "constant",
                         arg(c, 3, "constant_values", in))};
  };
  t["take"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::take(arg(c, 0, "x", in), arg(c, 1, "indices", in), opt_integer(c, 2, "axis"))};
  };
  t["take_along_axis"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::take_along_axis(arg(c, 0, "x", in), arg(c, 1, "indices", in),
                                     opt_integer(c, 2, "axis"))};
  };
  t["sort"] = with_int<ops::sort>("axis", -1);
  t["argsort"] = with_int<ops::argsort>("axis", -1);
  // ---- linear algebra ----
  t["matmul"] = binary<ops::matmul>();
  t["einsum"] = [](const PyCall& c, const Inputs& in) {
    if (c.args.empty() || c.args[0].kind != Kind::Str) unsupported(c, "the subscripts");
    std::vector<Tensor> operands;
    for (size_t k = 1; k < c.args.size(); ++k) operands.push_back(tensor(c, c.args[k], in));
    return Outs{ops::einsum(c.args[0].s, operands)};
  };
}

std::map<std::string, FixtureOp> make_table() {
  std::map<std::string, FixtureOp> t;
  // ---- elementwise ----
  t["add"] = binary<ops::add>();
  t["subtract"] = binary<ops::subtract>();
  t["multiply"] = binary<ops::multiply>();
  t["divide"] = binary<ops::divide>();
  t["floor_divide"] = binary<ops::floor_divide>();
  t["mod"] = binary<ops::mod>();
  t["power"] = binary<ops::power>();
  t["maximum"] = binary<ops::maximum>();
  t["minimum"] = binary<ops::minimum>();
  t["erf"] = unary<ops::erf>();
  t["log1p"] = unary<ops::log1p>();
  t["sigmoid"] = unary<ops::sigmoid>();
  t["softplus"] = unary<ops::softplus>();
  t["round"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::round(arg(c, 0, "x", in), static_cast<int>(integer(c, 1, "decimals", 0)))};
  };
  t["gelu"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::gelu(arg(c, 0, "x", in), boolean(c, 1, "approximate", true))};
  };
  t["where"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::where(arg(c, 0, "condition", in), arg(c, 1, "x1", in), arg(c, 2, "x2", in))};
  };
  t["clip"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::clip(arg(c, 0, "x", in), arg(c, 1, "x_min", in), arg(c, 2, "x_max", in))};
  };
  t["cast"] = [](const PyCall& c, const Inputs& in) {
    const PyValue& d = c.get(1, "dtype");
    if (d.kind != Kind::Str) unsupported(c, "`dtype` = " + d.to_string());
    return Outs{ops::cast(arg(c, 0, "x", in), dtype_from_name(d.s))};
  };
  t["logsumexp"] = reduction<ops::logsumexp>();
  t["norm"] = [](const PyCall& c, const Inputs& in) {
    const PyValue* ord = c.find(1, "ord");
    ops::NormOptions o{.axis = axis(c, 2), .keepdims = boolean(c, 3, "keepdims", false)};
    if (ord && ord->kind == Kind::Int)
      o.ord = static_cast<double>(ord->i);
    else if (ord && ord->kind == Kind::Float)
      o.ord = ord->f;
    else if (ord && ord->kind == Kind::Str)
      o.ord = ord->s;
    else if (ord && ord->kind != Kind::None)
      unsupported(c, "`ord` = " + ord->to_string());
    return Outs{ops::norm(arg(c, 0, "x", in), o)};
  };
  t["tril"] = with_int<ops::tril>("k", 0);
  t["triu"] = with_int<ops::triu>("k", 0);
  // ---- nn ----
  t["softmax"] = with_int<ops::softmax>("axis", -1);
  t["log_softmax"] = with_int<ops::log_softmax>("axis", -1);
  t["one_hot"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::one_hot(arg(c, 0, "x", in), integer(c, 1, "num_classes", 0),
                             integer(c, 2, "axis", -1), dtype(c, 3))};
  };
  // ---- math ----
  t["top_k"] = [](const PyCall& c, const Inputs& in) {
    auto [values, indices] =
        ops::top_k(arg(c, 0, "x", in), integer(c, 1, "k", 0), boolean(c, 2, "sorted", true));
    return Outs{values, indices};
  };
  t["segment_sum"] = [](const PyCall& c, const Inputs& in) {
    return Outs{ops::segment_sum(arg(c, 0, "data", in), arg(c, 1, "segment_ids", in),
                                 opt_integer(c, 2, "num_segments"))};
  };
  add_shape_and_reduction_ops(t);
  return t;
}

}  // namespace

const std::map<std::string, FixtureOp>& fixture_ops() {
  static const std::map<std::string, FixtureOp> table = make_table();
  return table;
}

}  // namespace keras::testing
