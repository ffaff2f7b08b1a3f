// keras::utils data helpers against Keras's documented examples and behaviour.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "keras/keras.hpp"
#include "testing/backends.hpp"

namespace keras {
namespace {

class DataUtilsTest : public testing::BackendTest {};

TEST_P(DataUtilsTest, ToCategorical) {
  Tensor y = ops::convert_to_tensor(std::vector<int32_t>{0, 2, 1, 3});
  Tensor one_hot = utils::to_categorical(y, 4);
  EXPECT_EQ(one_hot.shape(), Shape({4, 4}));
  EXPECT_EQ(one_hot.dtype(), DType::Float32);
  EXPECT_EQ(one_hot.to_vector<double>(),
            (std::vector<double>{1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1}));
  // (n, 1) labels lose their last dimension; the class count defaults to the largest id + 1.
  Tensor column = ops::reshape(y, {4, 1});
  EXPECT_EQ(utils::to_categorical(column).shape(), Shape({4, 4}));
  EXPECT_EQ(utils::to_categorical(ops::reshape(y, {2, 2}), 5).shape(), Shape({2, 2, 5}));
  EXPECT_THROW(utils::to_categorical(y, 3), ValueError);  // id 3 out of range
  EXPECT_THROW(utils::to_categorical(ops::ones({3})), TypeError);
}

TEST_P(DataUtilsTest, PadSequencesAsKerasDocuments) {
  std::vector<std::vector<int>> seqs{{1}, {2, 3}, {4, 5, 6}};
  Tensor pre = utils::pad_sequences(seqs);
  EXPECT_EQ(pre.dtype(), DType::Int32);
  EXPECT_EQ(pre.shape(), Shape({3, 3}));
  EXPECT_EQ(pre.to_vector<int>(), (std::vector<int>{0, 0, 1, 0, 2, 3, 4, 5, 6}));
  EXPECT_EQ(utils::pad_sequences(seqs, {.padding = "post"}).to_vector<int>(),
            (std::vector<int>{1, 0, 0, 2, 3, 0, 4, 5, 6}));
  EXPECT_EQ(utils::pad_sequences(seqs, {.maxlen = 2}).to_vector<int>(),
            (std::vector<int>{0, 1, 2, 3, 5, 6}));
  EXPECT_EQ(utils::pad_sequences(seqs, {.maxlen = 2, .truncating = "post"}).to_vector<int>(),
            (std::vector<int>{0, 1, 2, 3, 4, 5}));
  Tensor floats = utils::pad_sequences(std::vector<std::vector<double>>{{0.5}, {}},
                                       {.dtype = DType::Float32, .value = -1.0});
  EXPECT_EQ(floats.to_vector<double>(), (std::vector<double>{0.5, -1.0}));
  EXPECT_THROW(utils::pad_sequences(seqs, {.padding = "middle"}), ValueError);
}

TEST_P(DataUtilsTest, TimeseriesWindowsAsKerasDocuments) {
  // Keras's docstring: indices 0..98, sequence_length 10, sampling_rate 2, sequence_stride 3.
  std::vector<float> steps(99);
  for (int i = 0; i < 99; ++i) steps[i] = static_cast<float>(i);
  Tensor data = ops::convert_to_tensor(steps, Shape{99});
  data::Dataset ds = utils::timeseries_dataset_from_array(
      data, Tensor(), 10, {.sequence_stride = 3, .sampling_rate = 2, .batch_size = 4});
  std::vector<std::vector<double>> windows;
  for (const data::Element& batch : ds) {
    ASSERT_EQ(batch.size(), 1u);
    ASSERT_EQ(batch[0].ndim(), 2);
    std::vector<double> v = batch[0].to_vector<double>();
    for (int64_t r = 0; r < batch[0].shape()[0]; ++r)
      windows.emplace_back(v.begin() + r * 10, v.begin() + (r + 1) * 10);
  }
  ASSERT_EQ(windows.size(), 27u);
  EXPECT_EQ(windows[0], (std::vector<double>{0, 2, 4, 6, 8, 10, 12, 14, 16, 18}));
  EXPECT_EQ(windows[1], (std::vector<double>{3, 5, 7, 9, 11, 13, 15, 17, 19, 21}));
  EXPECT_EQ(windows[26], (std::vector<double>{78, 80, 82, 84, 86, 88, 90, 92, 94, 96}));

  // Targets: data[10:] for windows of data[:-10] (the docstring's forecasting example), with
  // features, start_index and shuffling.
  Tensor series =
      ops::reshape(ops::arange(ops::convert_to_tensor(std::vector<float>{0}, Shape{}),
                               ops::convert_to_tensor(std::vector<float>{200}, Shape{})),
                   {100, 2});
  Tensor inputs = ops::slice(series, {0, 0}, {90, 2});
  Tensor targets = ops::slice(series, {10, 0}, {90, 2});
  data::Dataset forecast = utils::timeseries_dataset_from_array(
      inputs, targets, 10, {.batch_size = 16, .shuffle = true, .seed = 3, .start_index = 5});
  int64_t seen = 0;
  for (const data::Element& batch : forecast) {
    ASSERT_EQ(batch.size(), 2u);
    EXPECT_EQ(batch[0].shape()[1], 10);
    EXPECT_EQ(batch[0].shape()[2], 2);
    std::vector<double> x = batch[0].to_vector<double>(), y = batch[1].to_vector<double>();
    for (int64_t r = 0; r < batch[0].shape()[0]; ++r) {
      double first = x[static_cast<size_t>(r * 20)];  // the window's first time step, feature 0
      EXPECT_EQ(y[static_cast<size_t>(r * 2)], first + 20) << "target = the step 10 later";
      EXPECT_GE(first, 10) << "start_index 5";
    }
    seen += batch[0].shape()[0];
  }
  EXPECT_EQ(seen, 90 - 5 - 9);
  EXPECT_THROW(utils::timeseries_dataset_from_array(data, Tensor(), 0), ValueError);
  EXPECT_THROW(utils::timeseries_dataset_from_array(data, Tensor(), 5, {.start_index = 99}),
               ValueError);
  EXPECT_THROW(utils::timeseries_dataset_from_array(data, Tensor(), 5, {.end_index = 99}),
               ValueError);
  EXPECT_THROW(utils::timeseries_dataset_from_array(data, Tensor(), 5, {.sampling_rate = 0}),
               ValueError);
}

TEST_P(DataUtilsTest, SplitDatasetAsKerasSizesIt) {
  Tensor x = ops::reshape(ops::convert_to_tensor(std::vector<float>(20, 1.0f)), {10, 2});
  x = ops::multiply(
      x, ops::expand_dims(ops::convert_to_tensor(std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}),
                          1));
  Tensor y = ops::convert_to_tensor(std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  auto rows = [](const data::Dataset& d) {
    std::vector<double> first;
    for (const data::Element& e : d) first.push_back(e[1].item<double>());
    return first;
  };
  auto [left, right] = utils::split_dataset(data::Element{x, y}, {.left_size = 0.8});
  EXPECT_EQ(rows(left), (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(rows(right), (std::vector<double>{8, 9}));
  EXPECT_EQ(left.cardinality(), 8);
  // An int count on the right; the left takes the rest. A dataset works as well as tensors.
  auto [l2, r2] =
      utils::split_dataset(data::Dataset::from_tensor_slices({x, y}), {.right_size = 3});
  EXPECT_EQ(rows(l2).size(), 7u);
  EXPECT_EQ(rows(r2), (std::vector<double>{7, 8, 9}));
  // Shuffled with a seed: a permutation split in two, the same for the same seed.
  auto [l3, r3] =
      utils::split_dataset(data::Element{x, y}, {.left_size = 5, .shuffle = true, .seed = 2});
  std::vector<double> all = rows(l3), right3 = rows(r3);
  all.insert(all.end(), right3.begin(), right3.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  auto [l4, r4] =
      utils::split_dataset(data::Element{x, y}, {.left_size = 5, .shuffle = true, .seed = 2});
  EXPECT_EQ(rows(l4), rows(l3));
  EXPECT_THROW(utils::split_dataset(data::Element{x, y}, {}), ValueError);
  EXPECT_THROW(utils::split_dataset(data::Element{x, y}, {.left_size = 1.5}), ValueError);
  EXPECT_THROW(utils::split_dataset(data::Element{x, y}, {.left_size = 10}), ValueError);
  EXPECT_THROW(utils::split_dataset(data::Element{x, y}, {.left_size = 0.7, .right_size = 0.5}),
               ValueError);
  EXPECT_THROW(utils::split_dataset(data::Element{x, y}, {.left_size = 6, .right_size = 6}),
               ValueError);
  EXPECT_THROW(utils::split_dataset(data::Element{x, y}, {.left_size = 0.01}),
               ValueError);  // 0 left
  EXPECT_THROW(
      utils::split_dataset(data::Dataset::from_tensor_slices({x}).repeat(), {.left_size = 0.5}),
      ValueError);
}

KERAS_INSTANTIATE_BACKEND_TEST(DataUtilsTest);

}  // namespace
}  // namespace keras
