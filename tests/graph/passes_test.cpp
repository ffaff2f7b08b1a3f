// The graph passes (keras/graph/passes.hpp) on every backend: an optimized graph computes what
// the traced one does, bit for bit, with fewer kernel calls where the backend offers fusion.
#include <gtest/gtest.h>

#include <cstdlib>

#include "keras/backend/graph_compiler.hpp"
#include "keras/graph/passes.hpp"
#include "keras/keras.hpp"
#include "testing/backends.hpp"

namespace keras {
namespace {

namespace ops = keras::ops;
using Tensors = std::vector<Tensor>;

class GraphPassesTest : public testing::BackendTest {
 protected:
  // Whether the backend fuses elementwise chains / folds conv post-ops (transposed matmuls: every
  // backend with a compiler).
  const backend::GraphCompiler* compiler() const { return backend::graph_compiler(backend_name()); }
  bool fuses() const { return compiler() && compiler()->fused_elementwise; }
  bool folds_conv() const { return compiler() && compiler()->conv_bias_activation; }
};

void expect_identical(const Tensors& a, const Tensors& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].shape(), b[i].shape()) << "output " << i;
    ASSERT_EQ(a[i].dtype(), b[i].dtype()) << "output " << i;
    EXPECT_EQ(a[i].to_vector<double>(), b[i].to_vector<double>()) << "output " << i;
  }
}

int count(const graph::Graph& g, const std::string& kernel) {
  int n = 0;
  for (const graph::Node& node : g.nodes) n += node.kernel == kernel;
  return n;
}

// Traces `fn` on `inputs`, optimizes a copy, and checks that both give the same outputs on two
// new draws of inputs shaped like `inputs`. Returns the optimized graph.
graph::Graph check_optimized(const Tensors& inputs,
                             const std::function<Tensors(const Tensors&)>& fn) {
  graph::Graph traced = graph::trace(inputs, [&] { return fn(inputs); });
  graph::Graph optimized = traced;
  graph::optimize(optimized);
  EXPECT_LE(optimized.nodes.size(), traced.nodes.size());
  for (uint64_t seed : {11, 12}) {
    Tensors fresh;
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Tensor& x = inputs[i];
      Tensor r = random::normal(x.shape(), {.seed = seed * 100 + i});
      fresh.push_back(x.dtype() == DType::Bool ? ops::greater(r, 0.0) : ops::cast(r, x.dtype()));
    }
    Tensors want = fn(fresh);
    expect_identical(traced.run(fresh), want);
    expect_identical(optimized.run(fresh), want);
  }
  return optimized;
}

TEST_P(GraphPassesTest, AChainWithABiasAScalarAndAMaskFusesIntoOneKernel) {
  Tensor x = random::normal({64, 40}, {.seed = 1});
  Tensor b = random::normal({40}, {.seed = 2});
  Tensor g = random::normal({64, 40}, {.seed = 3});
  graph::Graph opt = check_optimized(Tensors{x, b, g}, [](const Tensors& in) {
    Tensor y = ops::relu(ops::add(in[0], in[1]));  // bias add + relu
    Tensor d = ops::multiply(in[2], ops::cast(ops::greater(y, 0.0), DType::Float32));
    Tensor z = ops::where(ops::less(d, 0.5), ops::square(d), ops::multiply(d, 2.0));
    return Tensors{y, ops::sqrt(ops::abs(z))};
  });
  if (!fuses()) return;
  EXPECT_EQ(count(opt, "fused_elementwise"), 1) << opt.dump();
  EXPECT_EQ(count(opt, "unary") + count(opt, "binary") + count(opt, "cast") + count(opt, "where"),
            0)
      << opt.dump();
}

TEST_P(GraphPassesTest, AValueReadOutsideTheChainEndsItAndIsWritten) {
  Tensor x = random::normal({8, 16}, {.seed = 1});
  graph::Graph opt = check_optimized(Tensors{x}, [](const Tensors& in) {
    Tensor a = ops::exp(ops::multiply(in[0], 0.5));
    // The sum reads `a`: the chain `a` is in cannot grow past it.
    Tensor s = ops::sum(a, {.axis = 1, .keepdims = true});
    Tensor c = ops::subtract(ops::divide(a, s), 1.0);
    return Tensors{ops::negative(c)};
  });
  if (!fuses()) return;
  EXPECT_EQ(count(opt, "reduce"), 1) << opt.dump();
  EXPECT_EQ(count(opt, "fused_elementwise"), 2) << opt.dump();
}

