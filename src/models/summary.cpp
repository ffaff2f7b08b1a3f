// Model.summary(): Keras 3's table (keras/src/utils/summary_utils.py).
#include <cstdio>
#include <iostream>
#include <sstream>

#include "keras/models/sequential.hpp"
#include "utils/memory_size.hpp"

namespace keras {
namespace {

std::string with_commas(int64_t n) {
  std::string digits = std::to_string(n), out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count && count % 3 == 0 && *it != '-') out.insert(out.begin(), ',');
    out.insert(out.begin(), *it);
    ++count;
  }
  return out;
}

// Display width of a UTF-8 string (every code point counts as one column here).
size_t width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string pad(const std::string& s, size_t w, bool right) {
  size_t sw = width(s);
  if (sw >= w) return s;
  return right ? std::string(w - sw, ' ') + s : s + std::string(w - sw, ' ');
}

std::string repeat(const std::string& unit, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += unit;
  return out;
}

std::string shape_text(const std::vector<Shape>& shapes) {
  if (shapes.size() == 1) return shapes[0].to_string();
  std::string s = "[";
  for (size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shapes[i].to_string();
  return s + "]";
}

}  // namespace

std::vector<ModelImpl::SummaryRow> ModelImpl::summary_rows() const {
  std::vector<SummaryRow> rows;
  if (!is_functional()) {
    for (const Layer& l : layers())
      rows.push_back({l->name() + " (" + l->class_name() + ")", "?", l->count_params(), ""});
    return rows;
  }
  for (const Layer& l : layers()) {
    std::vector<Shape> shapes;
    std::string connected;
    for (const auto& node : graph_nodes_) {
      if (node->layer != l.ptr()) continue;
      if (shapes.empty()) shapes = node->output_shapes;
      for (const Tensor& t : node->inputs) {
        const KerasHistory* h = keras_history(t);
        if (!connected.empty()) connected += ", ";
        connected += h->node->layer->name() + "[0][" + std::to_string(h->tensor_index) + "]";
      }
    }
    rows.push_back({l->name() + " (" + l->class_name() + ")", shape_text(shapes), l->count_params(),
                    connected.empty() ? "-" : connected});
  }
  return rows;
}

std::vector<ModelImpl::SummaryRow> SequentialImpl::summary_rows() const {
  std::vector<SummaryRow> rows;
  bool known = input_layer_ || !build_shapes().empty();
  Tensor x;
  if (input_layer_)
    x = Tensor::symbolic(input_layer_->batch_shape(), compute_dtype());
  else if (known)
    x = Tensor::symbolic(build_shapes()[0], compute_dtype());
  for (const auto& l : stack_) {
    std::string shape = "?";
    if (known) {
      std::vector<Shape> out = l->compute_output_shape(std::vector<Shape>{x.shape()});
      shape = shape_text(out);
      x = Tensor::symbolic(out[0], compute_dtype());
    }
    rows.push_back({l->name() + " (" + l->class_name() + ")", shape, l->count_params(), ""});
  }
  return rows;
}

void ModelImpl::summary(std::ostream& out) const {
  std::vector<SummaryRow> rows = summary_rows();
  bool connected = is_functional();
  std::vector<size_t> widths =
      connected ? std::vector<size_t>{31, 22, 11, 22} : std::vector<size_t>{31, 22, 13};
  std::vector<std::string> headers = {"Layer (type)", "Output Shape", "Param #"};
  if (connected) headers.push_back("Connected to");
  for (const SummaryRow& r : rows) {
    widths[0] = std::max(widths[0], width(r.label));
    widths[1] = std::max(widths[1], width(r.output_shape));
    if (connected) widths[3] = std::max(widths[3], width(r.connected_to));
  }
  auto line = [&](const char* left, const char* fill, const char* mid, const char* right) {
    std::string s = left;
    for (size_t i = 0; i < widths.size(); ++i) {
      s += repeat(fill, widths[i] + 2);
      s += i + 1 < widths.size() ? mid : right;
    }
    return s + "\n";
  };
  auto row = [&](const std::vector<std::string>& cells, const char* sep) {
    std::string s = sep;
    for (size_t i = 0; i < widths.size(); ++i)
      s += " " + pad(cells[i], widths[i], i == 2) + " " + sep;
    return s + "\n";
  };
  out << "Model: \"" << name() << "\"\n";
  out << line("┏", "━", "┳", "┓");
  out << row(headers, "┃");
  out << line("┡", "━", "╇", "┩");
  for (size_t i = 0; i < rows.size(); ++i) {
    std::vector<std::string> cells = {rows[i].label, rows[i].output_shape,
                                      with_commas(rows[i].params)};
    if (connected) cells.push_back(rows[i].connected_to);
    out << row(cells, "│");
    if (i + 1 < rows.size()) out << line("├", "─", "┼", "┤");
  }
  out << line("└", "─", "┴", "┘");
  int64_t trainable = 0, non_trainable = 0;
  double trainable_bytes = 0, non_trainable_bytes = 0;
  for (const Variable& v : trainable_weights()) {
    trainable += v.shape().num_elements();
    trainable_bytes += static_cast<double>(v.shape().num_elements() * dtype_size(v.dtype()));
  }
  for (const Variable& v : non_trainable_weights()) {
    non_trainable += v.shape().num_elements();
    non_trainable_bytes += static_cast<double>(v.shape().num_elements() * dtype_size(v.dtype()));
  }
  out << " Total params: " << with_commas(trainable + non_trainable) << " ("
      << utils::readable_memory_size(trainable_bytes + non_trainable_bytes) << ")\n";
  out << " Trainable params: " << with_commas(trainable) << " ("
      << utils::readable_memory_size(trainable_bytes) << ")\n";
  out << " Non-trainable params: " << with_commas(non_trainable) << " ("
      << utils::readable_memory_size(non_trainable_bytes) << ")\n";
  out.flush();
}

void ModelImpl::summary() const { summary(std::cout); }

}  // namespace keras
