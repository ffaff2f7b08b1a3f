// graph::trace and Graph::run, the compiled-step IR (docs/compiled-steps.md), on every backend.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "keras/graph/graph.hpp"
#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/temp_dir.hpp"

namespace keras {
namespace {

namespace ops = keras::ops;
using Tensors = std::vector<Tensor>;

class GraphTest : public testing::BackendTest {};

Tensor dense_relu(const Tensor& x, const Tensor& w, const Tensor& b) {
  return ops::relu(ops::add(ops::matmul(x, w), b));
}

// Replays call the same kernels on the same values, so results are identical, not just close.
void expect_identical(const Tensor& a, const Tensor& b) {
  ASSERT_EQ(a.shape(), b.shape());
  ASSERT_EQ(a.dtype(), b.dtype());
  EXPECT_EQ(a.to_vector<double>(), b.to_vector<double>());
}

TEST_P(GraphTest, ReplayOnNewInputsMatchesEager) {
  Tensor x = random::normal({4, 3}, {.seed = 1});
  Tensor w = random::normal({3, 5}, {.seed = 2});
  Tensor b = random::normal({5}, {.seed = 3});
  Tensors now;
  graph::Graph g = graph::trace(
      Tensors{x, w, b}, [&] { return Tensors{dense_relu(x, w, b)}; }, &now);
  ASSERT_EQ(g.inputs.size(), 3u);
  ASSERT_EQ(g.outputs.size(), 1u);
  ASSERT_EQ(now.size(), 1u);
  expect_identical(now[0], dense_relu(x, w, b));  // the traced run computed for real

  std::string dump = g.dump();
  EXPECT_NE(dump.find("matmul("), std::string::npos) << dump;
  EXPECT_NE(dump.find("binary[add]"), std::string::npos) << dump;
  EXPECT_NE(dump.find("unary[relu]"), std::string::npos) << dump;
  EXPECT_NE(dump.find("@" + backend_name()), std::string::npos) << dump;

  for (uint64_t seed : {7, 8}) {
    Tensor x2 = random::normal({4, 3}, {.seed = seed});
    Tensor w2 = random::normal({3, 5}, {.seed = seed + 10});
    Tensor b2 = random::normal({5}, {.seed = seed + 20});
    Tensors out = g.run(Tensors{x2, w2, b2});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].backend_name(), backend_name());
    expect_identical(out[0], dense_relu(x2, w2, b2));
  }
}

TEST_P(GraphTest, TensorsNotGivenAsInputsAreConstants) {
  Tensor x = random::normal({2, 3}, {.seed = 1});
  Tensor w = random::normal({3, 4}, {.seed = 2});
  Tensor b = random::normal({4}, {.seed = 3});
  graph::Graph g = graph::trace(Tensors{x}, [&] { return Tensors{dense_relu(x, w, b)}; });
  EXPECT_GE(g.num_constants(), 2u);
  Tensor x2 = random::normal({2, 3}, {.seed = 4});
  expect_identical(g.run(Tensors{x2})[0], dense_relu(x2, w, b));
}

TEST_P(GraphTest, KernelsRunInsideAKernelAreNotRecorded) {
  Tensor x = random::normal({3, 6}, {.seed = 1});
  graph::Graph g = graph::trace(Tensors{x}, [&] { return Tensors{ops::softmax(x, -1)}; });
  std::string dump = g.dump();
  // One softmax call, whether the backend has the fused kernel or falls back to its composite.
  ASSERT_EQ(g.nodes.size(), 1u) << dump;
  EXPECT_EQ(g.nodes[0].kernel, "softmax");
  Tensor x2 = random::normal({3, 6}, {.seed = 2});
  expect_identical(g.run(Tensors{x2})[0], ops::softmax(x2, -1));
}

TEST_P(GraphTest, AnOutputMayBeAnInputOrAConstant) {
  Tensor x = ops::ones({2});
  Tensor c = ops::full({3}, 2.0);
  graph::Graph g = graph::trace(Tensors{x}, [&] { return Tensors{x, c}; });
  Tensor x2 = ops::zeros({2});
  Tensors out = g.run(Tensors{x2});
  expect_identical(out[0], x2);
  expect_identical(out[1], c);
}

TEST_P(GraphTest, ReadingAValueBackToTheHostEndsTheTrace) {
  Tensor x = random::normal({4}, {.seed = 1});
  try {
    graph::trace(Tensors{x}, [&] {
      double m = ops::max(x).item<double>();
      return Tensors{ops::divide(x, m)};
    });
    FAIL() << "expected graph::TraceError";
  } catch (const graph::TraceError& e) {
    EXPECT_NE(std::string(e.what()).find("to_host"), std::string::npos) << e.what();
  }
  // The recorder is gone: eager code (and host reads) work as before.
  EXPECT_EQ(backend::active_recorder(), nullptr);
  EXPECT_GT(ops::sum(ops::abs(x)).item<double>(), 0.0);
}

