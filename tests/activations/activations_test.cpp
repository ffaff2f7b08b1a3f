// keras::activations on every backend: values against hand-written formulas, gradients against
// finite differences, names and (de)serialization.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>

#include "keras/activations/activations.hpp"
#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"
#include "testing/gradient_check.hpp"

namespace keras {
namespace {

using testing::expect_throws_with;

using activations::Activation;

class ActivationsTest : public testing::BackendTest {};

void expect_near(const Tensor& t, const std::vector<double>& expected, const std::string& what,
                 double tol = 1e-6) {
  std::vector<double> v = t.to_vector<double>();
  ASSERT_EQ(v.size(), expected.size()) << what;
  for (size_t i = 0; i < v.size(); ++i)
    EXPECT_NEAR(v[i], expected[i], tol) << what << " [" << i << "]";
}

// Points away from every kink (0, +-0.5, +-1, +-3, 6).
const std::vector<double> kPoints = {-3.3, -2.7, -1.3, -0.77, -0.3, 0.2, 0.66, 1.4, 2.2, 3.3, 7.0};

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double clip(double x, double lo, double hi) { return std::min(std::max(x, lo), hi); }

// Every elementwise activation, as the formula Keras documents.
const std::map<std::string, std::function<double(double)>>& references() {
  static const std::map<std::string, std::function<double(double)>> refs = {
      {"relu", [](double x) { return std::max(x, 0.0); }},
      {"leaky_relu", [](double x) { return x >= 0 ? x : 0.2 * x; }},
      {"relu6", [](double x) { return clip(x, 0, 6); }},
      {"elu", [](double x) { return x > 0 ? x : std::exp(x) - 1; }},
      {"selu",
       [](double x) {
         const double alpha = 1.6732632423543772, scale = 1.0507009873554805;
         return scale * (x > 0 ? x : alpha * (std::exp(x) - 1));
       }},
      {"softplus", [](double x) { return std::log1p(std::exp(x)); }},
      {"softsign", [](double x) { return x / (1 + std::fabs(x)); }},
      {"soft_shrink", [](double x) { return x > 0.5 ? x - 0.5 : (x < -0.5 ? x + 0.5 : 0.0); }},
      {"sparse_plus",
       [](double x) { return x <= -1 ? 0.0 : (x >= 1 ? x : (x + 1) * (x + 1) / 4); }},
      {"silu", [](double x) { return x * sigmoid(x); }},
      {"swish", [](double x) { return x * sigmoid(x); }},
      {"squareplus", [](double x) { return (x + std::sqrt(x * x + 4)) / 2; }},
      {"gelu", [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }},
      {"celu", [](double x) { return x >= 0 ? x : std::exp(x) - 1; }},
      {"tanh", [](double x) { return std::tanh(x); }},
      {"tanh_shrink", [](double x) { return x - std::tanh(x); }},
      {"hard_tanh", [](double x) { return clip(x, -1, 1); }},
      {"hard_shrink", [](double x) { return std::fabs(x) > 0.5 ? x : 0.0; }},
      {"sigmoid", sigmoid},
      {"exponential", [](double x) { return std::exp(x); }},
      {"hard_sigmoid", [](double x) { return clip(x / 6 + 0.5, 0, 1); }},
      {"log_sigmoid", [](double x) { return -std::log1p(std::exp(-x)); }},
      {"sparse_sigmoid", [](double x) { return 0.5 * clip(x + 1, 0, 2); }},
      {"hard_silu", [](double x) { return x * clip(x / 6 + 0.5, 0, 1); }},
      {"hard_swish", [](double x) { return x * clip(x / 6 + 0.5, 0, 1); }},
      {"linear", [](double x) { return x; }},
      {"mish", [](double x) { return x * std::tanh(std::log1p(std::exp(x))); }},
  };
  return refs;
}

std::vector<double> apply(const std::function<double(double)>& f, const std::vector<double>& xs) {
  std::vector<double> out;
  for (double x : xs) out.push_back(f(x));
  return out;
}

TEST_P(ActivationsTest, ElementwiseValues) {
  Tensor x64 = ops::convert_to_tensor(kPoints);
  Tensor x32 = ops::cast(x64, float32);
  for (const auto& [name, ref] : references()) {
    Activation act = activations::get(name);
    Tensor y = act(x64);
    EXPECT_EQ(y.dtype(), float64) << name;
    EXPECT_EQ(y.backend_name(), backend_name()) << name;
    expect_near(y, apply(ref, kPoints), name, 1e-9);
    Tensor y32 = act(x32);
    EXPECT_EQ(y32.dtype(), float32) << name;
    expect_near(y32, apply(ref, kPoints), name + " (float32)", 2e-5 * 1100);
  }
  // Values at the kinks, as Keras defines them.
  Tensor kinks = ops::convert_to_tensor<double>({-3, -1, -0.5, 0, 0.5, 1, 3, 6});
  expect_near(activations::sparse_plus(kinks), {0, 0, 0.0625, 0.25, 0.5625, 1, 3, 6},
              "sparse_plus");
  expect_near(activations::soft_shrink(kinks), {-2.5, -0.5, 0, 0, 0, 0.5, 2.5, 5.5}, "soft_shrink");
  expect_near(activations::hard_shrink(kinks), {-3, -1, 0, 0, 0, 1, 3, 6}, "hard_shrink");
  expect_near(activations::hard_sigmoid(kinks),
              {0, 1.0 / 3, 5.0 / 12, 0.5, 7.0 / 12, 2.0 / 3, 1, 1}, "hard_sigmoid");
  expect_near(activations::relu6(kinks), {0, 0, 0, 0, 0.5, 1, 3, 6}, "relu6");
}

TEST_P(ActivationsTest, ReluOptions) {
  // Keras's docstring examples.
  Tensor x = ops::convert_to_tensor<float>({-10, -5, 0, 5, 10});
  expect_near(activations::relu(x), {0, 0, 0, 5, 10}, "relu");
  expect_near(activations::relu(x, {.negative_slope = 0.5}), {-5, -2.5, 0, 5, 10}, "slope");
  expect_near(activations::relu(x, {.max_value = 5.0}), {0, 0, 0, 5, 5}, "max_value");
  expect_near(activations::relu(x, {.threshold = 5.0}), {0, 0, 0, 0, 10}, "threshold");
  expect_near(activations::relu(x, {.max_value = 6.0}), {0, 0, 0, 5, 6}, "relu6 branch");
  // Combinations: x - slope * relu(threshold - x) below the threshold.
  Tensor y = ops::convert_to_tensor<double>({-3, -1, -0.5, 0, 0.5, 1, 3});
  expect_near(activations::relu(y, {.negative_slope = 0.5, .threshold = 1.0}),
              {-2, -1, -0.75, -0.5, -0.25, 0, 3}, "slope+threshold");
  expect_near(activations::relu(y, {.negative_slope = 0.5, .max_value = 2.0}),
              {-1.5, -0.5, -0.25, 0, 0.5, 1, 2}, "slope+max_value");
  expect_near(activations::relu(y, {.max_value = 2.0, .threshold = 0.7}), {0, 0, 0, 0, 0, 1, 2},
              "max_value+threshold");
  expect_near(activations::leaky_relu(y, 0.1), {-0.3, -0.1, -0.05, 0, 0.5, 1, 3}, "leaky_relu");
  expect_near(
      activations::elu(y, 2.0),
      {2 * (std::exp(-3) - 1), 2 * (std::exp(-1) - 1), 2 * (std::exp(-0.5) - 1), 0, 0.5, 1, 3},
      "elu alpha");
  expect_near(activations::threshold(y, 0.5, -9), {-9, -9, -9, -9, -9, 1, 3}, "threshold");
  expect_near(activations::squareplus(y, 0), {0, 0, 0, 0, 0.5, 1, 3}, "squareplus b=0");
  expect_near(activations::soft_shrink(y, 1.0), {-2, 0, 0, 0, 0, 0, 2}, "soft_shrink 1");
  // gelu: exact by default for the activation, the tanh approximation on request.
  Tensor g = ops::convert_to_tensor<double>({1.5});
  double exact = 0.5 * 1.5 * (1 + std::erf(1.5 / std::sqrt(2.0)));
  double approx =
      0.5 * 1.5 * (1 + std::tanh(std::sqrt(2 / M_PI) * (1.5 + 0.044715 * 1.5 * 1.5 * 1.5)));
  EXPECT_NEAR(activations::gelu(g).item<double>(), exact, 1e-12);
  EXPECT_NEAR(activations::gelu(g, true).item<double>(), approx, 1e-12);
  EXPECT_NE(exact, approx);
}

TEST_P(ActivationsTest, AxisActivations) {
  Tensor x = ops::convert_to_tensor<double>({1, 2, 3, 0.1, 0.2, 0.3}, Shape{2, 3});
  double e1 = std::exp(1), e2 = std::exp(2), e3 = std::exp(3), s = e1 + e2 + e3;
  double f1 = std::exp(0.1), f2 = std::exp(0.2), f3 = std::exp(0.3), t = f1 + f2 + f3;
  expect_near(activations::get("softmax")(x), {e1 / s, e2 / s, e3 / s, f1 / t, f2 / t, f3 / t},
              "softmax");
  expect_near(activations::get("log_softmax")(x),
              {std::log(e1 / s), std::log(e2 / s), std::log(e3 / s), std::log(f1 / t),
               std::log(f2 / t), std::log(f3 / t)},
              "log_softmax");
  // softmax over axis 0.
  double a = std::exp(1) + std::exp(0.1);
  EXPECT_NEAR(activations::softmax(x, 0).to_vector<double>()[0], std::exp(1) / a, 1e-12);
  // sparsemax: [1, 2, 3] -> [0, 0, 1]; [0.1, 0.2, 0.3] -> all in the support, tau = -0.4 / 3.
  double tau = -0.4 / 3;
  expect_near(activations::get("sparsemax")(x), {0, 0, 1, 0.1 - tau, 0.2 - tau, 0.3 - tau},
              "sparsemax");
  expect_near(activations::sparsemax(ops::transpose(x), 0),
              {0, 0.1 - tau, 0, 0.2 - tau, 1, 0.3 - tau}, "sparsemax axis 0");
  // The example of keras-team/keras#23425: [0, 0.5, 1] -> [0, 0.25, 0.75] (two in the support).
  expect_near(activations::sparsemax(ops::convert_to_tensor<float>({0, 0.5, 1})), {0, 0.25, 0.75},
              "sparsemax support 2");
  // glu splits the last axis in halves a, b: a * sigmoid(b).
  Tensor g = ops::convert_to_tensor<double>({1, 2, 3, 4});
  expect_near(activations::get("glu")(g), {1 * sigmoid(3), 2 * sigmoid(4)}, "glu");
}

TEST_P(ActivationsTest, GradientsMatchFiniteDifferences) {
  Tensor x = ops::convert_to_tensor(kPoints);
  for (const auto& [name, ref] : references()) {
    Activation act = activations::get(name);
    testing::expect_gradients_match([act](const std::vector<Tensor>& in) { return act(in[0]); },
                                    {x}, name, {.atol = 1e-6, .rtol = 1e-4});
  }
  for (const auto& [what, opts] : std::vector<std::pair<std::string, activations::ReluOptions>>{
           {"relu slope+threshold", {.negative_slope = 0.3, .threshold = 0.5}},
           {"relu slope+max", {.negative_slope = 0.3, .max_value = 2.0}},
           {"relu max", {.max_value = 2.5}}}) {
    testing::expect_gradients_match(
        [opts = opts](const std::vector<Tensor>& in) { return activations::relu(in[0], opts); },
        {x}, what);
  }
  Tensor m = ops::convert_to_tensor<double>({1, 2, 3.5, 0.1, 0.25, 0.3, -0.4, 0.9}, Shape{2, 4});
  for (const char* name : {"softmax", "log_softmax", "sparsemax", "glu"}) {
    Activation act = activations::get(name);
    testing::expect_gradients_match([act](const std::vector<Tensor>& in) { return act(in[0]); },
                                    {m}, name, {.atol = 1e-6, .rtol = 1e-4});
  }
}

TEST(ActivationNames, EveryKerasNameRoundTrips) {
  const std::vector<std::string> keras_names = {
      "relu",        "leaky_relu",     "relu6",       "softmax",      "celu",        "elu",
      "selu",        "softplus",       "softsign",    "squareplus",   "soft_shrink", "sparse_plus",
      "silu",        "gelu",           "glu",         "tanh",         "tanh_shrink", "threshold",
      "sigmoid",     "sparse_sigmoid", "exponential", "hard_sigmoid", "hard_silu",   "hard_tanh",
      "hard_shrink", "linear",         "mish",        "log_softmax",  "log_sigmoid", "sparsemax",
      "swish",       "hard_swish"};
  for (const std::string& name : keras_names) {
    Activation a = activations::get(name);
    std::string expected = name == "swish" ? "silu" : name == "hard_swish" ? "hard_silu" : name;
    EXPECT_EQ(a.name(), expected);
    EXPECT_EQ(activations::serialize(a), Config(expected));
    EXPECT_EQ(activations::deserialize(activations::serialize(a)).name(), expected);
  }
  std::vector<std::string> all = activations::names();
  for (const std::string& name : keras_names)
    EXPECT_NE(std::find(all.begin(), all.end(), name), all.end()) << name;
  // Implicit construction from a name, and linear as the default (Keras: get(None)).
  Activation r = "relu";
  EXPECT_EQ(r.name(), "relu");
  EXPECT_EQ(Activation().name(), "linear");
  EXPECT_EQ(Activation(static_cast<const char*>(nullptr)).name(), "linear");
  EXPECT_TRUE(Activation().is_linear());
  EXPECT_EQ(activations::get("").name(), "linear");
  EXPECT_EQ(activations::serialize(Activation()), Config("linear"));
  EXPECT_EQ(activations::deserialize(Config(nullptr)).name(), "linear");
  // The function-envelope form Keras also reads.
  EXPECT_EQ(activations::deserialize(Config::parse(R"({"module": "keras.activations",
      "class_name": "function", "config": "relu", "registered_name": null})"))
                .name(),
            "relu");
  EXPECT_EQ(activations::deserialize(
                Config::parse(
                    R"({"module": "builtins", "class_name": "function", "config": "tanh",
                    "registered_name": "function"})"))
                .name(),
            "tanh");
}

TEST(ActivationNames, UserFunctionsAndErrors) {
  activations::register_activation("my_package>double_it",
                                   [](const Tensor& x) { return ops::multiply(x, Tensor(2.0)); });
  Activation d = activations::get("my_package>double_it");
  EXPECT_EQ(d(ops::convert_to_tensor<float>({1.5})).item<float>(), 3.0f);
  Config env = activations::serialize(d);
  EXPECT_EQ(env.dump(),
            R"({"module":"__main__","class_name":"function","config":"my_package>double_it",)"
            R"("registered_name":"my_package>double_it"})");
  EXPECT_EQ(activations::deserialize(env).name(), "my_package>double_it");
  // An unregistered user function serializes, but cannot be read back.
  Activation u("unregistered_fn", [](const Tensor& x) { return x; });
  expect_throws_with([&] { activations::deserialize(activations::serialize(u)); },
                     "Could not interpret activation function identifier: 'unregistered_fn'");
  expect_throws_with([] { activations::get("rleu"); },
                     "Could not interpret activation function identifier: 'rleu'. Known "
                     "activations: ");
  expect_throws_with([] { Activation a = "rleu"; }, "relu");
  expect_throws_with([] { activations::get("threshold")(ops::ones({2})); },
                     "threshold() missing 2 required positional arguments");
  expect_throws_with([] { activations::deserialize(Config(3)); },
                     "Could not interpret activation function identifier: 3");
}

KERAS_INSTANTIATE_BACKEND_TEST(ActivationsTest);

}  // namespace
}  // namespace keras
