// RowsDataset: element-by-element passes and whole-batch row cuts (src/data/rows.hpp).
#include "data/rows.hpp"

#include "data/data_impl.hpp"
#include "keras/ops/ops.hpp"

namespace keras::data::detail {

std::unique_ptr<Iterator> RowsDataset::iterate() const {
  auto rows = std::make_shared<std::vector<int64_t>>(order_());
  return make_iterator(
      [components = components_, rows, i = size_t{0}]() mutable -> std::optional<Element> {
        if (i >= rows->size()) return std::nullopt;
        Element e = take_rows(components, rows->data() + i++, 1);
        for (Tensor& t : e) t = ops::squeeze(t, 0);
        return e;
      });
}

Element take_rows(const Element& components, const int64_t* rows, int64_t count) {
  bool consecutive = true;
  for (int64_t i = 1; i < count && consecutive; ++i) consecutive = rows[i] == rows[0] + i;
  Element out;
  out.reserve(components.size());
  for (const Tensor& t : components) {
    if (consecutive) {
      std::vector<int64_t> start(t.ndim(), 0);
      start[0] = rows[0];
      Shape shape = t.shape();
      shape[0] = count;
      out.push_back(ops::slice(t, start, shape));
    } else {
      Tensor indices = ops::convert_to_tensor(std::vector<int64_t>(rows, rows + count),
                                              {.backend = std::string(t.backend_name())});
      out.push_back(ops::take(t, indices, 0));
    }
  }
  return out;
}

std::mt19937_64 pass_rng(uint64_t base, uint64_t pass) {
  std::seed_seq seq{static_cast<uint32_t>(base), static_cast<uint32_t>(base >> 32),
                    static_cast<uint32_t>(pass), static_cast<uint32_t>(pass >> 32)};
  return std::mt19937_64(seq);
}

}  // namespace keras::data::detail
