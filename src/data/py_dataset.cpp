// Dataset::from_py_dataset: a user's utils::PyDataset as a dataset, batch i = get(i), on its
// worker threads when it asks for several.
#include "data/py_dataset.hpp"

#include <algorithm>
#include <numeric>
#include <random>

#include "data/data_impl.hpp"
#include "data/rows.hpp"
#include "data/threads.hpp"
#include "keras/ops/ops.hpp"

namespace keras::data {

namespace detail {

PyDatasetSource::PyDatasetSource(std::shared_ptr<utils::PyDataset> source, bool shuffle,
                                 uint64_t seed)
    : source_(std::move(source)), shuffle_(shuffle), seed_(seed) {
  const utils::PyDatasetOptions& o = source_->options();
  if (o.workers < 1)
    throw ValueError("PyDataset: `workers` must be >= 1, got " + std::to_string(o.workers));
  if (o.max_queue_size < 1)
    throw ValueError("PyDataset: `max_queue_size` must be >= 1, got " +
                     std::to_string(o.max_queue_size));
}

int64_t PyDatasetSource::cardinality() const { return std::max<int64_t>(source_->size(), 0); }

Dataset PyDatasetSource::shuffled(uint64_t seed) const {
  return Dataset(std::make_shared<PyDatasetSource>(source_, true, seed));
}

std::unique_ptr<Iterator> PyDatasetSource::iterate() const {
  int64_t n = source_->size();
  if (n < 0) throw ValueError("PyDataset: size() returned " + std::to_string(n));
  auto order = std::make_shared<std::vector<int64_t>>(static_cast<size_t>(n));
  std::iota(order->begin(), order->end(), int64_t{0});
  if (shuffle_) {
    std::mt19937_64 rng = pass_rng(seed_, passes_++);
    std::shuffle(order->begin(), order->end(), rng);
  }
  std::shared_ptr<utils::PyDataset> source = source_;
  source->on_epoch_begin();
  const utils::PyDatasetOptions& o = source->options();
  std::shared_ptr<Iterator> batches;
  if (o.workers > 1) {
    // The batch indices as scalar tensors, each turned into its batch by a worker.
    auto indices = make_iterator([order, i = size_t{0}]() mutable -> std::optional<Element> {
      if (i >= order->size()) return std::nullopt;
      return Element{
          ops::convert_to_tensor(std::vector<int64_t>{(*order)[i++]}, Shape{}, {.backend = "cpu"})};
    });
    batches = parallel_map(
        std::move(indices),
        [source](const Element& e) {
          int64_t index = e[0].item<int64_t>();
          return for_element("PyDataset.get", index, [&] { return source->get(index); });
        },
        o.workers, /*what=*/nullptr, o.max_queue_size);
  } else {
    batches = make_iterator([source, order, i = size_t{0}]() mutable -> std::optional<Element> {
      if (i >= order->size()) return std::nullopt;
      int64_t index = (*order)[i++];
      return for_element("PyDataset.get", index, [&] { return source->get(index); });
    });
  }
  return make_iterator([source, batches, ended = false]() mutable -> std::optional<Element> {
    std::optional<Element> e = batches->next();
    if (!e && !ended) {
      ended = true;
      source->on_epoch_end();
    }
    return e;
  });
}

}  // namespace detail

Dataset Dataset::from_py_dataset(std::shared_ptr<utils::PyDataset> source, bool shuffle,
                                 std::optional<uint64_t> seed) {
  if (!source) throw ValueError("Dataset.from_py_dataset: the PyDataset is null");
  uint64_t base = seed ? *seed : std::random_device{}();
  return Dataset(std::make_shared<detail::PyDatasetSource>(std::move(source), shuffle, base));
}

}  // namespace keras::data
