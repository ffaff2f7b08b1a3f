// The element-wise and pass-shaping transformations: map (one thread), filter, shuffle, repeat,
// take, skip, cache.
#include <atomic>
#include <mutex>
#include <random>

#include "data/data_impl.hpp"
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
  return make_dataset(
      [=] {
        uint64_t pass = reshuffle_each_iteration ? (*passes)++ : 0;
        std::seed_seq seq{static_cast<uint32_t>(base), static_cast<uint32_t>(base >> 32),
                          static_cast<uint32_t>(pass), static_cast<uint32_t>(pass >> 32)};
        auto rng = std::make_shared<std::mt19937_64>(seq);
        std::shared_ptr<Iterator> in = input->iterate();
        auto buffer = std::make_shared<std::vector<Element>>();
        return make_iterator([=, filled = false]() mutable -> std::optional<Element> {
          if (!filled) {
            while (static_cast<int64_t>(buffer->size()) < buffer_size) {
              std::optional<Element> e = in->next();
              if (!e) break;
              buffer->push_back(std::move(*e));
            }
            filled = true;
          }
          if (buffer->empty()) return std::nullopt;
          std::uniform_int_distribution<size_t> pick(0, buffer->size() - 1);
          size_t i = pick(*rng);
          Element out = std::move((*buffer)[i]);
          if (std::optional<Element> e = in->next()) {
            (*buffer)[i] = std::move(*e);
          } else {
            (*buffer)[i] = std::move(buffer->back());
            buffer->pop_back();
          }
          return out;
        });
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
