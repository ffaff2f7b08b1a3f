// keras::data::Dataset (docs/data.md): sources, transformations, cardinality, threads, errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "keras/data/dataset.hpp"
#include "keras/keras.hpp"
#include "testing/backends.hpp"

namespace keras {
namespace {

using data::Dataset;
using data::Element;

class DatasetTest : public testing::BackendTest {};

// 0, 1, ..., n-1 as a float32 column vector (n, 1).
Tensor column(int64_t n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i);
  return ops::convert_to_tensor(v, Shape{n, 1});
}

// Each element's first component's values, concatenated.
std::vector<double> flat(const Dataset& ds) {
  std::vector<double> out;
  for (const Element& e : ds) {
    std::vector<double> v = e[0].to_vector<double>();
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

std::vector<double> iota(int n, double start = 0) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(start + i);
  return v;
}

// A dataset of n scalar float elements 0..n-1 from a generator, counting the generator calls.
Dataset counting(int n, std::shared_ptr<std::atomic<int>> calls = nullptr) {
  return Dataset::from_generator([n, calls] {
    if (calls) ++*calls;
    return data::Dataset::Generator([n, i = 0]() mutable -> std::optional<Element> {
      if (i >= n) return std::nullopt;
      return Element{ops::convert_to_tensor(std::vector<float>{static_cast<float>(i++)}, Shape{})};
    });
  });
}

TEST_P(DatasetTest, TensorSlicesGiveRowsInOrder) {
  Tensor x = column(5);
  Tensor y = ops::convert_to_tensor(std::vector<int32_t>{10, 11, 12, 13, 14});
  Dataset ds = Dataset::from_tensor_slices({x, y});
  EXPECT_EQ(ds.cardinality(), 5);
  int64_t i = 0;
  for (const Element& e : ds) {
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].shape(), Shape({1}));
    EXPECT_EQ(e[1].shape(), Shape({}));
    EXPECT_EQ(e[0].backend_name(), backend_name());
    EXPECT_EQ(e[0].to_vector<double>(), std::vector<double>{static_cast<double>(i)});
    EXPECT_EQ(e[1].item<int64_t>(), 10 + i);
    ++i;
  }
  EXPECT_EQ(i, 5);
  EXPECT_THROW(Dataset::from_tensor_slices({x, ops::ones({4})}), ValueError);
  EXPECT_THROW(Dataset::from_tensor_slices({}), ValueError);
  EXPECT_THROW(
      Dataset::from_tensor_slices({ops::convert_to_tensor(std::vector<float>{1}, Shape{})}),
      ValueError);
}

TEST_P(DatasetTest, MapKeepsOrderOnWorkerThreads) {
  for (int threads : {1, 3, data::AUTOTUNE}) {
    Dataset ds =
        Dataset::from_tensor_slices({column(50)})
            .map([](const Element& e) { return Element{ops::add(ops::multiply(e[0], 2.0), 1.0)}; },
                 threads);
    EXPECT_EQ(ds.cardinality(), 50);
    std::vector<double> expected;
    for (int i = 0; i < 50; ++i) expected.push_back(2 * i + 1);
    EXPECT_EQ(flat(ds), expected) << threads << " threads";
  }
}

TEST_P(DatasetTest, ErrorsFromMapAndGeneratorsNameTheElement) {
  auto failing = [](const Element& e) -> Element {
    if (e[0].item<double>() == 7) throw ValueError("bad value");
    return e;
  };
  for (int threads : {1, 4}) {
    Dataset ds = counting(20).map(failing, threads);
    std::vector<double> seen;
    try {
      for (const Element& e : ds) seen.push_back(e[0].item<double>());
      ADD_FAILURE() << "no error";
    } catch (const ValueError& e) {
      EXPECT_NE(std::string(e.what()).find("Dataset.map: element 7: bad value"), std::string::npos)
          << e.what();
    }
    EXPECT_EQ(seen, iota(7)) << "the elements before the failing one arrive first";
  }
  // Through prefetch's background thread too, still a ValueError.
  Dataset broken = Dataset::from_generator([] {
    return data::Dataset::Generator([i = 0]() mutable -> std::optional<Element> {
      if (i == 3) throw ValueError("generator broke");
      return Element{ops::convert_to_tensor(std::vector<float>{static_cast<float>(i++)}, Shape{})};
    });
  });
  std::vector<double> seen;
  try {
    for (const Element& e : broken.prefetch(2)) seen.push_back(e[0].item<double>());
    ADD_FAILURE() << "no error";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Dataset.from_generator: element 3: generator broke"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(seen, iota(3));
}

TEST_P(DatasetTest, FilterTakeSkipRepeatAndTheirCardinality) {
  Dataset ds = Dataset::from_tensor_slices({column(10)});
  Dataset even =
      ds.filter([](const Element& e) { return static_cast<int>(e[0].item<double>()) % 2 == 0; });
  EXPECT_EQ(even.cardinality(), data::UNKNOWN_CARDINALITY);
  EXPECT_EQ(flat(even), (std::vector<double>{0, 2, 4, 6, 8}));
  EXPECT_EQ(flat(ds.take(3)), iota(3));
  EXPECT_EQ(ds.take(3).cardinality(), 3);
  EXPECT_EQ(ds.take(-1).cardinality(), 10);
  EXPECT_EQ(flat(ds.skip(8)), (std::vector<double>{8, 9}));
  EXPECT_EQ(ds.skip(12).cardinality(), 0);
  EXPECT_TRUE(flat(ds.skip(-1)).empty());
  EXPECT_EQ(ds.repeat(2).cardinality(), 20);
  std::vector<double> twice = iota(10);
  twice.insert(twice.end(), twice.begin(), twice.end());
  EXPECT_EQ(flat(ds.repeat(2)), twice);
  EXPECT_EQ(ds.repeat().cardinality(), data::INFINITE_CARDINALITY);
  EXPECT_EQ(ds.repeat().take(25).cardinality(), 25);
  EXPECT_EQ(flat(ds.repeat().take(12)), (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1}));
  // An empty dataset repeated forever ends rather than looping.
  EXPECT_TRUE(flat(ds.take(0).repeat()).empty());
  EXPECT_THROW(ds.take(-2), ValueError);
  EXPECT_THROW(ds.repeat(-3), ValueError);
  EXPECT_THROW(ds.repeat().skip(-1), ValueError);
}

