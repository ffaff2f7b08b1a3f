#pragma once
// keras::data::Dataset: an input pipeline with tf.data's vocabulary (docs/data.md). A dataset is
// an immutable description of a stream of elements; each pass over it (a `for` loop, an epoch of
// `fit`) makes a fresh iterator. Sources slice tensors or call a generator; transformations map,
// filter, shuffle, batch, repeat, take, skip, zip, cache and prefetch, on worker threads where
// asked. Passes are deterministic for a seed.
//
//   auto ds = data::Dataset::from_tensor_slices({x, y})
//                 .shuffle(1024, /*seed=*/1)
//                 .batch(128)
//                 .prefetch(data::AUTOTUNE);
//   model.fit(ds, {.epochs = 3});
//   for (const data::Element& batch : ds) { ... }  // batch[0]: x rows, batch[1]: y rows
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras::utils {
class PyDataset;
}

namespace keras::data {

// One element: its components in order, tf.data's tuple; fit reads (x, y) or (x, y,
// sample_weight), with one x per model input and one y per output. A batch is an element whose
// components have a leading batch dimension.
using Element = std::vector<Tensor>;

// cardinality() of an endless dataset, and of one whose length is not known without a pass.
inline constexpr int64_t INFINITE_CARDINALITY = -1;
inline constexpr int64_t UNKNOWN_CARDINALITY = -2;
// num_parallel_calls / prefetch buffer_size: as many as the machine has cores.
inline constexpr int AUTOTUNE = -1;

// One pass over a dataset's elements.
class Iterator {
 public:
  virtual ~Iterator() = default;
  // The next element, or nullopt when the pass is over.
  virtual std::optional<Element> next() = 0;
};

// What a dataset is made of: sources and transformations implement it (src/data/).
class DatasetImpl {
 public:
  virtual ~DatasetImpl() = default;
  // A new pass. Datasets are shared between passes and threads: iterate() must be thread-safe.
  virtual std::unique_ptr<Iterator> iterate() const = 0;
  virtual int64_t cardinality() const = 0;
};

struct PaddedBatchOptions {
  // Per component, the shape each element is padded to without the batch dimension; -1 (or no
  // entry) pads that dimension to the batch's longest. Empty: every dimension to the longest.
  std::vector<std::vector<int64_t>> padded_shapes;
  // Per component, the padding value; empty: 0 for every component.
  std::vector<double> padding_values;
  bool drop_remainder = false;
};

class Dataset {
 public:
  explicit Dataset(std::shared_ptr<const DatasetImpl> impl);

  // ---- sources ----
  // Element i holds row i of each component (all components have the same first dimension).
  static Dataset from_tensor_slices(const Element& components);
  // One element: the components whole.
  static Dataset from_tensors(const Element& components);
  // Each pass calls `make` for a generator and pulls elements from it until it returns nullopt
  // (Python's generator function and generator).
  using Generator = std::function<std::optional<Element>()>;
  static Dataset from_generator(std::function<Generator()> make);
  // A user's utils::PyDataset (keras/data/py_dataset.hpp): element i is its batch i, made on its
  // worker threads; `shuffle` draws a new batch order each pass (fit does so itself when its
  // `shuffle` option is on, as Keras does for a PyDataset).
  static Dataset from_py_dataset(std::shared_ptr<utils::PyDataset> source, bool shuffle = false,
                                 std::optional<uint64_t> seed = std::nullopt);
  // Elements made of the datasets' elements side by side (their components concatenated); as
  // long as the shortest.
  static Dataset zip(const std::vector<Dataset>& datasets);

  // ---- transformations ----
  // `fn` on each element; with num_parallel_calls > 1 (or AUTOTUNE) on that many worker threads,
  // the order kept. An exception from `fn` reaches the caller naming the element's index.
  Dataset map(std::function<Element(const Element&)> fn, int num_parallel_calls = 1) const;
  Dataset filter(std::function<bool(const Element&)> predicate) const;
  // A random element of a buffer of `buffer_size`, refilled from the input (tf.data's algorithm;
  // a buffer as large as the dataset shuffles it uniformly). Without a seed, the order follows
  // keras::random::set_random_seed, or is nondeterministic when none was set.
  Dataset shuffle(int64_t buffer_size, std::optional<uint64_t> seed = std::nullopt,
                  bool reshuffle_each_iteration = true) const;
  // Stacks `batch_size` consecutive elements (the last batch may be smaller unless
  // drop_remainder). Components must have the same shape in every element: padded_batch pads.
  Dataset batch(int64_t batch_size, bool drop_remainder = false) const;
  Dataset padded_batch(int64_t batch_size, PaddedBatchOptions options = {}) const;
  // The dataset `count` times; no count: forever.
  Dataset repeat(std::optional<int64_t> count = std::nullopt) const;
  Dataset take(int64_t count) const;
  Dataset skip(int64_t count) const;
  // Keeps the first complete pass in memory; later passes replay it.
  Dataset cache() const;
  // Runs the pipeline up to here on a background thread, `buffer_size` elements ahead (AUTOTUNE:
  // 2).
  Dataset prefetch(int buffer_size) const;

  // ---- passes ----
  // The number of elements, or INFINITE_CARDINALITY / UNKNOWN_CARDINALITY.
  int64_t cardinality() const;
  std::unique_ptr<Iterator> iterator() const;
  const std::shared_ptr<const DatasetImpl>& impl() const { return impl_; }

  // Range-for support: `for (const Element& e : dataset)` makes one pass.
  class PassIterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Element;
    using difference_type = std::ptrdiff_t;
    using pointer = const Element*;
    using reference = const Element&;
    PassIterator() = default;
    explicit PassIterator(std::shared_ptr<Iterator> pass);
    const Element& operator*() const { return *current_; }
    const Element* operator->() const { return &*current_; }
    PassIterator& operator++();
    bool operator==(const PassIterator& other) const { return done() == other.done(); }

   private:
    bool done() const { return !current_.has_value(); }
    std::shared_ptr<Iterator> pass_;
    std::optional<Element> current_;
  };
  PassIterator begin() const;
  PassIterator end() const { return {}; }

 private:
  std::shared_ptr<const DatasetImpl> impl_;
};

}  // namespace keras::data
