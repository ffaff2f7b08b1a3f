// keras::metrics against Python Keras's numbers (metrics.npz), plus state sharing, reset,
// configs and the compile() helpers.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/metrics/accuracy_metrics.hpp"
#include "keras/metrics/confusion_metrics.hpp"
#include "keras/metrics/f_score_metrics.hpp"
#include "keras/metrics/iou_metrics.hpp"
#include "keras/metrics/reduction_metrics.hpp"
#include "keras/metrics/regression_metrics.hpp"
#include "keras/metrics/serialization.hpp"
#include "keras/ops/ops.hpp"
#include "keras/serialization/object_registry.hpp"
#include "keras/utils/naming.hpp"
#include "testing/backends.hpp"
#include "testing/npz.hpp"

namespace keras {
namespace {

const auto& fixture() { return testing::cached_npz(KERAS_FIXTURES_DIR "/metrics.npz"); }

// max |ours - keras| <= 1e-5 * max(1, max |keras|)  (fixtures README).
void expect_close(const Tensor& ours, const testing::NpyArray& expected, const std::string& what) {
  EXPECT_TRUE(testing::close_to_keras(ours, expected)) << what;
}

float value(const Tensor& x) { return x.item<float>(); }

class MetricsTest : public testing::BackendTest {};

TEST_P(MetricsTest, MatchesKerasFixtures) {
  std::vector<std::string> cases = testing::fixture_cases(fixture());
  ASSERT_GE(cases.size(), 10u);
  for (const std::string& name : cases) {
    SCOPED_TRACE(name);
    clear_session();  // Keras's fixture names are the first of their kind ("auc", not "auc_3")
    Config spec = Config::parse(fixture().at(name + "__config").str());
    auto metric =
        metrics::deserialize(Config{{"class_name", spec["class_name"]}, {"config", spec["args"]}});
    auto batch = [&](int i, const char* what) {
      return testing::to_tensor(fixture().at(name + "__" + what + "_" + std::to_string(i)));
    };
    metric->update_state(batch(0, "y_true"), batch(0, "y_pred"));
    expect_close(metric->result(), fixture().at(name + "__result_after_1"), "after 1");
    metric->update_state(batch(1, "y_true"), batch(1, "y_pred"));
    expect_close(metric->result(), fixture().at(name + "__result"), "after 2");
    EXPECT_EQ(metric->get_config()["name"], spec["get_config"]["name"]);
    EXPECT_EQ(metric->get_config()["dtype"], spec["get_config"]["dtype"]);
    metric->reset_state();
    for (const Variable& v : metric->variables())
      EXPECT_EQ(ops::sum(ops::abs(ops::cast(v.value(), DType::Float32))).item<float>(), 0.0f);
    // After a reset the metric starts over.
    metric->update_state(batch(0, "y_true"), batch(0, "y_pred"));
    expect_close(metric->result(), fixture().at(name + "__result_after_1"), "after reset");
  }
}

TEST_P(MetricsTest, MeanAndSumWithWeights) {
  metrics::Mean mean;
  mean.update_state(ops::convert_to_tensor<float>({1, 2, 3, 4}));
  EXPECT_FLOAT_EQ(value(mean.result()), 2.5f);
  mean.update_state(ops::convert_to_tensor<float>({10}), ops::convert_to_tensor<float>({2}));
  EXPECT_FLOAT_EQ(value(mean.result()), 30.0f / 6.0f);
  metrics::Sum sum;
  sum.update_state(ops::convert_to_tensor<float>({1, 2, 3}, Shape{3, 1}),
                   ops::convert_to_tensor<float>({1, 0, 2}));
  EXPECT_FLOAT_EQ(value(sum.result()), 7.0f);
  // Rank-2 values are averaged per sample before weighting.
  metrics::Mean m2;
  m2.update_state(ops::convert_to_tensor<float>({1, 3, 5, 7}, Shape{2, 2}),
                  ops::convert_to_tensor<float>({1, 3}));
  EXPECT_FLOAT_EQ(value(m2.result()), (2.0f + 3 * 6.0f) / 4.0f);
}

TEST_P(MetricsTest, CopiesShareState) {
  metrics::BinaryAccuracy a;
  metrics::BinaryAccuracy b = a;  // like a second Python name for one object
  auto shared = std::make_shared<metrics::BinaryAccuracy>(a);
  b.update_state(ops::convert_to_tensor<float>({1, 0}),
                 ops::convert_to_tensor<float>({0.9f, 0.8f}));
  EXPECT_FLOAT_EQ(value(a.result()), 0.5f);
  EXPECT_FLOAT_EQ(value(shared->result()), 0.5f);
  shared->reset_state();
  EXPECT_FLOAT_EQ(value(a.result()), 0.0f);
  b.set_name("acc");
  EXPECT_EQ(a.name(), "acc");
  ASSERT_EQ(a.variables().size(), 2u);
  EXPECT_TRUE(a.variables()[0].is(b.variables()[0]));
}

TEST_P(MetricsTest, AccuracyFamily) {
  Tensor probs = ops::convert_to_tensor<float>({0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f}, Shape{2, 3});
  metrics::SparseCategoricalAccuracy sparse;
  EXPECT_FLOAT_EQ(value(sparse(ops::convert_to_tensor<int32_t>({1, 2}), probs)), 0.5f);
  metrics::CategoricalAccuracy cat;
  EXPECT_FLOAT_EQ(value(cat(ops::convert_to_tensor<float>({0, 1, 0, 1, 0, 0}, Shape{2, 3}), probs)),
                  1.0f);
  metrics::SparseTopKCategoricalAccuracy top2({.k = 2});
  EXPECT_FLOAT_EQ(value(top2(ops::convert_to_tensor<int32_t>({2, 2}), probs)), 0.5f);
  metrics::SparseTopKCategoricalAccuracy sorted({.k = 1, .from_sorted_ids = true});
  Tensor ids = ops::convert_to_tensor<int32_t>({1, 2, 0, 0, 1, 2}, Shape{2, 3});
  EXPECT_FLOAT_EQ(value(sorted(ops::convert_to_tensor<int32_t>({1, 1}), ids)), 0.5f);
  metrics::Accuracy acc;
  EXPECT_FLOAT_EQ(value(acc(ops::convert_to_tensor<float>({1, 2, 3}),
                            ops::convert_to_tensor<float>({1, 2, 4}))),
                  2.0f / 3.0f);
}

TEST_P(MetricsTest, RegressionAndProbabilistic) {
  Tensor t = ops::convert_to_tensor<float>({0, 1, 2, 3}, Shape{2, 2});
  Tensor p = ops::convert_to_tensor<float>({1, 1, 2, 5}, Shape{2, 2});
  metrics::MeanSquaredError mse;
  EXPECT_FLOAT_EQ(value(mse(t, p)), 1.25f);
  metrics::RootMeanSquaredError rmse;
  EXPECT_FLOAT_EQ(value(rmse(t, p)), std::sqrt(1.25f));
  metrics::MeanAbsoluteError mae;
  EXPECT_FLOAT_EQ(value(mae(t, p)), 0.75f);
  metrics::CosineSimilarity cos;
  EXPECT_NEAR(value(cos(p, p)), 1.0f, 1e-6);
  metrics::FBetaScore f1({.average = "micro", .threshold = 0.5});
  Tensor yt = ops::convert_to_tensor<float>({1, 0, 1, 1}, Shape{2, 2});
  Tensor yp = ops::convert_to_tensor<float>({0.9f, 0.2f, 0.3f, 0.8f}, Shape{2, 2});
  // tp = 2, fp = 0, fn = 1: precision 1, recall 2/3, f1 0.8
  EXPECT_NEAR(value(f1(yt, yp)), 0.8f, 1e-5);
  metrics::F1Score per_class;
  EXPECT_EQ(per_class(yt, yp).shape(), Shape({2}));
}

TEST_P(MetricsTest, ConfusionCountsAndAUC) {
  Tensor yt = ops::convert_to_tensor<float>({0, 1, 1, 0, 1});
  Tensor yp = ops::convert_to_tensor<float>({0.2f, 0.8f, 0.4f, 0.6f, 1.0f});
  metrics::TruePositives tp;
  metrics::FalsePositives fp;
  metrics::TrueNegatives tn;
  metrics::FalseNegatives fn;
  EXPECT_FLOAT_EQ(value(tp(yt, yp)), 2.0f);
  EXPECT_FLOAT_EQ(value(fp(yt, yp)), 1.0f);
  EXPECT_FLOAT_EQ(value(tn(yt, yp)), 1.0f);
  EXPECT_FLOAT_EQ(value(fn(yt, yp)), 1.0f);
  metrics::TruePositives tp3({.thresholds = std::vector<double>{0.0, 0.5, 0.9}});
  EXPECT_EQ(tp3(yt, yp).to_vector<float>(), (std::vector<float>{3, 2, 1}));
  // Sample weights.
  metrics::Precision precision;
  precision.update_state(yt, yp, ops::convert_to_tensor<float>({1, 1, 1, 3, 1}));
  EXPECT_FLOAT_EQ(value(precision.result()), 2.0f / 5.0f);
  // Precision at top_k with class_id.
  metrics::Recall recall({.class_id = 1});
  Tensor t2 = ops::convert_to_tensor<float>({0, 1, 1, 0}, Shape{2, 2});
  Tensor p2 = ops::convert_to_tensor<float>({0.3f, 0.7f, 0.9f, 0.1f}, Shape{2, 2});
  EXPECT_FLOAT_EQ(value(recall(t2, p2)), 1.0f);
  // A perfect ranking has ROC AUC 1; PR AUC too.
  metrics::AUC roc;
  EXPECT_NEAR(value(roc(ops::convert_to_tensor<float>({0, 0, 1, 1}),
                        ops::convert_to_tensor<float>({0.1f, 0.4f, 0.6f, 0.9f}))),
              1.0f, 1e-5);
  metrics::AUC pr({.curve = "PR"});
  EXPECT_NEAR(value(pr(ops::convert_to_tensor<float>({0, 0, 1, 1}),
                       ops::convert_to_tensor<float>({0.1f, 0.4f, 0.6f, 0.9f}))),
              1.0f, 1e-3);
  // Multi-label AUC is the mean of the per-label AUCs.
  metrics::AUC multi({.multi_label = true});
  Tensor ml_t = ops::convert_to_tensor<float>({0, 1, 1, 0, 0, 1, 1, 0}, Shape{4, 2});
  Tensor ml_p =
      ops::convert_to_tensor<float>({0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f, 0.6f, 0.4f}, Shape{4, 2});
  EXPECT_NEAR(value(multi(ml_t, ml_p)), 1.0f, 1e-5);
  // Sensitivity at specificity 0.5 for the perfect ranking.
  metrics::SensitivityAtSpecificity sas({.value = 0.5});
  EXPECT_NEAR(value(sas(ops::convert_to_tensor<float>({0, 0, 1, 1}),
                        ops::convert_to_tensor<float>({0.1f, 0.4f, 0.6f, 0.9f}))),
              1.0f, 1e-5);
}

TEST_P(MetricsTest, IoUWithIgnoreClass) {
  metrics::MeanIoU iou({.num_classes = 3, .ignore_class = 2});
  Tensor t = ops::convert_to_tensor<int32_t>({0, 1, 2, 1});
  Tensor p = ops::convert_to_tensor<int32_t>({0, 1, 1, 0});
  // classes 0: tp 1, fp 1, fn 0 -> 1/2; class 1: tp 1, fn 1 -> 1/2; class 2 absent.
  EXPECT_NEAR(value(iou(t, p)), 0.5f, 1e-5);
}

KERAS_INSTANTIATE_BACKEND_TEST(MetricsTest);

TEST(MetricsConfig, DefaultNamesAndConfigs) {
  clear_session();  // names made by auto_name start over
  EXPECT_EQ(metrics::AUC().name(), "auc");
  EXPECT_EQ(metrics::AUC().name(), "auc_1");
  EXPECT_EQ(metrics::MeanIoU({.num_classes = 2}).name(), "mean_io_u");
  EXPECT_EQ(metrics::LogCoshError().name(), "logcosh");
  EXPECT_EQ(metrics::BinaryAccuracy().get_config().dump(),
            R"({"name":"binary_accuracy","dtype":"float32","threshold":0.5})");
  EXPECT_EQ(metrics::Precision().get_config().dump(),
            R"({"name":"precision","dtype":"float32","thresholds":null,"top_k":null,)"
            R"("class_id":null})");
  EXPECT_EQ(metrics::MeanIoU({.num_classes = 4}).get_config()["dtype"], "int32");
}

TEST(MetricsConfig, SerializeRoundTripsEveryClass) {
  for (const std::string& name : saving::Registry<metrics::Metric>::instance().names()) {
    if (name == "MeanMetricWrapper") continue;
    std::shared_ptr<metrics::Metric> m;
    if (name == "IoU") {
      m = std::make_shared<metrics::IoU>(
          metrics::IoUOptions{.num_classes = 3, .target_class_ids = {0, 2}});
    } else if (name == "MeanIoU") {
      m = std::make_shared<metrics::MeanIoU>(metrics::MeanIoUOptions{.num_classes = 3});
    } else {
      m = metrics::get(name);
    }
    Config envelope = metrics::serialize(*m);
    SCOPED_TRACE(envelope.dump());
    EXPECT_EQ(envelope["module"], "keras.metrics");
    auto again = metrics::deserialize(envelope);
    EXPECT_EQ(again->class_name(), m->class_name());
    EXPECT_EQ(again->get_config(), m->get_config());
  }
}

TEST(MetricsConfig, GetAndCompileHelpers) {
  EXPECT_EQ(metrics::get("mse")->class_name(), "MeanSquaredError");
  EXPECT_EQ(metrics::get("accuracy")->class_name(), "Accuracy");
  EXPECT_EQ(metrics::get("binary_accuracy")->class_name(), "BinaryAccuracy");
  EXPECT_EQ(metrics::get("AUC")->class_name(), "AUC");
  EXPECT_EQ(metrics::resolve_accuracy({8}, {8, 10})->class_name(), "SparseCategoricalAccuracy");
  EXPECT_EQ(metrics::resolve_accuracy({8, 1}, {8, 10})->class_name(), "SparseCategoricalAccuracy");
  EXPECT_EQ(metrics::resolve_accuracy({8, 10}, {8, 10})->class_name(), "CategoricalAccuracy");
  EXPECT_EQ(metrics::resolve_accuracy({8, 1}, {8, 1})->class_name(), "BinaryAccuracy");
  auto acc = metrics::get_compile_metric("acc", {8}, {8, 10});
  EXPECT_EQ(acc->name(), "acc");
  auto huber = metrics::get_compile_metric("huber", {8}, {8, 1});
  EXPECT_EQ(huber->class_name(), "MeanMetricWrapper");
  EXPECT_EQ(metrics::get_compile_metric("mae", {8}, {8, 1})->name(), "mae");
  EXPECT_THROW(metrics::get("nope"), ValueError);
}

}  // namespace
}  // namespace keras
