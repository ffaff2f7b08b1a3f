#pragma once
// Datasets whose elements are rows of tensors: from_tensor_slices, and what shuffle, take, skip
// and a finite repeat make of one. They know each pass's row order up front, so batch() can cut
// a batch as one slice or gather per component instead of stacking row after row (the same
// elements, 100x fewer ops). Anything else (map, filter, ...) makes an ordinary dataset.
#include <functional>
#include <memory>
#include <random>
#include <vector>

#include "keras/data/dataset.hpp"

namespace keras::data::detail {

class RowsDataset final : public DatasetImpl {
 public:
  // A pass's row order; each call makes a new pass (shuffles draw a new order).
  using Order = std::function<std::vector<int64_t>()>;
  RowsDataset(Element components, Order order, int64_t cardinality)
      : components_(std::move(components)), order_(std::move(order)), cardinality_(cardinality) {}
  std::unique_ptr<Iterator> iterate() const override;
  int64_t cardinality() const override { return cardinality_; }
  const Element& components() const { return components_; }
  std::vector<int64_t> order() const { return order_(); }

 private:
  Element components_;
  Order order_;
  int64_t cardinality_;
};

// The RowsDataset behind `dataset`, or null.
inline const RowsDataset* rows_of(const Dataset& dataset) {
  return dynamic_cast<const RowsDataset*>(dataset.impl().get());
}

// Rows `rows` of each component, stacked: a slice where they are consecutive, else a gather.
Element take_rows(const Element& components, const int64_t* rows, int64_t count);

// The random number generator of a shuffle's pass `pass` from its base seed.
std::mt19937_64 pass_rng(uint64_t base, uint64_t pass);

// tf.data's shuffle buffer over a stream: fill `buffer_size` items, then repeatedly hand out a
// random one and put the next input in its place. Both shuffles (of elements, of row orders) use
// it, so a pipeline gives the same order whichever path it takes.
template <class T>
class ShuffleBuffer {
 public:
  ShuffleBuffer(int64_t buffer_size, std::mt19937_64 rng)
      : buffer_size_(buffer_size), rng_(std::move(rng)) {}
  // `next()` gives the input's next item or nullopt at its end.
  template <class Next>
  std::optional<T> pop(Next&& next) {
    if (!filled_) {
      while (static_cast<int64_t>(buffer_.size()) < buffer_size_) {
        std::optional<T> item = next();
        if (!item) break;
        buffer_.push_back(std::move(*item));
      }
      filled_ = true;
    }
    if (buffer_.empty()) return std::nullopt;
    std::uniform_int_distribution<size_t> pick(0, buffer_.size() - 1);
    size_t i = pick(rng_);
    T out = std::move(buffer_[i]);
    if (std::optional<T> item = next()) {
      buffer_[i] = std::move(*item);
    } else {
      buffer_[i] = std::move(buffer_.back());
      buffer_.pop_back();
    }
    return out;
  }

 private:
  int64_t buffer_size_;
  std::mt19937_64 rng_;
  std::vector<T> buffer_;
  bool filled_ = false;
};

}  // namespace keras::data::detail
