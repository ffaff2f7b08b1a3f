#pragma once
// keras.utils's helpers for preparing data (keras/src/utils/numerical_utils.py,
// sequence_utils.py, timeseries_dataset_utils.py), with Keras's names, defaults and checks.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/core/tensor.hpp"
#include "keras/data/dataset.hpp"

namespace keras::utils {

// One-hot float32 rows for integer class ids, shape x.shape + (num_classes,); a trailing
// dimension of 1 is dropped first (labels of shape (n, 1) give (n, num_classes)). Without
// num_classes: the largest id + 1.
Tensor to_categorical(const Tensor& x, std::optional<int64_t> num_classes = std::nullopt);

struct PadSequencesOptions {
  std::optional<int64_t> maxlen;  // default: the longest sequence
  DType dtype = DType::Int32;
  std::string padding = "pre";     // "pre" or "post": where the padding goes
  std::string truncating = "pre";  // "pre" or "post": which end of a long sequence is cut
  double value = 0.0;
};
// Sequences of different lengths as one (len(sequences), maxlen) tensor.
Tensor pad_sequences(const std::vector<std::vector<double>>& sequences,
                     PadSequencesOptions options = {});
template <class T>
Tensor pad_sequences(const std::vector<std::vector<T>>& sequences,
                     PadSequencesOptions options = {}) {
  std::vector<std::vector<double>> values;
  values.reserve(sequences.size());
  for (const auto& s : sequences) values.emplace_back(s.begin(), s.end());
  return pad_sequences(values, std::move(options));
}

struct TimeseriesOptions {
  int64_t sequence_stride = 1;              // between the starts of consecutive windows
  int64_t sampling_rate = 1;                // between the time steps of one window
  std::optional<int64_t> batch_size = 128;  // nullopt: unbatched windows
  bool shuffle = false;
  std::optional<uint64_t> seed;
  std::optional<int64_t> start_index;  // first time step used (default 0)
  std::optional<int64_t> end_index;    // one past the last (default: all)
};
// A dataset of sliding windows over `data`'s first axis: elements (windows, targets) where window
// i starts at time step start_index + i * sequence_stride and targets[start_index + i *
// sequence_stride] is its target; `targets` undefined gives the windows alone. Windows have
// shape (sequence_length, ...data's other dimensions), batched by batch_size.
data::Dataset timeseries_dataset_from_array(const Tensor& data, const Tensor& targets,
                                            int64_t sequence_length,
                                            TimeseriesOptions options = {});

// A split size as Keras takes it: an integer count of elements or a float fraction in (0, 1).
class SplitSize {
 public:
  SplitSize(int count) : SplitSize(static_cast<int64_t>(count)) {}                    // NOLINT
  SplitSize(int64_t count) : fraction_(false), value_(static_cast<double>(count)) {}  // NOLINT
  SplitSize(double fraction) : fraction_(true), value_(fraction) {}                   // NOLINT
  bool is_fraction() const { return fraction_; }
  double value() const { return value_; }

 private:
  bool fraction_;
  double value_;
};

struct SplitDatasetOptions {
  std::optional<SplitSize> left_size;   // at least one of the two
  std::optional<SplitSize> right_size;  // default: what left_size leaves
  bool shuffle = false;
  std::optional<uint64_t> seed;
};
// Keras's split_dataset: the dataset's elements (all of them, read into memory) in two datasets,
// the first left_size elements and the last right_size (after a shuffle if asked). Elements must
// have the same shapes: each side is from_tensor_slices of them stacked.
std::pair<data::Dataset, data::Dataset> split_dataset(const data::Dataset& dataset,
                                                      SplitDatasetOptions options);
// The same for tensors whose first axis is the element axis (from_tensor_slices(arrays)).
std::pair<data::Dataset, data::Dataset> split_dataset(const data::Element& arrays,
                                                      SplitDatasetOptions options);

}  // namespace keras::utils
