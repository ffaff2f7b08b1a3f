// keras::utils's data helpers: to_categorical, pad_sequences, timeseries_dataset_from_array.
#include "keras/data/utils.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "keras/core/errors.hpp"
#include "keras/ops/ops.hpp"

namespace keras::utils {

Tensor to_categorical(const Tensor& x, std::optional<int64_t> num_classes) {
  if (!x.defined() || x.is_symbolic())
    throw ValueError("to_categorical: `x` must be a concrete tensor of class ids");
  if (!is_integer(x.dtype()))
    throw TypeError("to_categorical: `x` must hold integer class ids, got dtype " +
                    std::string(dtype_name(x.dtype())));
  Tensor ids = x;
  if (x.ndim() > 1 && x.shape()[x.ndim() - 1] == 1)
    ids = ops::reshape(x, Shape(x.shape().begin(), x.shape().end() - 1));
  int64_t classes = 0;
  if (num_classes) {
    classes = *num_classes;
  } else if (ids.size() > 0) {
    classes = ops::max(ids).item<int64_t>() + 1;
  }
  if (classes < 1)
    throw ValueError("to_categorical: `num_classes` must be >= 1, got " + std::to_string(classes));
  if (ids.size() > 0 &&
      (ops::min(ids).item<int64_t>() < 0 || ops::max(ids).item<int64_t>() >= classes))
    throw ValueError("to_categorical: class ids must be in [0, " + std::to_string(classes) +
                     "), got values from " + std::to_string(ops::min(ids).item<int64_t>()) +
                     " to " + std::to_string(ops::max(ids).item<int64_t>()));
  return ops::one_hot(ids, classes);
}

Tensor pad_sequences(const std::vector<std::vector<double>>& sequences,
                     PadSequencesOptions options) {
  for (const std::string* o : {&options.padding, &options.truncating})
    if (*o != "pre" && *o != "post")
      throw ValueError(std::string("pad_sequences: `") +
                       (o == &options.padding ? "padding" : "truncating") +
                       "` must be \"pre\" or \"post\", got \"" + *o + "\"");
  int64_t maxlen = 0;
  if (options.maxlen) {
    maxlen = *options.maxlen;
    if (maxlen < 0)
      throw ValueError("pad_sequences: `maxlen` must be >= 0, got " + std::to_string(maxlen));
  } else {
    for (const auto& s : sequences)
      maxlen = std::max<int64_t>(maxlen, static_cast<int64_t>(s.size()));
  }
  const auto n = static_cast<int64_t>(sequences.size());
  std::vector<double> out(static_cast<size_t>(n * maxlen), options.value);
  for (int64_t i = 0; i < n; ++i) {
    const std::vector<double>& s = sequences[static_cast<size_t>(i)];
    const auto len = static_cast<int64_t>(s.size());
    int64_t keep = std::min(len, maxlen);
    auto from = s.begin() + (options.truncating == "pre" ? len - keep : 0);
    auto to = out.begin() + i * maxlen + (options.padding == "pre" ? maxlen - keep : 0);
    std::copy(from, from + keep, to);
  }
  return ops::convert_to_tensor(out, Shape{n, maxlen}, {.dtype = options.dtype});
}

data::Dataset timeseries_dataset_from_array(const Tensor& data, const Tensor& targets,
                                            int64_t sequence_length, TimeseriesOptions o) {
  const char* fn = "timeseries_dataset_from_array";
  auto fail = [&](const std::string& what) { throw ValueError(std::string(fn) + ": " + what); };
  if (!data.defined() || data.is_symbolic() || data.ndim() == 0)
    fail("`data` must be a concrete tensor with a time axis first");
  const int64_t n = data.shape()[0];
  const std::string of_length = ", for data of length " + std::to_string(n);
  if (targets.defined() && (targets.is_symbolic() || targets.ndim() == 0))
    fail("`targets` must be a concrete tensor with a time axis first");
  // Keras's checks, including its treating of a zero start_index / end_index as not given.
  int64_t start = o.start_index.value_or(0), end = o.end_index.value_or(n);
  if (start) {
    if (start < 0)
      fail("`start_index` must be 0 or greater. Received: start_index=" + std::to_string(start));
    if (start >= n)
      fail("`start_index` must be lower than the length of the data. Received: start_index=" +
           std::to_string(start) + of_length);
  }
  if (o.end_index && *o.end_index) {
    if (start && end <= start)
      fail("`end_index` must be higher than `start_index`. Received: start_index=" +
           std::to_string(start) + ", and end_index=" + std::to_string(end));
    if (end >= n)
      fail("`end_index` must be lower than the length of the data. Received: end_index=" +
           std::to_string(end) + of_length);
    if (end <= 0)
      fail("`end_index` must be higher than 0. Received: end_index=" + std::to_string(end));
  }
  if (o.end_index && *o.end_index == 0) end = n;
  if (sequence_length <= 0)
    fail("`sequence_length` must be higher than 0. Received: sequence_length=" +
         std::to_string(sequence_length));
  if (o.sampling_rate <= 0)
    fail("`sampling_rate` must be higher than 0. Received: sampling_rate=" +
         std::to_string(o.sampling_rate));
  if (o.sampling_rate >= n)
    fail("`sampling_rate` must be lower than the length of the data. Received: sampling_rate=" +
         std::to_string(o.sampling_rate) + of_length);
  if (o.sequence_stride <= 0)
    fail("`sequence_stride` must be higher than 0. Received: sequence_stride=" +
         std::to_string(o.sequence_stride));
  if (o.sequence_stride >= n)
    fail("`sequence_stride` must be lower than the length of the data. Received: sequence_stride=" +
         std::to_string(o.sequence_stride) + of_length);
  if (o.batch_size && *o.batch_size < 1)
    fail("`batch_size` must be >= 1, got " + std::to_string(*o.batch_size));

  int64_t num_seqs = end - start - (sequence_length - 1) * o.sampling_rate;
  if (targets.defined()) num_seqs = std::min(num_seqs, targets.shape()[0]);
  std::vector<int64_t> positions;
  for (int64_t p = 0; p < num_seqs; p += o.sequence_stride) positions.push_back(start + p);
  if (targets.defined() && !positions.empty() && positions.back() >= targets.shape()[0])
    fail("`targets` has " + std::to_string(targets.shape()[0]) +
         " time steps but the window "
         "starting at " +
         std::to_string(positions.back()) + " needs its target");
  uint64_t seed = o.seed ? *o.seed : std::random_device{}();
  if (o.shuffle) std::shuffle(positions.begin(), positions.end(), std::mt19937_64(seed));
  const auto count = static_cast<int64_t>(positions.size());
  std::string backend(data.backend_name());
  Tensor starts = ops::convert_to_tensor(positions, Shape{count}, {.backend = backend});
  // Offsets of a window's time steps from its start.
  std::vector<int64_t> steps(static_cast<size_t>(sequence_length));
  for (int64_t k = 0; k < sequence_length; ++k) steps[static_cast<size_t>(k)] = k * o.sampling_rate;
  Tensor offsets = ops::convert_to_tensor(steps, Shape{sequence_length}, {.backend = backend});

  data::Dataset ds = data::Dataset::from_tensor_slices({starts});
  const bool batched = o.batch_size.has_value();
  if (batched) {
    if (o.shuffle) ds = ds.shuffle(*o.batch_size * 8, seed);  // Keras shuffles locally too
    ds = ds.batch(*o.batch_size);
  }
  // Window rows: starts (batch,) or () plus offsets (sequence_length,).
  return ds.map([data, targets, offsets, batched](const data::Element& e) {
    Tensor rows = ops::add(batched ? ops::expand_dims(e[0], 1) : e[0], offsets);
    data::Element out{ops::take(data, rows, 0)};
    if (targets.defined()) out.push_back(ops::take(targets, e[0], 0));
    return out;
  });
}

namespace {

// Keras's _rescale_dataset_split_sizes: counts from sizes and checks, with its messages.
std::pair<int64_t, int64_t> split_sizes(const std::optional<SplitSize>& left,
                                        const std::optional<SplitSize>& right, int64_t total) {
  auto fail = [](const std::string& m) { throw ValueError("split_dataset: " + m); };
  if (!left && !right) fail("you must specify either `left_size` or `right_size`");
  if (left && right && left->value() == 0 && right->value() == 0)
    fail(
        "both `left_size` and `right_size` are zero. At least one of the split sizes must be "
        "non-zero.");
  auto check = [&](const std::optional<SplitSize>& s, const char* side) {
    if (!s) return;
    bool bad = s->is_fraction() ? (s->value() <= 0 || s->value() >= 1)
                                : (s->value() <= 0 || s->value() >= static_cast<double>(total));
    if (bad)
      fail(std::string("`") + side + "_size` should be either a positive integer smaller than " +
           std::to_string(total) + ", or a float within the range `[0, 1]`. Received: " + side +
           "_size=" + std::to_string(s->value()));
  };
  check(left, "left");
  check(right, "right");
  if (left && right && left->is_fraction() && right->is_fraction() &&
      left->value() + right->value() > 1)
    fail(
        "the sum of `left_size` and `right_size` is greater than 1. It must be less than or "
        "equal to 1.");
  // Fractions round half to even, as Python's round().
  auto count = [&](const SplitSize& s) {
    return s.is_fraction()
               ? static_cast<int64_t>(std::nearbyint(s.value() * static_cast<double>(total)))
               : static_cast<int64_t>(s.value());
  };
  int64_t l = left ? count(*left) : total - count(*right);
  int64_t r = right ? count(*right) : total - l;
  if (l + r > total)
    fail("the sum of `left_size` and `right_size` should be smaller than the " +
         std::to_string(total) + ". Received: left_size + right_size = " + std::to_string(l + r) +
         " and total_length = " + std::to_string(total));
  for (auto [size, side] : {std::pair{l, "left"}, std::pair{r, "right"}})
    if (size == 0)
      fail("with `dataset` of length=" + std::to_string(total) + ", `left_size`=" +
           std::to_string(l) + " and `right_size`=" + std::to_string(r) + ". Resulting " + side +
           " side dataset split will be empty. Adjust any of the aforementioned parameters");
  return {l, r};
}

// Elements [begin, end) of `elements` stacked into from_tensor_slices.
data::Dataset stacked(const std::vector<data::Element>& elements, size_t begin, size_t end) {
  data::Element components;
  for (size_t c = 0; c < elements[begin].size(); ++c) {
    std::vector<Tensor> parts;
    for (size_t i = begin; i < end; ++i) {
      if (elements[i].size() != elements[begin].size() ||
          elements[i][c].shape() != elements[begin][c].shape())
        throw ValueError("split_dataset: element " + std::to_string(i) +
                         " does not have the "
                         "shapes of element " +
                         std::to_string(begin) +
                         "; the elements must "
                         "have the same shapes to be split");
      parts.push_back(elements[i][c]);
    }
    components.push_back(ops::stack(parts, 0));
  }
  return data::Dataset::from_tensor_slices(components);
}

}  // namespace

std::pair<data::Dataset, data::Dataset> split_dataset(const data::Dataset& dataset,
                                                      SplitDatasetOptions options) {
  if (dataset.cardinality() == data::INFINITE_CARDINALITY)
    throw ValueError("split_dataset: the dataset is endless (repeat()); it must be finite");
  std::vector<data::Element> elements;
  for (const data::Element& e : dataset) elements.push_back(e);
  if (elements.empty()) throw ValueError("split_dataset: the dataset is empty");
  if (options.shuffle) {
    uint64_t seed = options.seed ? *options.seed : std::random_device{}();
    std::shuffle(elements.begin(), elements.end(), std::mt19937_64(seed));
  }
  auto total = static_cast<int64_t>(elements.size());
  auto [left, right] = split_sizes(options.left_size, options.right_size, total);
  return {stacked(elements, 0, static_cast<size_t>(left)),
          stacked(elements, static_cast<size_t>(total - right), static_cast<size_t>(total))};
}

std::pair<data::Dataset, data::Dataset> split_dataset(const data::Element& arrays,
                                                      SplitDatasetOptions options) {
  return split_dataset(data::Dataset::from_tensor_slices(arrays), std::move(options));
}

}  // namespace keras::utils
