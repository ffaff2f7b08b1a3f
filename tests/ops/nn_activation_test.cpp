// Activation ops: values against double-precision formulas and Keras fixtures, extremes, dtypes,
// symbolic shapes, errors and finite-difference gradients.
#include <cmath>
#include <limits>

#include "ops/nn_testing.hpp"

namespace keras {
namespace {

using namespace nn_testing;

class NnActivationTest : public testing::BackendTest {};

const std::vector<double> kPoints = {-7.5, -3.0, -1.2, -0.3, 0.0, 0.4, 1.0, 2.9, 3.0, 6.5};

double sigmoid_ref(double x) {
  return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}
double softplus_ref(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); }

struct Case {
  const char* name;
  std::function<Tensor(const Tensor&)> op;
  std::function<double(double)> ref;
};

std::vector<Case> cases() {
  const double sa = 1.6732632423543772848170429916717, ss = 1.0507009873554804934193349852946;
  return {
      {"relu", [](const Tensor& x) { return ops::relu(x); },
       [](double x) { return std::max(x, 0.0); }},
      {"relu6", [](const Tensor& x) { return ops::relu6(x); },
       [](double x) { return std::min(std::max(x, 0.0), 6.0); }},
      {"elu", [](const Tensor& x) { return ops::elu(x, 0.7); },
       [](double x) { return x >= 0 ? x : 0.7 * std::expm1(x); }},
      {"selu", [](const Tensor& x) { return ops::selu(x); },
       [=](double x) { return ss * (x >= 0 ? x : sa * std::expm1(x)); }},
      {"celu", [](const Tensor& x) { return ops::celu(x, 1.5); },
       [](double x) { return std::max(x, 0.0) + 1.5 * std::expm1(std::min(x, 0.0) / 1.5); }},
      {"gelu_tanh", [](const Tensor& x) { return ops::gelu(x); },
       [](double x) {
         return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
       }},
      {"gelu_exact", [](const Tensor& x) { return ops::gelu(x, false); },
       [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }},
      {"silu", [](const Tensor& x) { return ops::silu(x); },
       [](double x) { return x * sigmoid_ref(x); }},
      {"swish", [](const Tensor& x) { return ops::swish(x); },
       [](double x) { return x * sigmoid_ref(x); }},
      {"sigmoid", [](const Tensor& x) { return ops::sigmoid(x); }, sigmoid_ref},
      {"hard_sigmoid", [](const Tensor& x) { return ops::hard_sigmoid(x); },
       [](double x) { return std::min(std::max(x + 3, 0.0), 6.0) / 6; }},
      {"hard_silu", [](const Tensor& x) { return ops::hard_silu(x); },
       [](double x) { return x * std::min(std::max(x + 3, 0.0), 6.0) / 6; }},
      {"hard_swish", [](const Tensor& x) { return ops::hard_swish(x); },
       [](double x) { return x * std::min(std::max(x + 3, 0.0), 6.0) / 6; }},
      {"hard_tanh", [](const Tensor& x) { return ops::hard_tanh(x); },
       [](double x) { return std::min(std::max(x, -1.0), 1.0); }},
      {"softplus", [](const Tensor& x) { return ops::softplus(x); }, softplus_ref},
      {"softsign", [](const Tensor& x) { return ops::softsign(x); },
       [](double x) { return x / (1 + std::fabs(x)); }},
      {"leaky_relu", [](const Tensor& x) { return ops::leaky_relu(x); },
       [](double x) { return x >= 0 ? x : 0.2 * x; }},
      {"leaky_relu_0.05", [](const Tensor& x) { return ops::leaky_relu(x, 0.05); },
       [](double x) { return x >= 0 ? x : 0.05 * x; }},
      {"log_sigmoid", [](const Tensor& x) { return ops::log_sigmoid(x); },
       [](double x) { return -softplus_ref(-x); }},
  };
}

TEST_P(NnActivationTest, ValuesMatchFormulasInFloat32AndFloat64) {
  for (const Case& c : cases()) {
    std::vector<double> expected;
    for (double x : kPoints) expected.push_back(c.ref(x));
    Tensor y64 = c.op(f64(kPoints));
    EXPECT_EQ(y64.dtype(), DType::Float64) << c.name;
    expect_close(y64, expected, 1e-12, c.name);
    Tensor y32 = c.op(ops::cast(f64(kPoints), DType::Float32));
    EXPECT_EQ(y32.dtype(), DType::Float32) << c.name;
    expect_close(y32, expected, 2e-6, c.name);
  }
}

TEST_P(NnActivationTest, KerasFixtureExtremes) {
  // ops.npz: sigmoid__extreme, softplus__extreme, gelu__exact, gelu__tanh_approx.
  Tensor x = f32({-100, -20, -1, 0, 1, 20, 100});
  expect_close(ops::sigmoid(x),
               {0.0, 2.061153470123145e-09, 0.26894140243530273, 0.5, 0.7310585975646973, 1.0, 1.0},
               1e-6, "sigmoid");
  expect_close(ops::softplus(x),
               {3.783505853677006e-44, 2.06115369216775e-09, 0.3132616877555847, 0.6931471824645996,
                1.3132617473602295, 20.0, 100.0},
               1e-6, "softplus");
  Tensor ge =
      f32({-1.5484763383865356f, -1.363510251045227f, -1.7015501260757446f, 0.38246509432792664f,
           0.42979785799980164f, 2.930610418319702f, -1.000755786895752f});
  expect_close(ops::gelu(ge, false),
               {-0.09407585859298706, -0.11775393038988113, -0.0755826085805893,
                0.24819758534431458, 0.286386638879776, 2.9256534576416016, -0.15859219431877136},
               2e-6, "gelu exact");
  Tensor gt =
      f32({2.0303006172180176f, 2.613314390182495f, 1.9089146852493286f, -0.022957220673561096f,
           0.1670265793800354f, -1.9658290147781372f, -4.699645042419434f});
  expect_close(ops::gelu(gt),
               {1.987457513809204, 2.602065086364746, 1.8552244901657104, -0.011268372647464275,
                0.09459114819765091, -0.04840731620788574, -1.5406636748593883e-06},
               2e-6, "gelu tanh");
  // log_sigmoid and the exp-based activations stay finite far out.
  expect_close(ops::log_sigmoid(f32({-200.0f, 200.0f})), {-200.0, 0.0}, 1e-6, "log_sigmoid");
  expect_close(ops::elu(f32({-1000.0f, 1000.0f})), {-1.0, 1000.0}, 1e-6, "elu");
  expect_close(ops::selu(f32({1000.0f})), {1050.7009873554805}, 1e-6, "selu");
  expect_close(ops::softsign(f32({-1e30f, 1e30f})), {-1.0, 1.0}, 1e-6, "softsign");
}

TEST_P(NnActivationTest, SoftmaxAndLogSoftmaxFixtures) {
  // ops.npz: softmax__neg_inf_entries, softmax__large_values_axis0, log_softmax__large_values.
  Tensor a = f32({-INFINITY, 0, 1, -INFINITY, 2, -INFINITY, 2, 10000}, {2, 4});
  expect_close(ops::softmax(a), {0.0, 0.26894140243530273, 0.7310585975646973, 0.0, 0, 0, 0, 1.0},
               1e-6, "softmax -inf");
  Tensor b = f32({1000, 1000, -1000, -1.0000000150474662e+30f, 0, 88}, {2, 3});
  expect_close(ops::softmax(b, 0), {1, 1, 0, 0, 0, 1}, 1e-6, "softmax axis 0");
  expect_close(ops::log_softmax(b, -1),
               {-0.6931471824645996, -0.6931471824645996, -2000.693115234375,
                -1.0000000150474662e+30, -88.0, 0.0},
               2e-6, "log_softmax");
  Tensor s = ops::softmax(f64(std::vector<double>{1, 2, 3, 4, 5, 6}, {2, 3}), 1);
  std::vector<double> v = s.to_vector<double>();
  double z = std::exp(1) + std::exp(2) + std::exp(3);
  expect_close(s,
               {std::exp(1) / z, std::exp(2) / z, std::exp(3) / z, std::exp(1) / z, std::exp(2) / z,
                std::exp(3) / z},
               1e-12);
}

TEST_P(NnActivationTest, GluSplitsTheAxis) {
  Tensor x = f64({1, 2, -1, 0.5, 3, 4, 0, -2}, {2, 4});
  Tensor y = ops::glu(x);
  EXPECT_EQ(y.shape(), (Shape{2, 2}));
  expect_close(y,
               {1 * sigmoid_ref(-1), 2 * sigmoid_ref(0.5), 3 * sigmoid_ref(0), 4 * sigmoid_ref(-2)},
               1e-12);
  Tensor y0 = ops::glu(x, 0);
  EXPECT_EQ(y0.shape(), (Shape{1, 4}));
  expect_close(y0,
               {1 * sigmoid_ref(3), 2 * sigmoid_ref(4), -1 * sigmoid_ref(0), 0.5 * sigmoid_ref(-2)},
               1e-12);
}

TEST_P(NnActivationTest, Dtypes) {
  Tensor xi = i32({-3, 0, 4, 9});
  Tensor r = ops::relu(xi);
  EXPECT_EQ(r.dtype(), DType::Int32);
  EXPECT_EQ(r.to_vector<int32_t>(), (std::vector<int32_t>{0, 0, 4, 9}));
  Tensor r6 = ops::relu6(xi);
  EXPECT_EQ(r6.dtype(), DType::Int32);
  EXPECT_EQ(r6.to_vector<int32_t>(), (std::vector<int32_t>{0, 0, 4, 6}));
  for (auto fn : {ops::sigmoid, ops::silu, ops::softplus, ops::hard_sigmoid, ops::log_sigmoid})
    EXPECT_EQ(fn(xi).dtype(), DType::Float32);
  EXPECT_EQ(ops::softmax(xi).dtype(), DType::Float32);
  EXPECT_EQ(ops::elu(xi).dtype(), DType::Float32);
  Tensor h = ops::cast(f32({-1, 0.5f, 2}), DType::Float16);
  EXPECT_EQ(ops::sigmoid(h).dtype(), DType::Float16);
  EXPECT_EQ(ops::hard_silu(h).dtype(), DType::Float16);
  EXPECT_EQ(ops::softmax(h).dtype(), DType::Float16);
  expect_close(ops::softmax(h), {0.039110, 0.175291, 0.785599}, 2e-3, "float16 softmax");
}

TEST_P(NnActivationTest, SymbolicShapes) {
  Tensor x = Tensor::symbolic({Shape::kNone, 6}, DType::Float32);
  for (const Case& c : cases()) {
    Tensor y = c.op(x);
    EXPECT_TRUE(y.is_symbolic()) << c.name;
    EXPECT_EQ(y.shape(), x.shape()) << c.name;
    EXPECT_EQ(y.dtype(), DType::Float32) << c.name;
  }
  EXPECT_EQ(ops::softmax(x).shape(), x.shape());
  EXPECT_EQ(ops::log_softmax(x, 0).shape(), x.shape());
  EXPECT_EQ(ops::glu(x).shape(), (Shape{Shape::kNone, 3}));
  EXPECT_EQ(ops::relu(Tensor::symbolic({2}, DType::Int64)).dtype(), DType::Int64);
}

TEST_P(NnActivationTest, Errors) {
  expect_error<ValueError>(
      [] {
        ops::glu(f32({1, 2, 3}));
      },
      {"ops::glu", "divisible by 2", "(3,)"});
  expect_error<ValueError>([] { ops::softmax(f32({1, 2}), 1); }, {"ops::softmax", "axis 1"});
  expect_error<ValueError>([] { ops::softmax(Tensor(1.0f)); }, {"ops::softmax", "rank"});
  expect_error<ValueError>(
      [] {
        ops::log_softmax(f32({1, 2}, {1, 2}), -3);
      },
      {"ops::log_softmax", "axis -3"});
  expect_error<ValueError>([] { ops::celu(f32({1}), 0.0); }, {"ops::celu", "alpha"});
  expect_error<ValueError>([] { ops::relu(Tensor()); }, {"ops::relu", "undefined"});
}

TEST_P(NnActivationTest, Gradients) {
  // Points away from the kinks, so finite differences are valid.
  Tensor x = f64({-4.1, -2.2, -0.7, -0.15, 0.35, 1.3, 2.6, 4.4, 7.1});
  for (const Case& c : cases()) {
    testing::expect_gradients_match([&](const std::vector<Tensor>& in) { return c.op(in[0]); }, {x},
                                    c.name);
  }
  Tensor m = testing::test_values({3, 4}, -2, 2);
  testing::expect_gradients_match([](const auto& in) { return ops::softmax(in[0]); }, {m},
                                  "softmax");
  testing::expect_gradients_match([](const auto& in) { return ops::softmax(in[0], 0); }, {m},
                                  "softmax axis 0");
  testing::expect_gradients_match([](const auto& in) { return ops::log_softmax(in[0]); }, {m},
                                  "log_softmax");
  testing::expect_gradients_match([](const auto& in) { return ops::glu(in[0]); }, {m}, "glu");
  testing::expect_gradients_match([](const auto& in) { return ops::glu(in[0], 0); },
                                  {testing::test_values({4, 3})}, "glu axis 0");
}

TEST_P(NnActivationTest, SecondOrderGradients) {
  Tensor m = testing::test_values({2, 4}, -2, 2);
  testing::expect_second_gradients_match([](const auto& in) { return ops::softmax(in[0]); }, {m},
                                         "softmax");
  testing::expect_second_gradients_match([](const auto& in) { return ops::log_softmax(in[0]); },
                                         {m}, "log_softmax");
  testing::expect_second_gradients_match([](const auto& in) { return ops::sigmoid(in[0]); }, {m},
                                         "sigmoid");
  testing::expect_second_gradients_match([](const auto& in) { return ops::gelu(in[0]); }, {m},
                                         "gelu");
  testing::expect_second_gradients_match([](const auto& in) { return ops::softplus(in[0]); }, {m},
                                         "softplus");
  testing::expect_second_gradients_match([](const auto& in) { return ops::elu(in[0]); }, {m},
                                         "elu");
}

TEST_P(NnActivationTest, GradientsStayFiniteAtExtremes) {
  Tensor x = f32({-1000, -50, 50, 1000});
  for (const Case& c : cases()) {
    Tensor g =
        keras::grad([&](const std::vector<Tensor>& in) { return ops::sum(c.op(in[0])); })({x})[0];
    for (double v : g.to_vector<double>()) EXPECT_TRUE(std::isfinite(v)) << c.name;
  }
  Tensor row = f32({-INFINITY, 0, 1}, {1, 3});
  Tensor g = keras::grad([](const std::vector<Tensor>& in) {
    return ops::sum(ops::softmax(in[0]) * f32({1, 2, 3}, {1, 3}));
  })({row})[0];
  for (double v : g.to_vector<double>()) EXPECT_TRUE(std::isfinite(v));
}

KERAS_INSTANTIATE_BACKEND_TEST(NnActivationTest);

}  // namespace
}  // namespace keras
