// utils::PyDataset through Dataset::from_py_dataset: batches by index on worker threads, fit's
// shuffle of the batch order, the epoch hooks, errors naming the batch.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "keras/keras.hpp"
#include "testing/backends.hpp"

namespace keras {
namespace {

namespace L = keras::layers;
using data::Dataset;

class PyDatasetTest : public testing::BackendTest {};

// Batch i: rows [4i, 4i + 4) of x and y; records which batches were asked for.
class Rows : public utils::PyDataset {
 public:
  Rows(Tensor x, Tensor y, int workers) : PyDataset({.workers = workers}), x_(x), y_(y) {}
  int64_t size() const override { return x_.shape()[0] / 4; }
  data::Element get(int64_t index) override {
    if (index == fail_at) throw ValueError("cannot read batch");
    {
      std::lock_guard lock(mutex_);
      asked.push_back(index);
    }
    return {ops::slice(x_, {index * 4, 0}, {4, x_.shape()[1]}), ops::slice(y_, {index * 4}, {4})};
  }
  void on_epoch_begin() override { ++begins; }
  void on_epoch_end() override { ++ends; }
  std::vector<int64_t> asked;
  int begins = 0, ends = 0;
  int64_t fail_at = -1;

 private:
  Tensor x_, y_;
  std::mutex mutex_;
};

Sequential make_model() {
  random::set_random_seed(3);
  Sequential model({Input({3}), L::Dense({.units = 2, .activation = "softmax"})});
  model.compile({.optimizer = "sgd", .loss = "sparse_categorical_crossentropy"});
  return model;
}

TEST_P(PyDatasetTest, FitsAsTheSameTensorsOnAnyNumberOfWorkers) {
  Tensor x = random::normal({24, 3}, {.seed = 1});
  Tensor y = random::randint({24}, 0, 2, {.seed = 2});
  Sequential reference = make_model();
  reference.fit(x, y, {.batch_size = 4, .epochs = 2, .verbose = 0, .shuffle = false});
  for (int workers : {1, 3}) {
    auto rows = std::make_shared<Rows>(x, y, workers);
    Sequential model = make_model();
    model.fit(Dataset::from_py_dataset(rows), {.epochs = 2, .verbose = 0, .shuffle = false});
    std::vector<Tensor> a = reference.get_weights(), b = model.get_weights();
    for (size_t i = 0; i < a.size(); ++i)
      EXPECT_EQ(a[i].to_vector<double>(), b[i].to_vector<double>()) << workers << " workers";
    EXPECT_EQ(rows->begins, 2);
    EXPECT_EQ(rows->ends, 2);
    std::vector<Tensor> predicted = model.predict(Dataset::from_py_dataset(rows));
    EXPECT_EQ(predicted[0].to_vector<double>(), model.predict(x).to_vector<double>());
  }
}

TEST_P(PyDatasetTest, FitShufflesTheBatchOrderEachEpoch) {
  Tensor x = random::normal({40, 3}, {.seed = 1});
  Tensor y = random::randint({40}, 0, 2, {.seed = 2});
  auto rows = std::make_shared<Rows>(x, y, 1);
  Sequential model = make_model();
  model.fit(Dataset::from_py_dataset(rows), {.epochs = 2, .verbose = 0, .seed = 4});
  ASSERT_EQ(rows->asked.size(), 20u);
  std::vector<int64_t> first(rows->asked.begin(), rows->asked.begin() + 10),
      second(rows->asked.begin() + 10, rows->asked.end());
  EXPECT_NE(first, second);
  std::sort(first.begin(), first.end());
  std::sort(second.begin(), second.end());
  std::vector<int64_t> all(10);
  for (int i = 0; i < 10; ++i) all[i] = i;
  EXPECT_EQ(first, all);
  EXPECT_EQ(second, all);
}

TEST_P(PyDatasetTest, ErrorsNameTheBatch) {
  Tensor x = random::normal({24, 3}, {.seed = 1});
  Tensor y = random::randint({24}, 0, 2, {.seed = 2});
  for (int workers : {1, 2}) {
    auto rows = std::make_shared<Rows>(x, y, workers);
    rows->fail_at = 4;
    Sequential model = make_model();
    try {
      model.fit(Dataset::from_py_dataset(rows), {.verbose = 0, .shuffle = false});
      ADD_FAILURE() << "no error";
    } catch (const ValueError& e) {
      EXPECT_NE(std::string(e.what()).find("PyDataset.get: element 4: cannot read batch"),
                std::string::npos)
          << e.what();
    }
  }
  EXPECT_THROW(Dataset::from_py_dataset(nullptr), ValueError);
  EXPECT_THROW(Dataset::from_py_dataset(std::make_shared<Rows>(x, y, 0)), ValueError);
}

KERAS_INSTANTIATE_BACKEND_TEST(PyDatasetTest);

}  // namespace
}  // namespace keras