TEST_P(GraphPassesTest, TwoChainsReadByOneNodeMerge) {
  // Adam's update has this shape: m and v are updated from the gradient by two chains that only
  // meet at the end.
  Tensor g = random::normal({30, 20}, {.seed = 1});
  Tensor m = random::normal({30, 20}, {.seed = 2});
  Tensor v = ops::abs(random::normal({30, 20}, {.seed = 3}));
  Tensor w = random::normal({30, 20}, {.seed = 4});
  graph::Graph opt = check_optimized(Tensors{g, m, v, w}, [](const Tensors& in) {
    Tensor m2 = ops::add(in[1], ops::multiply(ops::subtract(in[0], in[1]), 0.1));
    Tensor v2 =
        ops::add(ops::abs(in[2]), ops::multiply(ops::subtract(ops::square(in[0]), in[2]), 0.001));
    Tensor w2 = ops::subtract(in[3], ops::divide(m2, ops::add(ops::sqrt(v2), 1e-7)));
    return Tensors{m2, v2, w2};
  });
  if (!fuses()) return;
  EXPECT_EQ(count(opt, "fused_elementwise"), 1) << opt.dump();
  EXPECT_EQ(opt.nodes.size(), 1u) << opt.dump();
}

TEST_P(GraphPassesTest, MatmulOperandsTransposedInPlace) {
  for (DType dtype : {DType::Float32, DType::Float64}) {
    Tensor a = ops::cast(random::normal({7, 5}, {.seed = 1}), dtype);
    Tensor b = ops::cast(random::normal({7, 3}, {.seed = 2}), dtype);
    Tensor c = ops::cast(random::normal({4, 3}, {.seed = 3}), dtype);
    Tensor batched = ops::cast(random::normal({2, 6, 5}, {.seed = 4}), dtype);
    graph::Graph opt = check_optimized(Tensors{a, b, c, batched}, [](const Tensors& in) {
      Tensor at_b = ops::matmul(ops::transpose(in[0]), in[1]);           // [5, 3]
      Tensor at_b_ct = ops::matmul(at_b, ops::transpose(in[2]));         // [5, 4]
      Tensor bt = ops::matmul(in[3], ops::transpose(in[3], {0, 2, 1}));  // [2, 6, 6]
      return Tensors{at_b_ct, bt};
    });
    if (compiler() && compiler()->matmul_transposed)
      EXPECT_EQ(count(opt, "transpose"), 0) << dtype_name(dtype) << opt.dump();
  }
}

TEST_P(GraphPassesTest, AnotherPermutationIsNotFolded) {
  Tensor x = random::normal({3, 4, 5}, {.seed = 1});
  Tensor y = random::normal({4, 5, 2}, {.seed = 2});
  graph::Graph opt = check_optimized(Tensors{x, y}, [](const Tensors& in) {
    return Tensors{ops::matmul(ops::transpose(in[0], {1, 0, 2}), in[1])};  // [4, 3, 2]
  });
  EXPECT_EQ(count(opt, "transpose"), 1) << opt.dump();
}

TEST_P(GraphPassesTest, ConvBiasAndReluFoldIntoTheConv) {
  Tensor x = random::normal({2, 9, 9, 3}, {.seed = 1});
  Tensor w = random::normal({3, 3, 3, 8}, {.seed = 2});
  Tensor b = random::normal({8}, {.seed = 3});
  graph::Graph opt = check_optimized(Tensors{x, w, b}, [](const Tensors& in) {
    Tensor y = ops::conv(in[0], in[1], {.padding = "same"});
    Tensor relu = ops::relu(ops::add(y, in[2]));
    Tensor linear = ops::add(ops::conv(in[0], in[1], {.strides = 2}), in[2]);
    return Tensors{relu, linear};
  });
  if (!folds_conv()) return;
  EXPECT_EQ(count(opt, "conv_bias_relu"), 1) << opt.dump();
  EXPECT_EQ(count(opt, "conv_bias"), 1) << opt.dump();
  EXPECT_EQ(opt.nodes.size(), 2u) << opt.dump();
}

