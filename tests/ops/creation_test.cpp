// Creation ops on every backend: zeros/ones/full/*_like, arange, linspace, eye/identity/tri,
// tril/triu. Keras's dtype defaults, symbolic inputs, errors, gradients.
#include "ops/elementwise_testing.hpp"

namespace keras {
namespace {

using namespace keras::testing;

class CreationOpsTest : public testing::BackendTest {};

TEST_P(CreationOpsTest, ZerosOnesEmpty) {
  Tensor z = ops::zeros({2, 3});
  EXPECT_EQ(z.dtype(), float32);
  EXPECT_EQ(z.shape(), Shape({2, 3}));
  EXPECT_EQ(z.backend_name(), backend_name());
  expect_values(z, {0, 0, 0, 0, 0, 0}, 0, "zeros");
  Tensor o = ops::ones({3}, int8);
  EXPECT_EQ(o.dtype(), int8);
  expect_values(o, {1, 1, 1}, 0, "ones");
  EXPECT_EQ(ops::empty({4, 0}).shape(), Shape({4, 0}));
  EXPECT_EQ(ops::empty({2}, bool_).dtype(), bool_);
  EXPECT_EQ(ops::zeros({}).ndim(), 0);
  EXPECT_EQ(ops::ones({0}).size(), 0);
}

TEST_P(CreationOpsTest, Full) {
  // Keras: full's dtype is floatx unless given, whatever the fill value's type.
  Tensor f = ops::full({2, 2}, 3);
  EXPECT_EQ(f.dtype(), float32);
  expect_values(f, {3, 3, 3, 3}, 0, "full");
  Tensor i = ops::full({2}, 2.5, int32);
  EXPECT_EQ(i.dtype(), int32);
  expect_values(i, {2, 2}, 0, "full int from 2.5");
  Tensor b = ops::full({2, 3}, arr({1, 2, 3}, int32));
  EXPECT_EQ(b.dtype(), float32);
  expect_values(b, {1, 2, 3, 1, 2, 3}, 0, "full broadcast");
  expect_values(ops::full({2, 2}, arr({7}, {1, 1}), float64), {7, 7, 7, 7}, 0, "full (1,1)");
  Tensor s = ops::full({3, 4}, Tensor::symbolic({4}, int32), int64);
  EXPECT_TRUE(s.is_symbolic());
  EXPECT_EQ(s.shape(), Shape({3, 4}));
  EXPECT_EQ(s.dtype(), int64);
}

TEST_P(CreationOpsTest, LikeOps) {
  Tensor x = arr({1, 2, 3, 4, 5, 6}, {2, 3}, int32);
  Tensor z = ops::zeros_like(x);
  EXPECT_EQ(z.dtype(), int32);
  EXPECT_EQ(z.shape(), Shape({2, 3}));
  expect_values(z, {0, 0, 0, 0, 0, 0}, 0, "zeros_like");
  Tensor o = ops::ones_like(x, float64);
  EXPECT_EQ(o.dtype(), float64);
  expect_values(o, {1, 1, 1, 1, 1, 1}, 0, "ones_like");
  EXPECT_EQ(ops::empty_like(x).shape(), Shape({2, 3}));
  Tensor f = ops::full_like(x, 2.7);
  EXPECT_EQ(f.dtype(), int32);
  expect_values(f, {2, 2, 2, 2, 2, 2}, 0, "full_like int");
  expect_values(ops::full_like(x, arr({1, 2, 3}), float32), {1, 2, 3, 1, 2, 3}, 0,
                "full_like broadcast");
  Tensor s = Tensor::symbolic({Shape::kNone, 5}, float16);
  EXPECT_EQ(ops::zeros_like(s).shape(), Shape({Shape::kNone, 5}));
  EXPECT_EQ(ops::ones_like(s).dtype(), float16);
  EXPECT_EQ(ops::full_like(s, 1, int32).dtype(), int32);
  EXPECT_TRUE(ops::full_like(s, 1).is_symbolic());
}

TEST_P(CreationOpsTest, Arange) {
  Tensor a = ops::arange(5);
  EXPECT_EQ(a.dtype(), int32);
  expect_values(a, {0, 1, 2, 3, 4}, 0, "arange(5)");
  expect_values(ops::arange(1, 4), {1, 2, 3}, 0, "arange(1, 4)");
  expect_values(ops::arange(5, 0, -2), {5, 3, 1}, 0, "arange(5, 0, -2)");
  Tensor f = ops::arange(0, 1, 0.25);
  EXPECT_EQ(f.dtype(), float32);
  expect_values(f, {0, 0.25, 0.5, 0.75}, 0, "arange float step");
  EXPECT_EQ(ops::arange(0, 5.0).dtype(), float32);
  EXPECT_EQ(ops::arange(0.5).shape(), Shape({1}));
  EXPECT_EQ(ops::arange(5, 1).shape(), Shape({0}));
  Tensor d = ops::arange(3, {}, {}, float64);
  EXPECT_EQ(d.dtype(), float64);
  expect_values(d, {0, 1, 2}, 0, "arange dtype");
  Tensor t = ops::arange(arr({4}, {}, int64));
  EXPECT_EQ(t.dtype(), int64);
  expect_values(t, {0, 1, 2, 3}, 0, "arange of an int64 tensor");
  EXPECT_EQ(ops::arange(arr({0}, {}, int8), 3).dtype(), int8);
  expect_values(ops::arange(-1.5, 1.5), {-1.5, -0.5, 0.5}, 0, "arange negative start");
  testing::expect_error<ValueError>([&] { ops::arange(0, 5, 0); }, {"ops::arange", "step"});
  testing::expect_error<ValueError>(
      [&] {
        ops::arange(arr({1, 2}));
      },
      {"ops::arange", "`start`", "(2,)"});
  testing::expect_error<ValueError>([&] { ops::arange(Tensor::symbolic({}, int32)); },
                                    {"ops::arange", "symbolic"});
}

TEST_P(CreationOpsTest, ArangeFollowsFloatxPrecision) {
  DType saved = config::floatx();
  config::set_floatx(float64);
  EXPECT_EQ(ops::arange(3).dtype(), int64);
  EXPECT_EQ(ops::arange(0, 1, 0.5).dtype(), float64);
  EXPECT_EQ(ops::zeros({1}).dtype(), float64);
  config::set_floatx(saved);
}

TEST_P(CreationOpsTest, Linspace) {
  Tensor l = ops::linspace(0, 1, {.num = 5});
  EXPECT_EQ(l.dtype(), float32);
  expect_values(l, {0, 0.25, 0.5, 0.75, 1}, 0, "linspace");
  expect_values(ops::linspace(0, 1, {.num = 5, .endpoint = false}), {0, 0.2, 0.4, 0.6, 0.8}, 1e-7,
                "linspace no endpoint");
  expect_values(ops::linspace(2, 3, {.num = 1}), {2}, 0, "linspace num=1");
  expect_values(ops::linspace(2, 3, {.num = 1, .endpoint = false}), {2}, 0, "num=1 no endpoint");
  EXPECT_EQ(ops::linspace(0, 1, {.num = 0}).shape(), Shape({0}));
  EXPECT_EQ(ops::linspace(0, 1).shape(), Shape({50}));
  expect_values(ops::linspace(1, -1, {.num = 3, .dtype = float64}), {1, 0, -1}, 0, "decreasing");
  // NumPy floors the samples for integer dtypes.
  Tensor i = ops::linspace(0, 10, {.num = 4, .dtype = int32});
  EXPECT_EQ(i.dtype(), int32);
  expect_values(i, {0, 3, 6, 10}, 0, "linspace int");
  expect_values(ops::linspace(-1, 1, {.num = 3, .dtype = int32, .axis = -1}), {-1, 0, 1}, 0,
                "linspace int negative");
  testing::expect_error<ValueError>([&] { ops::linspace(0, 1, {.num = -1}); },
                                    {"ops::linspace", "num", "-1"});
  testing::expect_error<ValueError>([&] { ops::linspace(0, 1, {.num = 3, .axis = 1}); },
                                    {"ops::linspace", "axis 1"});
}

TEST_P(CreationOpsTest, EyeIdentityTri) {
  Tensor e = ops::eye(3);
  EXPECT_EQ(e.dtype(), float32);
  EXPECT_EQ(e.shape(), Shape({3, 3}));
  expect_values(e, {1, 0, 0, 0, 1, 0, 0, 0, 1}, 0, "eye(3)");
  expect_values(ops::eye(2, 3, 1), {0, 1, 0, 0, 0, 1}, 0, "eye(2, 3, k=1)");
  expect_values(ops::eye(3, 2, -1), {0, 0, 1, 0, 0, 1}, 0, "eye(3, 2, k=-1)");
  expect_values(ops::eye(2, 2, 5), {0, 0, 0, 0}, 0, "eye k out of range");
  EXPECT_EQ(ops::eye(0).shape(), Shape({0, 0}));
  Tensor id = ops::identity(2, int32);
  EXPECT_EQ(id.dtype(), int32);
  expect_values(id, {1, 0, 0, 1}, 0, "identity");
  Tensor t = ops::tri(3);
  EXPECT_EQ(t.dtype(), float32);
  expect_values(t, {1, 0, 0, 1, 1, 0, 1, 1, 1}, 0, "tri(3)");
  expect_values(ops::tri(2, 4, 1), {1, 1, 0, 0, 1, 1, 1, 0}, 0, "tri(2, 4, 1)");
  expect_values(ops::tri(3, 2, -1, bool_), {0, 0, 1, 0, 1, 1}, 0, "tri(3, 2, -1)");
  testing::expect_error<ValueError>([&] { ops::eye(-2); }, {"ops::eye", "-2"});
  testing::expect_error<ValueError>([&] { ops::identity(-1); }, {"ops::identity"});
  testing::expect_error<ValueError>([&] { ops::tri(2, -3); }, {"ops::tri", "M=-3"});
}

TEST_P(CreationOpsTest, TrilTriu) {
  Tensor x = arr({1, 2, 3, 4, 5, 6, 7, 8, 9}, {3, 3});
  expect_values(ops::tril(x), {1, 0, 0, 4, 5, 0, 7, 8, 9}, 0, "tril");
  expect_values(ops::tril(x, 1), {1, 2, 0, 4, 5, 6, 7, 8, 9}, 0, "tril k=1");
  expect_values(ops::tril(x, -1), {0, 0, 0, 4, 0, 0, 7, 8, 0}, 0, "tril k=-1");
  expect_values(ops::triu(x), {1, 2, 3, 0, 5, 6, 0, 0, 9}, 0, "triu");
  expect_values(ops::triu(x, 1), {0, 2, 3, 0, 0, 6, 0, 0, 0}, 0, "triu k=1");
  expect_values(ops::triu(x, -1), {1, 2, 3, 4, 5, 6, 0, 8, 9}, 0, "triu k=-1");
  // Batched and non-square: applies to the last two axes.
  Tensor b = arr({1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, {2, 2, 3}, int32);
  Tensor tb = ops::tril(b);
  EXPECT_EQ(tb.dtype(), int32);
  EXPECT_EQ(tb.shape(), Shape({2, 2, 3}));
  expect_values(tb, {1, 0, 0, 4, 5, 0, 1, 0, 0, 4, 5, 0}, 0, "tril batched");
  Tensor bb = ops::triu(arr({1, 1, 1, 1}, {2, 2}, bool_));
  EXPECT_EQ(bb.dtype(), bool_);
  expect_values(bb, {1, 1, 0, 1}, 0, "triu bool");
  Tensor s = ops::tril(Tensor::symbolic({Shape::kNone, 4, 4}, float16));
  EXPECT_TRUE(s.is_symbolic());
  EXPECT_EQ(s.shape(), Shape({Shape::kNone, 4, 4}));
  EXPECT_EQ(s.dtype(), float16);
  testing::expect_error<ValueError>(
      [&] {
        ops::tril(arr({1, 2, 3}));
      },
      {"ops::tril", "2 dimensions", "(3,)"});
  testing::expect_error<ValueError>([&] { ops::triu(Tensor(2.0)); }, {"ops::triu", "()"});
}

TEST_P(CreationOpsTest, Errors) {
  testing::expect_error<ValueError>(
      [&] {
        ops::zeros({2, -3});
      },
      {"ops::zeros", "negative", "(2, -3)"});
  testing::expect_error<ValueError>(
      [&] {
        ops::ones({Shape::kNone, 3});
      },
      {"ops::ones", "(None, 3)", "unknown"});
  testing::expect_error<ValueError>(
      [&] {
        ops::full({2, 2}, arr({1, 2, 3}));
      },
      {"ops::full", "(3,)", "(2, 2)"});
  testing::expect_error<ValueError>([&] { ops::full({2}, Tensor()); },
                                    {"ops::full", "`fill_value`"});
  testing::expect_error<ValueError>(
      [&] {
        ops::full_like(arr({1, 2}), arr({1, 2, 3}));
      },
      {"ops::full_like", "(3,)", "(2,)"});
  testing::expect_error<ValueError>([&] { ops::zeros_like(Tensor()); }, {"ops::zeros_like", "`x`"});
}

TEST_P(CreationOpsTest, Gradients) {
  Tensor v = testing::test_values({3}, -1, 1, 41);
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& xs) {
        return ops::full({2, 3}, xs[0], float64);
      },
      {v}, "full");
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& xs) {
        return ops::full_like(ops::zeros({4, 3}, float64), xs[0]);
      },
      {v}, "full_like");
  Tensor m = testing::test_values({2, 3, 3}, -1, 1, 42);
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& xs) { return ops::tril(xs[0], -1); }, {m}, "tril");
  testing::expect_gradients_match([](const std::vector<Tensor>& xs) { return ops::triu(xs[0], 1); },
                                  {m}, "triu");
  // zeros_like/ones_like do not depend on x's values: zero gradient.
  GradientTape tape;
  tape.watch(v);
  Tensor y = ops::add(ops::ones_like(v), ops::zeros_like(v));
  expect_values(tape.gradient(y, v), {0, 0, 0}, 0, "ones_like gradient");
}

KERAS_INSTANTIATE_BACKEND_TEST(CreationOpsTest);

}  // namespace
}  // namespace keras