TEST_P(DatasetTest, ShuffleIsASeededPermutationRedrawnEachPass) {
  Dataset ds = Dataset::from_tensor_slices({column(40)});
  Dataset shuffled = ds.shuffle(40, 3);
  std::vector<double> first = flat(shuffled), second = flat(shuffled);
  EXPECT_NE(first, iota(40));
  EXPECT_NE(first, second) << "reshuffle_each_iteration";
  EXPECT_EQ(std::multiset<double>(first.begin(), first.end()),
            std::multiset<double>(second.begin(), second.end()));
  std::vector<double> sorted = first;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, iota(40));
  // The same seed, a new dataset: the same passes.
  Dataset again = ds.shuffle(40, 3);
  EXPECT_EQ(flat(again), first);
  EXPECT_EQ(flat(again), second);
  Dataset fixed = ds.shuffle(40, 3, /*reshuffle_each_iteration=*/false);
  EXPECT_EQ(flat(fixed), flat(fixed));
  // A buffer of one keeps the order; a small buffer only moves elements a little ahead.
  EXPECT_EQ(flat(ds.shuffle(1, 5)), iota(40));
  std::vector<double> local = flat(ds.shuffle(4, 5));
  for (size_t i = 0; i < local.size(); ++i) EXPECT_LE(local[i], static_cast<double>(i) + 3);
  EXPECT_THROW(ds.shuffle(0), ValueError);
}

TEST_P(DatasetTest, BatchStacksAndReportsRaggedElements) {
  Dataset ds = Dataset::from_tensor_slices({column(10), column(10)});
  Dataset b = ds.batch(4);
  EXPECT_EQ(b.cardinality(), 3);
  EXPECT_EQ(ds.batch(4, /*drop_remainder=*/true).cardinality(), 2);
  std::vector<Shape> shapes;
  for (const Element& e : b) shapes.push_back(e[0].shape());
  EXPECT_EQ(shapes, (std::vector<Shape>{{4, 1}, {4, 1}, {2, 1}}));
  EXPECT_EQ(flat(b), iota(10));
  int n = 0;
  for (const Element& e : ds.batch(4, true)) n += static_cast<int>(e[1].shape()[0]);
  EXPECT_EQ(n, 8);
  // Elements of different lengths need padded_batch.
  Dataset ragged = counting(5).map([](const Element& e) {
    int k = static_cast<int>(e[0].item<double>()) + 1;
    return Element{ops::ones({k})};
  });
  try {
    for (const Element& e : ragged.batch(3)) (void)e;
    ADD_FAILURE() << "no error";
  } catch (const ValueError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("Dataset.batch: element 1"), std::string::npos) << m;
    EXPECT_NE(m.find("padded_batch"), std::string::npos) << m;
  }
  EXPECT_THROW(ds.batch(0), ValueError);
}

