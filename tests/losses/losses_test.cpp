// keras::losses against Python Keras's numbers (losses.npz), plus configs, names, errors and
// gradients.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/losses/losses.hpp"
#include "keras/losses/serialization.hpp"
#include "keras/ops/ops.hpp"
#include "keras/serialization/object_registry.hpp"
#include "testing/backends.hpp"
#include "testing/gradient_check.hpp"
#include "testing/npz.hpp"

namespace keras {
namespace {

const auto& fixture() { return testing::cached_npz(KERAS_FIXTURES_DIR "/losses.npz"); }

// max |ours - keras| <= 1e-5 * max(1, max |keras|)  (fixtures README).
void expect_close(const Tensor& ours, const testing::NpyArray& expected, const std::string& what) {
  EXPECT_TRUE(testing::close_to_keras(ours, expected)) << what;
}

class LossesTest : public testing::BackendTest {};

TEST_P(LossesTest, MatchesKerasFixtures) {
  std::vector<std::string> cases = testing::fixture_cases(fixture());
  ASSERT_GE(cases.size(), 28u);
  for (const std::string& name : cases) {
    SCOPED_TRACE(name);
    Config spec = Config::parse(fixture().at(name + "__config").str());
    Config args = spec["args"];
    Config envelope = {{"class_name", spec["class_name"]}, {"config", args}};
    std::shared_ptr<losses::Loss> loss = losses::deserialize(envelope);
    Config none_args = args;
    none_args["reduction"] = nullptr;
    std::shared_ptr<losses::Loss> per_sample_loss =
        losses::deserialize(Config{{"class_name", spec["class_name"]}, {"config", none_args}});

    Tensor y_true = testing::to_tensor(fixture().at(name + "__y_true"));
    Tensor y_pred = testing::to_tensor(fixture().at(name + "__y_pred"));
    Tensor sw;
    if (fixture().count(name + "__sample_weight"))
      sw = testing::to_tensor(fixture().at(name + "__sample_weight"));
    expect_close((*loss)(y_true, y_pred, sw), fixture().at(name + "__value"), name + " value");
    expect_close((*per_sample_loss)(y_true, y_pred, sw), fixture().at(name + "__per_sample"),
                 name + " per_sample");
    // Keras's default names.
    EXPECT_EQ(loss->name(), spec["get_config"]["name"].get<std::string>());
  }
}

TEST_P(LossesTest, ReductionsAndSampleWeights) {
  Tensor y_true = ops::convert_to_tensor<float>({0, 1, 2, 3}, Shape{2, 2});
  Tensor y_pred = ops::convert_to_tensor<float>({1, 1, 2, 5}, Shape{2, 2});
  // per-sample mse: [0.5, 2.0]
  auto value = [&](std::optional<std::string> reduction, Tensor sw = Tensor()) {
    return losses::MeanSquaredError({.reduction = reduction})(y_true, y_pred, sw);
  };
  EXPECT_FLOAT_EQ(value("sum_over_batch_size").item<float>(), 1.25f);
  EXPECT_FLOAT_EQ(value("mean").item<float>(), 1.25f);
  EXPECT_FLOAT_EQ(value("sum").item<float>(), 2.5f);
  EXPECT_EQ(value(std::nullopt).shape(), Shape({2}));
  EXPECT_EQ(value("none").shape(), Shape({2}));
  Tensor sw = ops::convert_to_tensor<float>({1, 3});
  EXPECT_FLOAT_EQ(value("sum_over_batch_size", sw).item<float>(), (0.5f + 6.0f) / 2);
  EXPECT_FLOAT_EQ(value("sum", sw).item<float>(), 6.5f);
  EXPECT_FLOAT_EQ(value("mean_with_sample_weight", sw).item<float>(), 6.5f / 4);
  // (batch, 1) sample weights are squeezed to the losses' rank.
  EXPECT_FLOAT_EQ(value("sum", ops::reshape(sw, {2, 1})).item<float>(), 6.5f);
  // y_true (batch,) against y_pred (batch, 1) is expanded.
  Tensor t = ops::convert_to_tensor<float>({1, 2});
  Tensor p = ops::convert_to_tensor<float>({1, 4}, Shape{2, 1});
  EXPECT_FLOAT_EQ(losses::MeanAbsoluteError()(t, p).item<float>(), 1.0f);
}

TEST_P(LossesTest, SparseIgnoreClassAveragesOverValidEntries) {
  Tensor labels = ops::convert_to_tensor<int32_t>({0, 1, 2});
  Tensor logits = ops::convert_to_tensor<float>({2, 0, 0, 0, 2, 0, 0, 0, 2}, Shape{3, 3});
  losses::SparseCategoricalCrossentropy all({.from_logits = true});
  losses::SparseCategoricalCrossentropy ignore({.from_logits = true, .ignore_class = 2});
  Tensor per = losses::SparseCategoricalCrossentropy(
      {.from_logits = true, .ignore_class = 2, .reduction = std::nullopt})(labels, logits);
  std::vector<float> v = per.to_vector<float>();
  EXPECT_FLOAT_EQ(v[2], 0.0f);
  // The mask rescales: the mean is over the two valid entries.
  EXPECT_NEAR(ignore(labels, logits).item<float>(), (v[0] + v[1]) / 2, 1e-6);
  EXPECT_NEAR(all(labels, logits).item<float>(), v[0], 1e-6);
}

TEST_P(LossesTest, OtherLossesGiveKerasValues) {
  Tensor y_true = ops::convert_to_tensor<float>({0, 1, 1, 0}, Shape{2, 2});
  Tensor y_pred = ops::convert_to_tensor<float>({0.1f, 0.8f, 0.6f, 0.3f}, Shape{2, 2});
  // Values computed with the formulas of keras/src/losses/losses.py.
  auto bce = [](double t, double p) { return -(t * std::log(p) + (1 - t) * std::log(1 - p)); };
  double pt[4] = {0.9, 0.8, 0.6, 0.7};
  double expected = 0;
  double t[4] = {0, 1, 1, 0}, p[4] = {0.1, 0.8, 0.6, 0.3};
  for (int i = 0; i < 4; ++i) expected += std::pow(1 - pt[i], 2.0) * bce(t[i], p[i]);
  EXPECT_NEAR(losses::BinaryFocalCrossentropy()(y_true, y_pred).item<float>(), expected / 4, 1e-5);
  // Dice over all axes: 1 - 2 * 1.4 / (2 + 1.8 + eps)
  EXPECT_NEAR(losses::Dice()(y_true, y_pred).item<float>(), 1 - 2.8 / 3.8, 1e-5);
  // Tversky(0.5, 0.5) equals Dice.
  EXPECT_NEAR(losses::Tversky()(y_true, y_pred).item<float>(), 1 - 2.8 / 3.8, 1e-5);
  Tensor one_hot = ops::convert_to_tensor<float>({0, 1, 1, 0}, Shape{2, 2});
  double cfce = 0.25 *
                (std::pow(1 - 0.8 / 0.9, 2) * -std::log(0.8 / 0.9) +
                 std::pow(1 - 0.6 / 0.9, 2) * -std::log(0.6 / 0.9)) /
                2;
  EXPECT_NEAR(losses::CategoricalFocalCrossentropy()(one_hot, y_pred).item<float>(), cfce, 1e-5);
}

TEST_P(LossesTest, GradientsMatchFiniteDifferences) {
  Tensor y_true = testing::test_values({3, 4}, 0.05, 0.95, 7);
  Tensor probs = testing::test_values({3, 4}, 0.05, 0.95, 8);
  Tensor logits = testing::test_values({3, 4}, -2.0, 2.0, 9);
  auto check = [&](const losses::Loss& loss, const Tensor& pred, const std::string& what) {
    testing::expect_gradients_match(
        [&](const std::vector<Tensor>& x) { return loss(y_true, x[0]); }, {pred}, what,
        {.eps = 1e-6, .atol = 1e-5, .rtol = 1e-4});
  };
  auto f64 = DType::Float64;
  check(losses::MeanSquaredError({.dtype = f64}), logits, "MeanSquaredError");
  check(losses::Huber({.delta = 0.5, .dtype = f64}), logits, "Huber");
  check(losses::LogCosh({.dtype = f64}), logits, "LogCosh");
  check(losses::BinaryCrossentropy({.from_logits = true, .dtype = f64}), logits,
        "BinaryCrossentropy(from_logits)");
  check(losses::BinaryCrossentropy({.label_smoothing = 0.1, .dtype = f64}), probs,
        "BinaryCrossentropy(label_smoothing)");
  check(losses::CategoricalCrossentropy({.from_logits = true, .dtype = f64}), logits,
        "CategoricalCrossentropy(from_logits)");
  check(losses::KLDivergence({.dtype = f64}), probs, "KLDivergence");
  check(losses::CosineSimilarity({.dtype = f64}), logits, "CosineSimilarity");
  Tensor labels = ops::convert_to_tensor<int32_t>({0, 3, 1});
  testing::expect_gradients_match(
      [&](const std::vector<Tensor>& x) {
        return losses::SparseCategoricalCrossentropy({.from_logits = true, .dtype = f64})(labels,
                                                                                          x[0]);
      },
      {logits}, "SparseCategoricalCrossentropy(from_logits)", {.atol = 1e-5, .rtol = 1e-4});
}

TEST_P(LossesTest, DtypeFollowsTheLoss) {
  Tensor t = ops::ones({2, 3}, DType::Float64);
  EXPECT_EQ(losses::MeanSquaredError()(t, t).dtype(), DType::Float32);
  EXPECT_EQ(losses::MeanSquaredError({.dtype = DType::Float64})(t, t).dtype(), DType::Float64);
}

KERAS_INSTANTIATE_BACKEND_TEST(LossesTest);

// ---- backend-independent: names, configs, registry ----

TEST(LossesConfig, DefaultNamesAndConfigs) {
  EXPECT_EQ(losses::MeanSquaredError().name(), "mean_squared_error");
  EXPECT_EQ(losses::Huber().name(), "huber_loss");
  EXPECT_EQ(losses::LogCosh().name(), "log_cosh");
  EXPECT_EQ(losses::KLDivergence().name(), "kl_divergence");
  EXPECT_EQ(losses::MeanSquaredError().get_config().dump(),
            R"({"name":"mean_squared_error","reduction":"sum_over_batch_size"})");
  EXPECT_EQ(losses::BinaryCrossentropy({.from_logits = true}).get_config().dump(),
            R"({"name":"binary_crossentropy","reduction":"sum_over_batch_size","from_logits":true,)"
            R"("label_smoothing":0.0,"axis":-1})");
  EXPECT_EQ(losses::SparseCategoricalCrossentropy().get_config().dump(),
            R"({"name":"sparse_categorical_crossentropy","reduction":"sum_over_batch_size",)"
            R"("from_logits":false,"ignore_class":null,"axis":-1})");
  EXPECT_EQ(losses::Huber({.delta = 2.5}).get_config()["delta"], 2.5);
  EXPECT_EQ(losses::MeanSquaredError({.reduction = std::nullopt}).get_config()["reduction"],
            nullptr);
}

TEST(LossesConfig, SerializeRoundTripsEveryClass) {
  std::vector<std::shared_ptr<losses::Loss>> all = {
      std::make_shared<losses::MeanSquaredError>(),
      std::make_shared<losses::MeanAbsoluteError>(losses::LossOptions{.reduction = "sum"}),
      std::make_shared<losses::MeanAbsolutePercentageError>(),
      std::make_shared<losses::MeanSquaredLogarithmicError>(),
      std::make_shared<losses::CosineSimilarity>(losses::CosineSimilarityOptions{.axis = 0}),
      std::make_shared<losses::Huber>(losses::HuberOptions{.delta = 2.0}),
      std::make_shared<losses::LogCosh>(),
      std::make_shared<losses::Hinge>(),
      std::make_shared<losses::SquaredHinge>(),
      std::make_shared<losses::CategoricalHinge>(),
      std::make_shared<losses::KLDivergence>(),
      std::make_shared<losses::Poisson>(),
      std::make_shared<losses::BinaryCrossentropy>(
          losses::BinaryCrossentropyOptions{.from_logits = true, .label_smoothing = 0.2}),
      std::make_shared<losses::BinaryFocalCrossentropy>(
          losses::BinaryFocalCrossentropyOptions{.apply_class_balancing = true, .gamma = 3.0}),
      std::make_shared<losses::CategoricalCrossentropy>(
          losses::CategoricalCrossentropyOptions{.axis = 1, .name = "cce"}),
      std::make_shared<losses::CategoricalFocalCrossentropy>(),
      std::make_shared<losses::SparseCategoricalCrossentropy>(
          losses::SparseCategoricalCrossentropyOptions{.ignore_class = 0}),
      std::make_shared<losses::Dice>(losses::DiceOptions{.axis = std::vector<int64_t>{1}}),
      std::make_shared<losses::Tversky>(losses::TverskyOptions{.alpha = 0.3}),
      std::make_shared<losses::CategoricalGeneralizedCrossEntropy>(),
      losses::get("mse"),
  };
  for (const auto& loss : all) {
    Config envelope = losses::serialize(*loss);
    SCOPED_TRACE(envelope.dump());
    EXPECT_EQ(envelope["module"], "keras.losses");
    EXPECT_EQ(envelope["class_name"], loss->class_name());
    EXPECT_EQ(envelope["registered_name"], nullptr);
    auto again = losses::deserialize(envelope);
    EXPECT_EQ(again->class_name(), loss->class_name());
    EXPECT_EQ(again->get_config(), loss->get_config());
  }
}

TEST(LossesConfig, GetAcceptsKerasIdentifiers) {
  EXPECT_EQ(losses::get("MeanSquaredError")->class_name(), "MeanSquaredError");
  for (const char* id : {"mse", "MSE", "mae", "mape", "msle", "bce", "kld", "huber", "log_cosh",
                         "binary_crossentropy", "categorical_crossentropy",
                         "sparse_categorical_crossentropy", "mean_squared_error"}) {
    auto loss = losses::get(id);
    EXPECT_EQ(loss->class_name(), "LossFunctionWrapper") << id;
    EXPECT_EQ(loss->name(), id);
  }
  EXPECT_EQ(losses::get("SparseCategoricalCrossentropy")->name(),
            "sparse_categorical_crossentropy");
  Config envelope = {{"class_name", "CategoricalCrossentropy"},
                     {"config", {{"from_logits", true}}}};
  EXPECT_EQ(losses::get(envelope)->get_config()["from_logits"], true);
  try {
    losses::get("nope");
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Could not interpret loss identifier: nope"),
              std::string::npos);
  }
}

TEST(LossesConfig, CompileChoosesCrossentropy) {
  EXPECT_EQ(losses::get_compile_loss("ce", {4}, {4, 1})->get_config()["fn"]["config"],
            "binary_crossentropy");
  EXPECT_EQ(losses::get_compile_loss("crossentropy", {4}, {4, 5})->get_config()["fn"]["config"],
            "sparse_categorical_crossentropy");
  EXPECT_EQ(losses::get_compile_loss("ce", {4, 5}, {4, 5})->get_config()["fn"]["config"],
            "categorical_crossentropy");
  EXPECT_EQ(losses::get_compile_loss("ce", {4, 5}, {4, 5})->name(), "ce");
}

TEST(LossesConfig, ErrorsNameTheArgument) {
  try {
    losses::MeanSquaredError({.reduction = "avg"});
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Received: reduction=avg"), std::string::npos);
  }
  Config bad = {{"class_name", "Huber"}, {"config", {{"delta", 1.0}, {"nope", 1}}}};
  EXPECT_THROW(losses::deserialize(bad), ValueError);
  EXPECT_THROW(losses::CategoricalGeneralizedCrossEntropy({.q = 1.5}), ValueError);
}

TEST(LossesConfig, UserLossesRegister) {
  struct Twice : losses::Loss {
    using Loss::Loss;
    Tensor call(const Tensor& t, const Tensor& p) const override {
      return 2.0 * losses::mean_absolute_error(t, p);
    }
    std::string class_name() const override { return "Twice"; }
  };
  saving::Registry<losses::Loss>::instance().add("Twice", [](const Config& c) {
    return std::make_shared<Twice>(losses::LossOptions{.name = c.value("name", "twice")});
  });
  Twice twice({.name = "twice"});
  Config envelope = losses::serialize(twice);
  EXPECT_EQ(envelope["registered_name"], "Twice");
  auto again = losses::deserialize(envelope);
  Tensor a = ops::zeros({2, 2}), b = ops::ones({2, 2});
  EXPECT_FLOAT_EQ((*again)(a, b).item<float>(), 2.0f);
}

}  // namespace
}  // namespace keras