TEST_P(GraphTest, GeneratorDrawsAreNodesThatDrawAgainOnEveryReplay) {
  Tensor x = ops::ones({3});
  random::SeedGenerator gen(5);
  random::SeedGenerator twin(5);  // what eager calls would draw, in the same order
  Tensors now;
  graph::Graph g = graph::trace(
      Tensors{x}, [&] { return Tensors{ops::add(x, random::normal({3}, {.seed = gen}))}; }, &now);
  EXPECT_NE(g.dump().find("random.normal"), std::string::npos) << g.dump();
  expect_identical(now[0], ops::add(x, random::normal({3}, {.seed = twin})));
  for (int i = 0; i < 2; ++i)
    expect_identical(g.run(Tensors{x})[0], ops::add(x, random::normal({3}, {.seed = twin})));
  EXPECT_EQ(gen.state(), twin.state());

  // A fixed integer seed's numbers are a constant.
  graph::Graph fixed = graph::trace(
      Tensors{x}, [&] { return Tensors{ops::add(x, random::uniform({3}, {.seed = 9}))}; }, &now);
  expect_identical(fixed.run(Tensors{x})[0], now[0]);

  // Draws that are not made into nodes (a shuffle's permutation) end the trace before the
  // generator moves.
  auto before = gen.state();
  EXPECT_THROW(graph::trace(Tensors{x}, [&] { return Tensors{random::shuffle(x, {.seed = gen})}; }),
               graph::TraceError);
  EXPECT_EQ(gen.state(), before);
}

TEST_P(GraphTest, ReplayChecksInputShapesAndDtypes) {
  Tensor x = ops::ones({2, 3});
  graph::Graph g = graph::trace(Tensors{x}, [&] { return Tensors{ops::multiply(x, 2.0)}; });
  EXPECT_THROW(g.run(Tensors{ops::ones({3, 3})}), ValueError);
  EXPECT_THROW(g.run(Tensors{ops::ones({2, 3}, int32)}), ValueError);
  EXPECT_THROW(g.run(Tensors{}), ValueError);
  EXPECT_THROW(g.run(Tensors{Tensor::symbolic(Shape{2, 3}, float32)}), ValueError);
}

TEST_P(GraphTest, ATraceInsideATraceIsATraceError) {
  Tensor x = ops::ones({2});
  EXPECT_THROW(graph::trace(Tensors{x},
                            [&] {
                              graph::trace(Tensors{x}, [&] { return Tensors{x}; });
                              return Tensors{x};
                            }),
               graph::TraceError);
  EXPECT_EQ(backend::active_recorder(), nullptr);
}

TEST_P(GraphTest, InputsSharingDataAreNotConfused) {
  Tensor x = ops::ones({2});
  Variable a(x, {.name = "a"});
  Variable b(x, {.name = "b"});  // a and b hold the same buffer until one is assigned
  graph::Graph g = graph::trace(Tensors{a.value(), b.value()}, [&] {
    return Tensors{ops::add(a.value(), ops::multiply(b.value(), 10.0))};
  });
  Tensors out = g.run(Tensors{ops::full({2}, 1.0), ops::full({2}, 2.0)});
  EXPECT_EQ(out[0].to_vector<float>(), (std::vector<float>{21.0f, 21.0f}));
}

TEST_P(GraphTest, DumpsGoToKerasDumpGraph) {
  testing::TempDir dir;
  Tensor x = ops::ones({2});
  graph::Graph g = graph::trace(Tensors{x}, [&] { return Tensors{ops::exp(x)}; });
  ::setenv("KERAS_DUMP_GRAPH", dir.path().c_str(), 1);
  graph::maybe_dump(g, "step");
  graph::maybe_dump(g, "step");
  ::unsetenv("KERAS_DUMP_GRAPH");
  graph::maybe_dump(g, "step");  // unset: nothing
  ASSERT_TRUE(std::filesystem::exists(dir.path() + "/step.txt"));
  ASSERT_TRUE(std::filesystem::exists(dir.path() + "/step_1.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/step_2.txt"));
  std::ifstream in(dir.path() + "/step.txt");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), g.dump());
}

KERAS_INSTANTIATE_BACKEND_TEST(GraphTest);

}  // namespace
}  // namespace keras