// Batches of tensor rows are cut whole (a slice or a gather per component); through a map the
// same pipeline stacks element by element. Both must give the same batches.
TEST_P(DatasetTest, RowBatchesMatchElementByElementBatches) {
  Tensor x = random::normal({23, 3}, {.seed = 4});
  Tensor y = ops::convert_to_tensor(iota(23));
  auto identity = [](const Element& e) { return e; };
  using Build = std::function<Dataset(const Dataset&)>;
  std::vector<std::pair<std::string, Build>> pipelines = {
      {"batch", [](const Dataset& d) { return d.batch(5); }},
      {"shuffle.batch", [](const Dataset& d) { return d.shuffle(7, 3).batch(4); }},
      {"shuffle.batch(drop)", [](const Dataset& d) { return d.shuffle(100, 3).batch(4, true); }},
      {"skip.take.batch", [](const Dataset& d) { return d.skip(3).take(11).batch(3); }},
      {"shuffle.repeat.batch",
       [](const Dataset& d) { return d.shuffle(23, 9).repeat(3).batch(10); }},
  };
  for (const auto& [name, build] : pipelines) {
    Dataset rows = build(Dataset::from_tensor_slices({x, y}));
    Dataset elements = build(Dataset::from_tensor_slices({x, y}).map(identity));
    EXPECT_EQ(rows.cardinality(), elements.cardinality()) << name;
    for (int pass = 0; pass < 2; ++pass) {  // shuffles draw a new order per pass on both paths
      std::vector<Element> a, b;
      for (const Element& e : rows) a.push_back(e);
      for (const Element& e : elements) b.push_back(e);
      ASSERT_EQ(a.size(), b.size()) << name;
      for (size_t i = 0; i < a.size(); ++i)
        for (size_t c = 0; c < 2; ++c) {
          EXPECT_EQ(a[i][c].shape(), b[i][c].shape()) << name << " batch " << i;
          EXPECT_EQ(a[i][c].dtype(), b[i][c].dtype()) << name << " batch " << i;
          EXPECT_EQ(a[i][c].to_vector<double>(), b[i][c].to_vector<double>())
              << name << " batch " << i;
        }
    }
  }
}

TEST_P(DatasetTest, PaddedBatchPadsToTheLongestOrTheGivenShape) {
  Dataset ragged = counting(5).map([](const Element& e) {
    int k = static_cast<int>(e[0].item<double>()) + 1;
    return Element{ops::ones({k}), e[0]};
  });
  std::vector<Tensor> batches;
  for (const Element& e : ragged.padded_batch(2, {.padding_values = {-1.0}}))
    batches.push_back(e[0]);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].shape(), Shape({2, 2}));
  EXPECT_EQ(batches[0].to_vector<double>(), (std::vector<double>{1, -1, 1, 1}));
  EXPECT_EQ(batches[1].shape(), Shape({2, 4}));
  EXPECT_EQ(batches[2].shape(), Shape({1, 5}));
  Dataset fixed = ragged.padded_batch(5, {.padded_shapes = {{6}, {}}});
  for (const Element& e : fixed) {
    EXPECT_EQ(e[0].shape(), Shape({5, 6}));
    EXPECT_EQ(e[0].to_vector<double>()[5], 0.0);
  }
  EXPECT_THROW(for (const Element& e
                    : ragged.padded_batch(5, {.padded_shapes = {{3}, {}}}))(void) e,
               ValueError);
}

TEST_P(DatasetTest, ZipCacheAndPrefetch) {
  Dataset a = Dataset::from_tensor_slices({column(6)});
  Dataset b = Dataset::from_tensor_slices({column(4)}).map([](const Element& e) {
    return Element{ops::negative(e[0])};
  });
  Dataset z = Dataset::zip({a, b});
  EXPECT_EQ(z.cardinality(), 4);
  int i = 0;
  for (const Element& e : z) {
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].item<double>(), i);
    EXPECT_EQ(e[1].item<double>(), -i);
    ++i;
  }
  EXPECT_EQ(i, 4);
  EXPECT_EQ(Dataset::zip({a, counting(3)}).cardinality(), data::UNKNOWN_CARDINALITY);
  EXPECT_EQ(Dataset::zip({a.repeat(), b}).cardinality(), 4);

  auto calls = std::make_shared<std::atomic<int>>(0);
  Dataset cached = counting(5, calls).cache();
  EXPECT_EQ(flat(cached), iota(5));
  EXPECT_EQ(flat(cached), iota(5));
  EXPECT_EQ(calls->load(), 1) << "the second pass replays the cache";
  EXPECT_THROW(a.repeat().cache(), ValueError);

  Dataset prefetched = counting(100)
                           .map([](const Element& e) { return Element{ops::square(e[0])}; }, 2)
                           .prefetch(data::AUTOTUNE);
  std::vector<double> squares;
  for (int k = 0; k < 100; ++k) squares.push_back(k * k);
  EXPECT_EQ(flat(prefetched), squares);
  // Leaving a pass early stops its threads.
  for (const Element& e : prefetched) {
    (void)e;
    break;
  }
  EXPECT_THROW(a.prefetch(0), ValueError);
}

KERAS_INSTANTIATE_BACKEND_TEST(DatasetTest);

}  // namespace
}  // namespace keras
