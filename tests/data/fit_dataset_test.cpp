// fit / evaluate / predict on a keras::data::Dataset: the same numbers as on the same tensors in
// the same batches, streaming with bounded memory, and clear errors for elements that do not fit.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <fstream>
#include <string>
#include <vector>

#include "keras/data/dataset.hpp"
#include "keras/keras.hpp"
#include "testing/backends.hpp"

namespace keras {
namespace {

using data::Dataset;
using data::Element;
namespace L = keras::layers;

class FitDatasetTest : public testing::BackendTest {};

Sequential make_model() {
  random::set_random_seed(3);
  Sequential model({Input({4}), L::Dense({.units = 8, .activation = "relu"}),
                    L::Dense({.units = 3, .activation = "softmax"})});
  model.compile(
      {.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  return model;
}

struct Data {
  Tensor x = random::normal({64, 4}, {.seed = 1});
  Tensor y = random::randint({64}, 0, 3, {.seed = 2});
  Tensor w = random::uniform({64}, {.seed = 4});
};

void expect_same_weights(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(a[i].to_vector<double>(), b[i].to_vector<double>()) << "weight " << i;
}

TEST_P(FitDatasetTest, FitEvaluatePredictMatchTheSameTensorsInTheSameBatches) {
  Data d;
  Sequential on_tensors = make_model();
  History h1 = on_tensors.fit(d.x, d.y,
                              {.batch_size = 16,
                               .epochs = 3,
                               .verbose = 0,
                               .validation_data = std::make_pair(d.x, d.y),
                               .shuffle = false});
  Sequential on_dataset = make_model();
  Dataset train = Dataset::from_tensor_slices({d.x, d.y}).batch(16).prefetch(2);
  History h2 = on_dataset.fit(train, {.epochs = 3, .verbose = 0, .validation_data = train});
  EXPECT_EQ(h1.history, h2.history);
  expect_same_weights(on_tensors.get_weights(), on_dataset.get_weights());
  EXPECT_EQ(on_tensors.evaluate(d.x, d.y, {.batch_size = 16, .verbose = 0}),
            on_dataset.evaluate(train, {.verbose = 0}));
  std::vector<Tensor> predicted = on_dataset.predict(Dataset::from_tensor_slices({d.x}).batch(10));
  ASSERT_EQ(predicted.size(), 1u);
  EXPECT_EQ(predicted[0].to_vector<double>(),
            on_tensors.predict(d.x, {.batch_size = 10}).to_vector<double>());
  // predict ignores the targets of (x, y) elements, as Keras does.
  EXPECT_EQ(on_dataset.predict(train)[0].shape(), Shape({64, 3}));
}

TEST_P(FitDatasetTest, SampleWeightsAreTheThirdComponent) {
  Data d;
  Sequential on_tensors = make_model();
  on_tensors.fit(
      d.x, d.y,
      {.batch_size = 16, .epochs = 2, .verbose = 0, .shuffle = false, .sample_weight = d.w});
  Sequential on_dataset = make_model();
  on_dataset.fit(Dataset::from_tensor_slices({d.x, d.y, d.w}).batch(16),
                 {.epochs = 2, .verbose = 0});
  expect_same_weights(on_tensors.get_weights(), on_dataset.get_weights());
}

TEST_P(FitDatasetTest, MultiInputModelsTakeOneComponentPerInput) {
  random::set_random_seed(5);
  Tensor a = Input({2}), b = Input({3});
  Tensor out = L::Dense({.units = 1})(L::Concatenate()({a, b}));
  Model model({a, b}, {out});
  model.compile({.optimizer = "sgd", .loss = "mse"});
  Tensor xa = random::normal({12, 2}, {.seed = 1}), xb = random::normal({12, 3}, {.seed = 2});
  Tensor y = random::normal({12, 1}, {.seed = 3});
  History h =
      model.fit(Dataset::from_tensor_slices({xa, xb, y}).batch(4), {.epochs = 2, .verbose = 0});
  EXPECT_EQ(h.history["loss"].size(), 2u);
  EXPECT_EQ(model.predict(Dataset::from_tensor_slices({xa, xb}).batch(5))[0].shape(),
            Shape({12, 1}));
  try {
    model.fit(Dataset::from_tensor_slices({xa, y}).batch(4), {.verbose = 0});
    ADD_FAILURE() << "no error";
  } catch (const ValueError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("2 components"), std::string::npos) << m;
    EXPECT_NE(m.find("2 input(s)"), std::string::npos) << m;
  }
}

TEST_P(FitDatasetTest, StepsPerEpochGoesOnAcrossEpochs) {
  Data d;
  auto pulled = std::make_shared<std::atomic<int>>(0);
  Dataset counted =
      Dataset::from_tensor_slices({d.x, d.y}).batch(8).map([pulled](const Element& e) {
        ++*pulled;
        return e;
      });
  Sequential model = make_model();
  model.fit(counted.repeat(), {.epochs = 3, .verbose = 0, .steps_per_epoch = 5});
  EXPECT_EQ(pulled->load(), 15);
  // Without steps_per_epoch an endless dataset has no epochs.
  EXPECT_THROW(model.fit(counted.repeat(), {.verbose = 0}), ValueError);
  EXPECT_THROW(model.evaluate(counted.repeat(), {.verbose = 0}), ValueError);
  EXPECT_EQ(model.evaluate(counted.repeat(), {.verbose = 0, .steps = 2}).count("loss"), 1u);
  // Running out before steps_per_epoch ends the epoch (with a warning) rather than failing.
  pulled->store(0);
  model.fit(counted, {.epochs = 3, .verbose = 0, .steps_per_epoch = 5});
  EXPECT_EQ(pulled->load(), 13);  // 5, then 3 (ran out: the epoch ends), then a new pass: 5
}

TEST_P(FitDatasetTest, ArgumentsThatDoNotApplyToDatasetsAreRefused) {
  Data d;
  Sequential model = make_model();
  Dataset ds = Dataset::from_tensor_slices({d.x, d.y}).batch(16);
  EXPECT_THROW(model.fit(ds, {.verbose = 0, .validation_split = 0.2}), ValueError);
  EXPECT_THROW(model.fit(ds, {.verbose = 0, .sample_weight = d.w}), ValueError);
  // Unbatched elements (no batch dimension in a scalar label).
  EXPECT_THROW(model.fit(Dataset::from_tensor_slices({d.x, d.y}), {.verbose = 0}), ValueError);
  EXPECT_THROW(model.fit(ds.take(0), {.verbose = 0}), ValueError);
}

// The process's resident memory in bytes (Linux).
int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

TEST_P(FitDatasetTest, AGeneratorDatasetStreamsWithFlatMemory) {
  // 400 batches of 256 x 1024 float32 (1 MiB each): 400 MiB through fit, never all in memory.
  const int batches = 400;
  Dataset stream = Dataset::from_generator([] {
    return Dataset::Generator([i = 0]() mutable -> std::optional<Element> {
      if (i >= batches) return std::nullopt;
      ++i;
      return Element{random::normal({256, 1024}), random::randint({256}, 0, 10)};
    });
  });
  random::set_random_seed(1);
  Sequential model({Input({1024}), L::Dense({.units = 10, .activation = "softmax"})});
  model.compile({.optimizer = "sgd", .loss = "sparse_categorical_crossentropy"});
  std::vector<int64_t> rss;
  auto record = std::make_shared<callbacks::LambdaCallback>(callbacks::LambdaCallbackOptions{
      .on_train_batch_end = [&](int64_t, Logs&) { rss.push_back(resident_bytes()); }});
  model.fit(stream.prefetch(4), {.verbose = 0, .callbacks = {record}});
  ASSERT_EQ(rss.size(), static_cast<size_t>(batches));
  int64_t low = *std::min_element(rss.begin() + 50, rss.end());
  int64_t high = *std::max_element(rss.begin() + 50, rss.end());
  EXPECT_LT(high - low, int64_t{64} << 20)
      << "resident memory grew by " << (high - low) / (1 << 20) << " MiB over 350 batches of 1 MiB";
}

KERAS_INSTANTIATE_BACKEND_TEST(FitDatasetTest);

}  // namespace
}  // namespace keras