TEST_P(GraphPassesTest, DenseBiasAndReluFoldIntoTheMatmul) {
  Tensor x = random::normal({16, 12}, {.seed = 1});
  Tensor w = random::normal({12, 8}, {.seed = 2});
  Tensor b = random::normal({8}, {.seed = 3});
  Tensor w2 = random::normal({8, 3}, {.seed = 4});
  Tensor b2 = random::normal({3}, {.seed = 5});
  graph::Graph opt = check_optimized(Tensors{x, w, b, w2, b2}, [](const Tensors& in) {
    Tensor h = ops::relu(ops::add(ops::matmul(in[0], in[1]), in[2]));
    return Tensors{ops::softmax(ops::add(ops::matmul(h, in[3]), in[4]))};
  });
  if (!(compiler() && compiler()->matmul_bias_activation)) return;
  EXPECT_EQ(count(opt, "matmul_bias_relu"), 1) << opt.dump();
  EXPECT_EQ(count(opt, "matmul_bias"), 1) << opt.dump();
  EXPECT_EQ(count(opt, "matmul"), 0) << opt.dump();
}

TEST_P(GraphPassesTest, AConvOutputReadElsewhereIsNotFolded) {
  Tensor x = random::normal({2, 6, 6, 2}, {.seed = 1});
  Tensor w = random::normal({3, 3, 2, 4}, {.seed = 2});
  Tensor b = random::normal({4}, {.seed = 3});
  graph::Graph opt = check_optimized(Tensors{x, w, b}, [](const Tensors& in) {
    Tensor y = ops::conv(in[0], in[1]);
    return Tensors{ops::relu(ops::add(y, in[2])), ops::sum(y)};
  });
  EXPECT_EQ(count(opt, "conv"), 1) << opt.dump();
}

TEST_P(GraphPassesTest, TheReluMaskFoldsIntoTheMaxPoolGradient) {
  // conv -> relu -> max_pool, differentiated: the relu's mask multiplies the pooling gradient.
  Tensor x = random::normal({2, 8, 8, 3}, {.seed = 1});
  Tensor w = random::normal({3, 3, 3, 4}, {.seed = 2});
  Tensor up = random::normal({2, 4, 4, 4}, {.seed = 3});
  graph::Graph opt = check_optimized(Tensors{x, w, up}, [](const Tensors& in) {
    GradientTape tape;
    tape.watch(in[0]);
    Tensor y = ops::relu(ops::conv(in[0], in[1], {.padding = "same"}));
    Tensor loss = ops::sum(ops::multiply(ops::max_pool(y, 2), in[2]));
    return Tensors{tape.gradient(loss, in[0])};
  });
  if (!(compiler() && compiler()->max_pool_backward_relu)) return;
  EXPECT_EQ(count(opt, "max_pool_backward_relu"), 1) << opt.dump();
  EXPECT_EQ(count(opt, "max_pool_backward"), 0) << opt.dump();
}

TEST_P(GraphPassesTest, DeadNodesAreRemoved) {
  Tensor x = random::normal({5}, {.seed = 1});
  graph::Graph traced = graph::trace(Tensors{x}, [&] {
    Tensor unused = ops::exp(ops::matmul(ops::reshape(x, {5, 1}), ops::reshape(x, {1, 5})));
    (void)unused;
    return Tensors{ops::negative(x)};
  });
  size_t before = traced.nodes.size();
  int removed = graph::remove_dead_nodes(traced);
  EXPECT_GE(removed, 4);  // two reshapes, the matmul and the exp
  EXPECT_EQ(traced.nodes.size(), before - removed);
  EXPECT_EQ(count(traced, "matmul") + count(traced, "unary"), 1) << traced.dump();
  traced.finalize();
  Tensor x2 = random::normal({5}, {.seed = 2});
  expect_identical(traced.run(Tensors{x2}), Tensors{ops::negative(x2)});
}

TEST_P(GraphPassesTest, KerasGraphPassesZeroLeavesTheGraphAsTraced) {
  Tensor x = random::normal({4, 4}, {.seed = 1});
  graph::Graph g =
      graph::trace(Tensors{x}, [&] { return Tensors{ops::relu(ops::add(ops::square(x), 1.0))}; });
  size_t before = g.nodes.size();
  ::setenv("KERAS_GRAPH_PASSES", "0", 1);
  graph::optimize(g);
  ::unsetenv("KERAS_GRAPH_PASSES");
  EXPECT_EQ(g.nodes.size(), before);
  graph::optimize(g);
  if (fuses()) EXPECT_EQ(g.nodes.size(), 1u) << g.dump();
}

KERAS_INSTANTIATE_BACKEND_TEST(GraphPassesTest);

}  // namespace
}  // namespace keras
