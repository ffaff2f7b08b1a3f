// keras::regularizers on every backend: penalty values, gradients, configs and the registry.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/keras.hpp"
#include "keras/regularizers/regularizers.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"
#include "testing/gradient_check.hpp"

namespace keras {
namespace {

using testing::expect_throws_with;

using namespace regularizers;

class RegularizersTest : public testing::BackendTest {};

Tensor matrix() { return ops::convert_to_tensor<float>({1, -2, 3, -4, 5, -6}, Shape{2, 3}); }

TEST_P(RegularizersTest, PenaltyValues) {
  Tensor x = matrix();
  // sum |x| = 21, sum x^2 = 91.
  Tensor l1 = L1(0.1)(x);
  EXPECT_EQ(l1.ndim(), 0);
  EXPECT_EQ(l1.dtype(), float32);
  EXPECT_EQ(l1.backend_name(), backend_name());
  EXPECT_NEAR(l1.item<double>(), 2.1, 1e-5);
  EXPECT_NEAR(L2(0.01)(x).item<double>(), 0.91, 1e-5);
  EXPECT_NEAR(L1L2({.l1 = 0.1, .l2 = 0.01})(x).item<double>(), 3.01, 1e-5);
  EXPECT_NEAR(L1L2({.l2 = 0.5})(x).item<double>(), 45.5, 1e-4);
  EXPECT_EQ(L1L2()(x).item<double>(), 0.0);
  EXPECT_EQ(L1L2()(ops::cast(x, float64)).dtype(), float64);
  // Keras docs: L1(0.01) and L2(0.01) on a (5, 5) kernel of ones.
  Tensor ones = ops::ones({5, 5});
  EXPECT_NEAR(L1()(ones).item<double>(), 0.25, 1e-6);
  EXPECT_NEAR(L2()(ones).item<double>(), 0.25, 1e-6);
  // L1's factor is float32 even on float64 data, as in Keras.
  EXPECT_EQ(L1(0.01)(ops::ones({1}, float64)).item<double>(),
            static_cast<double>(static_cast<float>(0.01)));
}

TEST_P(RegularizersTest, OrthogonalRegularizer) {
  // Orthogonal rows: no penalty.
  Tensor eye = ops::eye(3, 3);
  EXPECT_NEAR(OrthogonalRegularizer()(eye).item<double>(), 0.0, 1e-7);
  // Rows (1, 0) and (1, 1)/sqrt(2): one pair with |cos| = 1/sqrt(2).
  Tensor x = ops::convert_to_tensor<float>({1, 0, 1, 1}, Shape{2, 2});
  double expected = 0.1 * 0.5 * (2.0 / std::sqrt(2.0)) / 1.0;
  EXPECT_NEAR(OrthogonalRegularizer({.factor = 0.1})(x).item<double>(), expected, 1e-6);
  // Columns (1, 1) and (0, 1): also 1/sqrt(2).
  EXPECT_NEAR(OrthogonalRegularizer({.factor = 0.1, .mode = "columns"})(x).item<double>(), expected,
              1e-6);
  // Three rows: num_pairs = 3.
  Tensor y = ops::convert_to_tensor<float>({1, 0, 0, 1, 1, 1}, Shape{3, 2});
  double c = 1.0 / std::sqrt(2.0);
  EXPECT_NEAR(OrthogonalRegularizer({.factor = 1.0})(y).item<double>(),
              0.5 * (2 * (0 + c + c)) / 3.0, 1e-6);
  expect_throws_with([] { OrthogonalRegularizer()(ops::ones({3})); },
                     "Inputs to OrthogonalRegularizer must have rank 2. Received: "
                     "inputs.shape=(3,)");
  expect_throws_with([] { OrthogonalRegularizer({.mode = "diag"}); },
                     "invalid value for argument `mode`");
}

TEST_P(RegularizersTest, GradientsMatchFiniteDifferences) {
  // Values away from 0 so |x| is differentiable at every point.
  Tensor x = ops::convert_to_tensor<double>({0.5, -0.7, 0.9, -1.1, 0.3, -0.4}, Shape{2, 3});
  for (const auto& [name, reg] : std::vector<std::pair<std::string, std::shared_ptr<Regularizer>>>{
           {"L1", std::make_shared<L1>(0.3)},
           {"L2", std::make_shared<L2>(0.2)},
           {"L1L2", std::make_shared<L1L2>(L1L2Options{.l1 = 0.1, .l2 = 0.4})},
           {"OrthogonalRegularizer rows",
            std::make_shared<OrthogonalRegularizer>(OrthogonalRegularizerOptions{.factor = 0.5})},
           {"OrthogonalRegularizer columns",
            std::make_shared<OrthogonalRegularizer>(
                OrthogonalRegularizerOptions{.factor = 0.5, .mode = "columns"})},
       }) {
    testing::expect_gradients_match(
        [reg = reg](const std::vector<Tensor>& in) { return (*reg)(in[0]); }, {x}, name,
        {.atol = 1e-6, .rtol = 1e-4});
  }
}

TEST(RegularizerConfigs, MatchKeras) {
  // L1 and OrthogonalRegularizer hold their factor as a float32 tensor in Keras.
  EXPECT_EQ(serialize(L1()).dump(), R"({"module":"keras.regularizers","class_name":"L1","config":)"
                                    R"({"l1":0.009999999776482582},"registered_name":null})");
  EXPECT_EQ(L2().get_config().dump(), R"({"l2":0.01})");
  EXPECT_EQ(L1L2({.l1 = 0.5}).get_config().dump(), R"({"l1":0.5,"l2":0.0})");
  EXPECT_EQ(OrthogonalRegularizer().get_config().dump(),
            R"({"factor":0.009999999776482582,"mode":"rows"})");
  expect_throws_with([] { L1(-1.0); },
                     "invalid value for argument l1: expected a non-negative float");
  expect_throws_with([] { L1L2({.l2 = NAN}); }, "argument l2");
  expect_throws_with([] { OrthogonalRegularizer({.factor = INFINITY}); }, "argument factor");
}

TEST(RegularizerRegistry, AliasesAndRoundTrips) {
  for (const auto& [alias, cls] : std::vector<std::pair<std::string, std::string>>{
           {"l1", "L1"},
           {"l2", "L2"},
           {"l1l2", "L1L2"},
           {"l1_l2", "L1L2"},
           {"orthogonal_regularizer", "OrthogonalRegularizer"},
           {"L1", "L1"},
           {"L1L2", "L1L2"},
           {"OrthogonalRegularizer", "OrthogonalRegularizer"},
       }) {
    auto r = get(alias);
    EXPECT_EQ(r->class_name(), cls) << alias;
    Config env = serialize(*r);
    EXPECT_EQ(serialize(*deserialize(env)), env) << alias;
  }
  Config c = serialize(OrthogonalRegularizer({.factor = 0.25, .mode = "columns"}));
  EXPECT_EQ(serialize(*deserialize(c)), c);
  Config l1l2 = serialize(L1L2({.l1 = 0.125, .l2 = 0.5}));
  EXPECT_EQ(serialize(*deserialize(l1l2)), l1l2);
  // get("l1_l2") has Keras's L1L2() defaults: no penalty.
  EXPECT_EQ(get("l1_l2")->get_config().dump(), R"({"l1":0.0,"l2":0.0})");
  expect_throws_with([] { get("l3"); }, "Unknown regularizer 'l3'. Known regularizers:");
  expect_throws_with(
      [] { deserialize(Config::parse(R"({"class_name": "L2", "config": {"l1": 0.1}})")); },
      "L2.__init__() got an unexpected keyword argument 'l1'");
}

KERAS_INSTANTIATE_BACKEND_TEST(RegularizersTest);

}  // namespace
}  // namespace keras
