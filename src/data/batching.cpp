// Dataset.batch and Dataset.padded_batch: consecutive elements stacked along a new first axis.
#include <algorithm>

#include "data/data_impl.hpp"
#include "data/rows.hpp"
#include "keras/data/dataset.hpp"
#include "keras/ops/ops.hpp"

namespace keras::data {

namespace {

// Element `first + i`'s component `c` does not go with element `first`'s: `why`.
[[noreturn]] void mismatch(const char* what, const std::vector<Element>& elements, size_t c,
                           int64_t first, size_t i, const char* why) {
  throw ValueError(std::string(what) + ": element " + std::to_string(first + i) + "'s component " +
                   std::to_string(c) + " is " + elements[i][c].to_string() + " but element " +
                   std::to_string(first) + "'s is " + elements[0][c].to_string() + "; " + why);
}

// The elements' component `c` stacked; `first` is the first element's index in the pass.
Tensor stack_component(const char* what, const std::vector<Element>& elements, size_t c,
                       int64_t first) {
  std::vector<Tensor> parts;
  parts.reserve(elements.size());
  const Tensor& head = elements[0][c];
  for (size_t i = 0; i < elements.size(); ++i) {
    const Tensor& t = elements[i][c];
    if (t.shape() != head.shape() || t.dtype() != head.dtype())
      mismatch(what, elements, c, first, i, "elements of different shapes need padded_batch");
    parts.push_back(t);
  }
  return ops::stack(parts, 0);
}

void check_components(const char* what, const std::vector<Element>& elements, int64_t first) {
  for (size_t i = 1; i < elements.size(); ++i)
    if (elements[i].size() != elements[0].size())
      throw ValueError(std::string(what) + ": element " + std::to_string(first + i) + " has " +
                       std::to_string(elements[i].size()) + " components, element " +
                       std::to_string(first) + " has " + std::to_string(elements[0].size()));
}

int64_t batch_cardinality(int64_t n, int64_t batch_size, bool drop_remainder) {
  return n < 0 ? n : drop_remainder ? n / batch_size : (n + batch_size - 1) / batch_size;
}

using MakeBatch = std::function<Element(const std::vector<Element>&, int64_t first)>;

// Groups of `batch_size` elements through `make_batch`.
Dataset batched(const std::shared_ptr<const DatasetImpl>& input, int64_t batch_size,
                bool drop_remainder, MakeBatch make_batch) {
  return detail::make_dataset(
      [=] {
        std::shared_ptr<Iterator> in = input->iterate();
        return detail::make_iterator([=, first = int64_t{0}]() mutable -> std::optional<Element> {
          std::vector<Element> elements;
          while (static_cast<int64_t>(elements.size()) < batch_size) {
            std::optional<Element> e = in->next();
            if (!e) break;
            elements.push_back(std::move(*e));
          }
          int64_t start = first;
          first += static_cast<int64_t>(elements.size());
          if (elements.empty() ||
              (drop_remainder && static_cast<int64_t>(elements.size()) < batch_size))
            return std::nullopt;
          return make_batch(elements, start);
        });
      },
      batch_cardinality(input->cardinality(), batch_size, drop_remainder));
}

void check_batch_size(const char* what, int64_t batch_size) {
  if (batch_size < 1)
    throw ValueError(std::string(what) + ": batch_size must be >= 1, got " +
                     std::to_string(batch_size));
}

}  // namespace

Dataset Dataset::batch(int64_t batch_size, bool drop_remainder) const {
  check_batch_size("Dataset.batch", batch_size);
  if (const detail::RowsDataset* rows = detail::rows_of(*this)) {
    // Rows of tensors: each batch is one slice or gather per component.
    return detail::make_dataset(
        [input = impl_, rows, batch_size, drop_remainder] {
          auto order = std::make_shared<std::vector<int64_t>>(rows->order());
          return detail::make_iterator([input, rows, order, batch_size, drop_remainder,
                                        pos = size_t{0}]() mutable -> std::optional<Element> {
            size_t count = std::min(static_cast<size_t>(batch_size), order->size() - pos);
            if (count == 0 || (drop_remainder && count < static_cast<size_t>(batch_size)))
              return std::nullopt;
            Element batch = detail::take_rows(rows->components(), order->data() + pos,
                                              static_cast<int64_t>(count));
            pos += count;
            return batch;
          });
        },
        batch_cardinality(cardinality(), batch_size, drop_remainder));
  }
  return batched(impl_, batch_size, drop_remainder,
                 [](const std::vector<Element>& elements, int64_t first) {
                   check_components("Dataset.batch", elements, first);
                   Element out;
                   for (size_t c = 0; c < elements[0].size(); ++c)
                     out.push_back(stack_component("Dataset.batch", elements, c, first));
                   return out;
                 });
}

Dataset Dataset::padded_batch(int64_t batch_size, PaddedBatchOptions options) const {
  const char* what = "Dataset.padded_batch";
  check_batch_size(what, batch_size);
  auto pad_component = [options, what](const std::vector<Element>& elements, size_t c,
                                       int64_t first) {
    const Tensor& head = elements[0][c];
    // The padded shape: the given size, else the batch's longest, per dimension.
    Shape target = head.shape();
    for (size_t i = 0; i < elements.size(); ++i) {
      const Tensor& t = elements[i][c];
      if (t.ndim() != head.ndim() || t.dtype() != head.dtype())
        mismatch(what, elements, c, first, i, "padding needs the same rank and dtype");
      for (int d = 0; d < t.ndim(); ++d) target[d] = std::max(target[d], t.shape()[d]);
    }
    if (c < options.padded_shapes.size()) {
      const std::vector<int64_t>& given = options.padded_shapes[c];
      if (static_cast<int>(given.size()) != head.ndim())
        throw ValueError(std::string(what) + ": padded_shapes[" + std::to_string(c) + "] has " +
                         std::to_string(given.size()) + " dimensions, the component has " +
                         std::to_string(head.ndim()) + " (" + head.shape().to_string() + ")");
      for (int d = 0; d < head.ndim(); ++d) {
        if (given[d] < 0) continue;
        if (given[d] < target[d])
          throw ValueError(std::string(what) + ": component " + std::to_string(c) + " of the " +
                           "batch from element " + std::to_string(first) + " is " +
                           std::to_string(target[d]) + " long in dimension " + std::to_string(d) +
                           ", more than padded_shapes[" + std::to_string(c) + "] allows (" +
                           std::to_string(given[d]) + ")");
        target[d] = given[d];
      }
    }
    double value = c < options.padding_values.size() ? options.padding_values[c] : 0.0;
    Tensor fill = ops::convert_to_tensor(
        std::vector<double>{value}, Shape{},
        {.dtype = head.dtype(), .backend = std::string(head.backend_name())});
    std::vector<Tensor> parts;
    for (const Element& e : elements) {
      const Tensor& t = e[c];
      std::vector<std::pair<int64_t, int64_t>> widths;
      bool pad = false;
      for (int d = 0; d < t.ndim(); ++d) {
        widths.emplace_back(0, target[d] - t.shape()[d]);
        pad = pad || target[d] != t.shape()[d];
      }
      parts.push_back(pad ? ops::pad(t, widths, "constant", fill) : t);
    }
    return ops::stack(parts, 0);
  };
  return batched(impl_, batch_size, options.drop_remainder,
                 [pad_component, what](const std::vector<Element>& elements, int64_t first) {
                   check_components(what, elements, first);
                   Element out;
                   for (size_t c = 0; c < elements[0].size(); ++c)
                     out.push_back(pad_component(elements, c, first));
                   return out;
                 });
}

}  // namespace keras::data
