// The element-wise and pass-shaping transformations: map (one thread), filter, shuffle, repeat,
// take, skip, cache.
#include <atomic>
#include <mutex>
#include <random>

#include "data/data_impl.hpp"
#include "data/rows.hpp"
#include "data/threads.hpp"
#include "keras/data/dataset.hpp"
#include "keras/random/seed_generator.hpp"

namespace keras::data {

using detail::for_element;
using detail::make_dataset;
using detail::make_iterator;

Dataset Dataset::map(std::function<Element(const Element&)> fn, int num_parallel_calls) const {
  if (!fn) throw ValueError("Dataset.map: the function is empty");
  int threads = detail::resolve_autotune(num_parallel_calls);
  if (threads < 1)
    throw ValueError("Dataset.map: num_parallel_calls must be >= 1 or AUTOTUNE, got " +
                     std::to_string(num_parallel_calls));
  std::shared_ptr<const DatasetImpl> input = impl_;
  if (threads > 1)
    return make_dataset(
        [input, fn, threads] { return detail::parallel_map(input->iterate(), fn, threads); },
        cardinality());
  return make_dataset(
      [input, fn] {
        std::shared_ptr<Iterator> in = input->iterate();
        return make_iterator([in, fn, i = int64_t{0}]() mutable -> std::optional<Element> {
          std::optional<Element> e = in->next();
          if (!e) return std::nullopt;
          return for_element("Dataset.map", i++, [&] { return fn(*e); });
        });
      },
      cardinality());
}

Dataset Dataset::filter(std::function<bool(const Element&)> predicate) const {
  if (!predicate) throw ValueError("Dataset.filter: the predicate is empty");
  std::shared_ptr<const DatasetImpl> input = impl_;
  int64_t n = cardinality();
  return make_dataset(
      [input, predicate] {
        std::shared_ptr<Iterator> in = input->iterate();
        return make_iterator([in, predicate, i = int64_t{0}]() mutable -> std::optional<Element> {
          while (std::optional<Element> e = in->next())
            if (for_element("Dataset.filter", i++, [&] { return predicate(*e); })) return e;
          return std::nullopt;
        });
      },
      n == INFINITE_CARDINALITY ? n : UNKNOWN_CARDINALITY);
}

namespace {

// A dataset over the rows of `rows` in the order `reorder` makes of each of its passes' orders
// (take, skip and repeat of a RowsDataset stay one, so batch() can still cut whole batches).
Dataset reordered(const std::shared_ptr<const DatasetImpl>& input, const detail::RowsDataset& rows,
                  std::function<std::vector<int64_t>(const detail::RowsDataset&)> reorder,
                  int64_t cardinality) {
  auto order = [input, &rows, reorder] { return reorder(rows); };
  return Dataset(std::make_shared<detail::RowsDataset>(rows.components(), order, cardinality));
}

// The seed of an unseeded shuffle: from set_random_seed and how many came before, else random.
uint64_t unseeded_shuffle_seed() {
  static std::atomic<uint64_t> count{0};
  uint64_t k = count++;
  if (std::optional<int64_t> global = random::get_random_seed())
    return static_cast<uint64_t>(*global) * 0x9e3779b97f4a7c15ULL + k * 0xbf58476d1ce4e5b9ULL + 1;
  return std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32);
}

}  // namespace

Dataset Dataset::shuffle(int64_t buffer_size, std::optional<uint64_t> seed,
                         bool reshuffle_each_iteration) const {
  if (buffer_size < 1)
    throw ValueError("Dataset.shuffle: buffer_size must be >= 1, got " +
                     std::to_string(buffer_size));
  std::shared_ptr<const DatasetImpl> input = impl_;
  uint64_t base = seed ? *seed : unseeded_shuffle_seed();
  auto passes = std::make_shared<std::atomic<uint64_t>>(0);
  auto next_rng = [=] {
    return detail::pass_rng(base, reshuffle_each_iteration ? (*passes)++ : 0);
  };
  if (const detail::RowsDataset* rows = detail::rows_of(*this))
    // The same buffer over the row order: the elements the generic path would give.
    return reordered(
        impl_, *rows,
        [buffer_size, next_rng](const detail::RowsDataset& r) {
          std::vector<int64_t> in = r.order(), out;
          out.reserve(in.size());
          detail::ShuffleBuffer<int64_t> buffer(buffer_size, next_rng());
          size_t i = 0;
          auto next = [&]() -> std::optional<int64_t> {
            return i < in.size() ? std::optional<int64_t>(in[i++]) : std::nullopt;
          };
          while (std::optional<int64_t> row = buffer.pop(next)) out.push_back(*row);
          return out;
        },
        cardinality());
  return make_dataset(
      [=] {
        std::shared_ptr<Iterator> in = input->iterate();
        auto buffer = std::make_shared<detail::ShuffleBuffer<Element>>(buffer_size, next_rng());
        return make_iterator([in, buffer]() { return buffer->pop([&] { return in->next(); }); });
      },
      cardinality());
}

