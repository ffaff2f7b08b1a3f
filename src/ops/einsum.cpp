// einsum (keras/src/ops/numpy.py), NumPy notation with "...", repeated labels (diagonals) and the
// implicit output. Built from diagonal/sum/transpose/reshape/matmul, so it is differentiable to
// any order: repeated labels within an operand become diagonals, labels used by one operand only
// are summed away, then operands are contracted left to right, each pair as one batched matmul.
#include <algorithm>
#include <cctype>
#include <map>

#include "ops/numpy_shape_util.hpp"

namespace keras::ops {

using namespace detail;

namespace {

constexpr int kEllipsisLabel = 1000;  // "..." dims get labels kEllipsisLabel + i

struct Parsed {
  std::vector<std::vector<int>> inputs;
  std::vector<int> output;
};

std::string label_str(int label) {
  if (label >= kEllipsisLabel) return "...";
  return std::string(1, static_cast<char>(label));
}

// One term's labels; `dims` is the operand's rank, or -1 for the output term.
std::vector<int> parse_term(const std::string& term, int dims, int ellipsis_dims, size_t index,
                            const std::string& subscripts) {
  std::vector<int> labels;
  int letters = 0;
  bool ellipsis = false;
  for (size_t i = 0; i < term.size(); ++i) {
    char c = term[i];
    if (c == '.') {
      if (ellipsis || term.compare(i, 3, "...") != 0)
        throw ValueError("ops::einsum: invalid \"...\" in subscripts \"" + subscripts + "\"");
      ellipsis = true;
      labels.push_back(-1);  // placeholder, expanded below
      i += 2;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      labels.push_back(c);
      ++letters;
    } else {
      throw ValueError("ops::einsum: invalid character '" + std::string(1, c) +
                       "' in subscripts \"" + subscripts + "\"");
    }
  }
  int own = dims < 0 ? ellipsis_dims : dims - letters;
  if (dims >= 0 && (own < 0 || (!ellipsis && own != 0)))
    throw ValueError("ops::einsum: subscripts \"" + term + "\" for operand " +
                     std::to_string(index) + " do not match its rank " + std::to_string(dims));
  std::vector<int> out;
  for (int l : labels) {
    if (l != -1) {
      out.push_back(l);
      continue;
    }
    // Ellipsis dims align from the right across operands, as broadcasting does.
    for (int j = 0; j < own; ++j) out.push_back(kEllipsisLabel + ellipsis_dims - own + j);
  }
  return out;
}

Parsed parse(const std::string& raw, const std::vector<Tensor>& operands) {
  std::string s;
  for (char c : raw)
    if (c != ' ') s += c;
  size_t arrow = s.find("->");
  std::string lhs = s.substr(0, arrow);
  std::vector<std::string> terms;
  size_t start = 0;
  while (true) {
    size_t comma = lhs.find(',', start);
    terms.push_back(lhs.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (terms.size() != operands.size())
    throw ValueError("ops::einsum: subscripts \"" + raw + "\" name " +
                     std::to_string(terms.size()) + " operands but " +
                     std::to_string(operands.size()) + " were given");
  int ellipsis_dims = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    int letters = 0;
    for (char c : terms[i]) letters += std::isalpha(static_cast<unsigned char>(c)) ? 1 : 0;
    if (terms[i].find("...") != std::string::npos)
      ellipsis_dims = std::max(ellipsis_dims, operands[i].ndim() - letters);
  }
  Parsed p;
  for (size_t i = 0; i < terms.size(); ++i)
    p.inputs.push_back(parse_term(terms[i], operands[i].ndim(), ellipsis_dims, i, raw));
  if (arrow != std::string::npos) {
    std::string rhs = s.substr(arrow + 2);
    p.output = parse_term(rhs, -1, ellipsis_dims, 0, raw);
    if (ellipsis_dims > 0 && rhs.find("...") == std::string::npos)
      throw ValueError("ops::einsum: the output of \"" + raw +
                       "\" must contain \"...\" to keep the broadcast dimensions");
    for (size_t i = 0; i < p.output.size(); ++i) {
      int l = p.output[i];
      if (std::count(p.output.begin(), p.output.end(), l) > 1)
        throw ValueError("ops::einsum: output subscript '" + label_str(l) +
                         "' appears twice in \"" + raw + "\"");
      bool found = false;
      for (const auto& in : p.inputs) found = found || std::count(in.begin(), in.end(), l) > 0;
      if (!found)
        throw ValueError("ops::einsum: output subscript '" + label_str(l) +
                         "' never appears in an input of \"" + raw + "\"");
    }
  } else {
    // Implicit output: the broadcast dims, then the letters used exactly once, sorted.
    std::map<int, int> counts;
    for (const auto& in : p.inputs)
      for (int l : in) ++counts[l];
    for (int j = 0; j < ellipsis_dims; ++j) p.output.push_back(kEllipsisLabel + j);
    for (auto [l, c] : counts)
      if (l < kEllipsisLabel && c == 1) p.output.push_back(l);
  }
  return p;
}

bool contains(const std::vector<int>& v, int l) {
  return std::find(v.begin(), v.end(), l) != v.end();
}

std::vector<int64_t> positions(const std::vector<int>& labels, const std::vector<int>& order) {
  std::vector<int64_t> out;
  for (int l : order) out.push_back(std::find(labels.begin(), labels.end(), l) - labels.begin());
  return out;
}

// Sums the axes of t whose labels are not in `keep`.
void sum_unused(Tensor& t, std::vector<int>& labels, const std::vector<int>& keep) {
  std::vector<int64_t> axes;
  std::vector<int> rest;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (contains(keep, labels[i]))
      rest.push_back(labels[i]);
    else
      axes.push_back(static_cast<int64_t>(i));
  }
  if (axes.empty()) return;
  t = sum(t, {.axis = axes});
  labels = rest;
}

int64_t size_of(const Tensor& t, const std::vector<int>& labels, int l) {
  return t.shape()[positions(labels, {l})[0]];
}

// Broadcasts size-1 axes of a and b whose label has a larger size in the other operand.
void match_sizes(Tensor& a, const std::vector<int>& la, Tensor& b, const std::vector<int>& lb,
                 const std::string& subscripts) {
  Shape sa = a.shape(), sb = b.shape();
  for (size_t i = 0; i < la.size(); ++i) {
    if (!contains(lb, la[i])) continue;
    size_t j = positions(lb, {la[i]})[0];
    if (sa[i] == sb[j]) continue;
    if (sa[i] == 1)
      sa[i] = sb[j];
    else if (sb[j] == 1)
      sb[j] = sa[i];
    else
      throw ValueError("ops::einsum: subscript '" + label_str(la[i]) + "' has sizes " +
                       std::to_string(sa[i]) + " and " + std::to_string(sb[j]) + " in \"" +
                       subscripts + "\"");
  }
  a = broadcast_to(a, sa);
  b = broadcast_to(b, sb);
}

// Contracts a and b: labels in both and in `keep` are batch dims, in both and not kept are summed.
Tensor contract(const Tensor& a0, std::vector<int>& la, const Tensor& b0,
                const std::vector<int>& lb, const std::vector<int>& keep,
                const std::string& subscripts) {
  Tensor a = a0, b = b0;
  match_sizes(a, la, b, lb, subscripts);
  std::vector<int> batch, free_a, free_b, summed;
  for (int l : la) {
    if (contains(lb, l))
      (contains(keep, l) ? batch : summed).push_back(l);
    else
      free_a.push_back(l);
  }
  for (int l : lb)
    if (!contains(la, l)) free_b.push_back(l);
  auto dims = [](const Tensor& t, const std::vector<int>& labels, const std::vector<int>& which) {
    int64_t n = 1;
    for (int l : which) n *= size_of(t, labels, l);
    return n;
  };
  int64_t nb = dims(a, la, batch), nfa = dims(a, la, free_a), nfb = dims(b, lb, free_b),
          nc = dims(a, la, summed);
  std::vector<int> order_a = batch, order_b = batch;
  order_a.insert(order_a.end(), free_a.begin(), free_a.end());
  order_a.insert(order_a.end(), summed.begin(), summed.end());
  order_b.insert(order_b.end(), summed.begin(), summed.end());
  order_b.insert(order_b.end(), free_b.begin(), free_b.end());
  Tensor ma = reshape_to("einsum", transpose(a, positions(la, order_a)), Shape{nb, nfa, nc});
  Tensor mb = reshape_to("einsum", transpose(b, positions(lb, order_b)), Shape{nb, nc, nfb});
  Shape out;
  std::vector<int> labels = batch;
  labels.insert(labels.end(), free_a.begin(), free_a.end());
  labels.insert(labels.end(), free_b.begin(), free_b.end());
  for (int l : batch) out.push_back(size_of(a, la, l));
  for (int l : free_a) out.push_back(size_of(a, la, l));
  for (int l : free_b) out.push_back(size_of(b, lb, l));
  la = labels;
  return reshape_to("einsum", matmul(ma, mb), out);
}

}  // namespace

Tensor einsum(const std::string& subscripts, const std::vector<Tensor>& operands) {
  if (operands.empty()) throw ValueError("ops::einsum: at least one operand is required");
  for (size_t i = 0; i < operands.size(); ++i)
    require_defined("einsum", operands[i], ("operands[" + std::to_string(i) + "]").c_str());
  Parsed p = parse(subscripts, operands);
  bool all_int8 = true;
  for (const Tensor& t : operands) all_int8 = all_int8 && t.dtype() == DType::Int8;
  DType dtype = all_int8 ? DType::Int32 : promote(operands);

  // Label sizes (size-1 dims broadcast), checked before any work; also the symbolic result.
  std::map<int, int64_t> sizes;
  for (size_t i = 0; i < operands.size(); ++i)
    for (size_t j = 0; j < p.inputs[i].size(); ++j) {
      int l = p.inputs[i][j];
      int64_t d = operands[i].shape()[j];
      auto it = sizes.find(l);
      if (it == sizes.end() || it->second == 1 || it->second == Shape::kNone)
        sizes[l] = d;
      else if (d != 1 && d != Shape::kNone && d != it->second)
        throw ValueError("ops::einsum: subscript '" + label_str(l) + "' has sizes " +
                         std::to_string(it->second) + " and " + std::to_string(d) + " (operand " +
                         std::to_string(i) + " of shape " + shape_str(operands[i]) + ") in \"" +
                         subscripts + "\"");
    }
  Shape out;
  for (int l : p.output) out.push_back(sizes[l]);
  if (any_symbolic(operands)) return Tensor::symbolic(out, dtype);

  std::vector<Tensor> ts;
  std::vector<std::vector<int>> labels = p.inputs;
  for (size_t i = 0; i < operands.size(); ++i) {
    Tensor t = cast(operands[i], dtype);
    std::vector<int>& ls = labels[i];
    // Repeated labels within an operand: take the diagonal (it moves to the last axis).
    for (size_t a = 0; a < ls.size(); ++a)
      for (size_t b = a + 1; b < ls.size(); ++b) {
        if (ls[a] != ls[b]) continue;
        if (t.shape()[a] != t.shape()[b])
          throw ValueError("ops::einsum: repeated subscript '" + label_str(ls[a]) +
                           "' of operand " + std::to_string(i) + " has sizes " +
                           std::to_string(t.shape()[a]) + " and " + std::to_string(t.shape()[b]));
        t = diagonal(t, 0, static_cast<int64_t>(a), static_cast<int64_t>(b));
        int l = ls[a];
        ls.erase(ls.begin() + b);
        ls.erase(ls.begin() + a);
        ls.push_back(l);
        a = static_cast<size_t>(-1);  // restart the scan
        break;
      }
    ts.push_back(t);
  }
  // Labels each operand still needs: the output's and those of the other operands.
  auto needed = [&](size_t except_from, size_t except_to) {
    std::vector<int> keep = p.output;
    for (size_t j = 0; j < labels.size(); ++j)
      if (j < except_from || j > except_to)
        keep.insert(keep.end(), labels[j].begin(), labels[j].end());
    return keep;
  };
  for (size_t i = 0; i < ts.size(); ++i) sum_unused(ts[i], labels[i], needed(i, i));
  Tensor cur = ts[0];
  std::vector<int> cur_labels = labels[0];
  for (size_t i = 1; i < ts.size(); ++i) {
    std::vector<int> keep = needed(0, i);
    sum_unused(cur, cur_labels, [&] {
      std::vector<int> k = keep;
      k.insert(k.end(), labels[i].begin(), labels[i].end());
      return k;
    }());
    cur = contract(cur, cur_labels, ts[i], labels[i], keep, subscripts);
  }
  sum_unused(cur, cur_labels, p.output);
  // Labels of size-1-broadcast dims that only the output has are already in place; order them.
  cur = transpose(cur, positions(cur_labels, p.output));
  if (cur.shape() != out) cur = broadcast_to(cur, out);
  return cast(cur, dtype);
}

}  // namespace keras::ops