Dataset Dataset::repeat(std::optional<int64_t> count) const {
  int64_t times = count.value_or(-1);
  if (times < -1)
    throw ValueError("Dataset.repeat: count must be >= -1 (-1 or none: forever), got " +
                     std::to_string(times));
  std::shared_ptr<const DatasetImpl> input = impl_;
  int64_t n = cardinality();
  int64_t out = n;
  if (n == 0 || times == 0)
    out = 0;
  else if (times == -1)
    out = n == UNKNOWN_CARDINALITY ? n : INFINITE_CARDINALITY;
  else if (n >= 0)
    out = n * times;
  if (const detail::RowsDataset* rows = detail::rows_of(*this); rows && times >= 0)
    return reordered(
        impl_, *rows,
        [times](const detail::RowsDataset& r) {
          std::vector<int64_t> all;
          for (int64_t k = 0; k < times; ++k) {
            std::vector<int64_t> pass = r.order();
            all.insert(all.end(), pass.begin(), pass.end());
          }
          return all;
        },
        out);
  return make_dataset(
      [input, times] {
        return make_iterator([input, times, pass = int64_t{0}, in = std::shared_ptr<Iterator>(),
                              seen = false]() mutable -> std::optional<Element> {
          while (times == -1 || pass < times) {
            if (!in) {
              in = input->iterate();
              seen = false;
            }
            if (std::optional<Element> e = in->next()) {
              seen = true;
              return e;
            }
            in.reset();
            ++pass;
            if (!seen) break;  // an empty pass: every later one is empty too
          }
          return std::nullopt;
        });
      },
      out);
}

Dataset Dataset::take(int64_t count) const {
  if (count < -1)
    throw ValueError("Dataset.take: count must be >= -1 (-1: all), got " + std::to_string(count));
  std::shared_ptr<const DatasetImpl> input = impl_;
  int64_t n = cardinality();
  int64_t out = count == -1                 ? n
                : n == INFINITE_CARDINALITY ? count
                : n == UNKNOWN_CARDINALITY  ? n
                                            : std::min(n, count);
  if (const detail::RowsDataset* rows = detail::rows_of(*this))
    return reordered(
        impl_, *rows,
        [count](const detail::RowsDataset& r) {
          std::vector<int64_t> order = r.order();
          if (count != -1 && static_cast<int64_t>(order.size()) > count)
            order.resize(static_cast<size_t>(count));
          return order;
        },
        out);
  return make_dataset(
      [input, count] {
        std::shared_ptr<Iterator> in = input->iterate();
        return make_iterator([in, count, i = int64_t{0}]() mutable -> std::optional<Element> {
          if (count != -1 && i >= count) return std::nullopt;
          ++i;
          return in->next();
        });
      },
      out);
}

Dataset Dataset::skip(int64_t count) const {
  if (count < -1)
    throw ValueError("Dataset.skip: count must be >= -1 (-1: all), got " + std::to_string(count));
  std::shared_ptr<const DatasetImpl> input = impl_;
  int64_t n = cardinality();
  int64_t out = n < 0 ? n : count == -1 ? 0 : std::max<int64_t>(0, n - count);
  if (count == -1 && n == INFINITE_CARDINALITY)
    throw ValueError("Dataset.skip: skipping every element of an endless dataset never ends");
  if (const detail::RowsDataset* rows = detail::rows_of(*this))
    return reordered(
        impl_, *rows,
        [count](const detail::RowsDataset& r) {
          std::vector<int64_t> order = r.order();
          size_t k =
              count == -1 ? order.size() : std::min(order.size(), static_cast<size_t>(count));
          order.erase(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k));
          return order;
        },
        out);
  return make_dataset(
      [input, count] {
        std::shared_ptr<Iterator> in = input->iterate();
        return make_iterator([in, count, skipped = false]() mutable -> std::optional<Element> {
          if (!skipped) {
            skipped = true;
            for (int64_t i = 0; count == -1 || i < count; ++i)
              if (!in->next()) return std::nullopt;
          }
          return in->next();
        });
      },
      out);
}

Dataset Dataset::cache() const {
  struct Cache {
    std::mutex mutex;
    std::shared_ptr<const std::vector<Element>> elements;  // set by the first complete pass
  };
  std::shared_ptr<const DatasetImpl> input = impl_;
  if (cardinality() == INFINITE_CARDINALITY)
    throw ValueError(
        "Dataset.cache: the dataset is endless, so no pass completes (cache before "
        "repeat())");
  auto cache = std::make_shared<Cache>();
  return make_dataset(
      [input, cache] {
        std::shared_ptr<const std::vector<Element>> done;
        {
          std::lock_guard lock(cache->mutex);
          done = cache->elements;
        }
        if (done)
          return make_iterator([done, i = size_t{0}]() mutable -> std::optional<Element> {
            if (i >= done->size()) return std::nullopt;
            return (*done)[i++];
          });
        std::shared_ptr<Iterator> in = input->iterate();
        auto seen = std::make_shared<std::vector<Element>>();
        return make_iterator([in, cache, seen]() -> std::optional<Element> {
          if (std::optional<Element> e = in->next()) {
            seen->push_back(*e);
            return e;
          }
          std::lock_guard lock(cache->mutex);
          if (!cache->elements) cache->elements = std::move(seen);
          return std::nullopt;
        });
      },
      cardinality());
}

}  // namespace keras::data
