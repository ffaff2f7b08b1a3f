#include "keras/metrics/serialization.hpp"

#include <cctype>

#include "keras/losses/losses.hpp"
#include "keras/losses/serialization.hpp"
#include "keras/metrics/accuracy_metrics.hpp"
#include "keras/metrics/confusion_metrics.hpp"
#include "keras/metrics/f_score_metrics.hpp"
#include "keras/metrics/iou_metrics.hpp"
#include "keras/metrics/reduction_metrics.hpp"
#include "keras/metrics/regression_metrics.hpp"
#include "keras/serialization/object_registry.hpp"
#include "losses/builtin_registry.hpp"
#include "losses/config_reader.hpp"
#include "losses/crossentropy_fields.hpp"
#include "serialization/config_fields.hpp"

namespace keras::metrics {

namespace {

using keras::detail::ConfigReader;
using Registry = saving::Registry<Metric>;

template <class Class, class Options, class ReadExtra>
void add(const std::string& class_name, ReadExtra read_extra,
         std::vector<std::string> aliases = {}) {
  std::string snake = saving::to_snake_case(class_name);
  if (snake != class_name) aliases.push_back(snake);
  keras::detail::add_builtin<Metric, Class, Options>(class_name, read_extra, std::move(aliases));
}

template <class Class>
void add_simple(const std::string& class_name, std::vector<std::string> aliases = {}) {
  add<Class, MetricOptions>(
      class_name, [](ConfigReader&, MetricOptions&) {}, aliases);
}

// The crossentropy keys (losses/crossentropy_fields.hpp).
template <class Options>
void read_crossentropy(ConfigReader& r, Options& o) {
  saving::read_fields(r, o, keras::detail::kCrossentropyFields);
}

void read_thresholds(ConfigReader& r, std::optional<std::vector<double>>& t) {
  r.read("thresholds", t);
}

std::shared_ptr<Metric> wrapper_from_config(const Config& config) {
  ConfigReader r(config, "MeanMetricWrapper");
  MetricOptions o;
  keras::detail::read_base(r, o);
  Config fn;
  r.read("fn", fn);
  r.finish();
  std::string fn_name = keras::detail::wrapped_function_name(fn);
  std::string canonical = losses::function_name(fn_name);
  MetricFunction f;
  if (!canonical.empty()) {
    f = losses::get_function(canonical);
  } else if (fn_name == "accuracy") {
    f = accuracy, canonical = fn_name;
  } else if (fn_name == "binary_accuracy") {
    f = [](const Tensor& a, const Tensor& b) { return binary_accuracy(a, b); }, canonical = fn_name;
  } else if (fn_name == "categorical_accuracy") {
    f = categorical_accuracy, canonical = fn_name;
  } else if (fn_name == "sparse_categorical_accuracy") {
    f = sparse_categorical_accuracy, canonical = fn_name;
  } else {
    throw ValueError("MeanMetricWrapper.from_config: unknown metric function " + fn.dump());
  }
  return std::make_shared<MeanMetricWrapper>(f, canonical, o);
}

void register_builtins() {
  static const bool done = [] {
    add<Mean, MetricOptions>("Mean", [](ConfigReader&, MetricOptions&) {});
    add<Sum, MetricOptions>("Sum", [](ConfigReader&, MetricOptions&) {});
    keras::detail::builtin_names<Metric>().insert("MeanMetricWrapper");
    Registry::instance().add("MeanMetricWrapper", wrapper_from_config, {"mean_metric_wrapper"});
    // regression / probabilistic / hinge
    add_simple<MeanSquaredError>("MeanSquaredError", {"mse", "MSE"});
    add_simple<MeanAbsoluteError>("MeanAbsoluteError", {"mae", "MAE"});
    add_simple<MeanAbsolutePercentageError>("MeanAbsolutePercentageError", {"mape", "MAPE"});
    add_simple<MeanSquaredLogarithmicError>("MeanSquaredLogarithmicError", {"msle", "MSLE"});
    add_simple<LogCoshError>("LogCoshError");
    add_simple<KLDivergence>("KLDivergence");
    add_simple<Poisson>("Poisson");
    add_simple<Hinge>("Hinge");
    add_simple<SquaredHinge>("SquaredHinge");
    add_simple<CategoricalHinge>("CategoricalHinge");
    add_simple<RootMeanSquaredError>("RootMeanSquaredError");
    add<CosineSimilarity, CosineSimilarityOptions>(
        "CosineSimilarity",
        [](ConfigReader& r, CosineSimilarityOptions& o) { r.read("axis", o.axis); });
    add<R2Score, R2ScoreOptions>("R2Score", [](ConfigReader& r, R2ScoreOptions& o) {
      r.read("class_aggregation", o.class_aggregation);
      r.read("num_regressors", o.num_regressors);
    });
    add<BinaryCrossentropy, BinaryCrossentropyOptions>(
        "BinaryCrossentropy", read_crossentropy<BinaryCrossentropyOptions>, {"bce", "BCE"});
    add<CategoricalCrossentropy, CategoricalCrossentropyOptions>(
        "CategoricalCrossentropy", read_crossentropy<CategoricalCrossentropyOptions>);
    add<SparseCategoricalCrossentropy, SparseCategoricalCrossentropyOptions>(
        "SparseCategoricalCrossentropy", read_crossentropy<SparseCategoricalCrossentropyOptions>);
    // accuracy
    add_simple<Accuracy>("Accuracy");
    add<BinaryAccuracy, BinaryAccuracyOptions>(
        "BinaryAccuracy",
        [](ConfigReader& r, BinaryAccuracyOptions& o) { r.read("threshold", o.threshold); });
    add_simple<CategoricalAccuracy>("CategoricalAccuracy");
    add_simple<SparseCategoricalAccuracy>("SparseCategoricalAccuracy");
    add<TopKCategoricalAccuracy, TopKCategoricalAccuracyOptions>(
        "TopKCategoricalAccuracy",
        [](ConfigReader& r, TopKCategoricalAccuracyOptions& o) { r.read("k", o.k); });
    add<SparseTopKCategoricalAccuracy, SparseTopKCategoricalAccuracyOptions>(
        "SparseTopKCategoricalAccuracy",
        [](ConfigReader& r, SparseTopKCategoricalAccuracyOptions& o) {
          r.read("k", o.k);
          r.read("from_sorted_ids", o.from_sorted_ids);
        });
    // confusion
    auto counts = [](ConfigReader& r, ConfusionCountOptions& o) {
      read_thresholds(r, o.thresholds);
    };
    add<TruePositives, ConfusionCountOptions>("TruePositives", counts);
    add<FalsePositives, ConfusionCountOptions>("FalsePositives", counts);
    add<TrueNegatives, ConfusionCountOptions>("TrueNegatives", counts);
    add<FalseNegatives, ConfusionCountOptions>("FalseNegatives", counts);
    auto pr = [](ConfigReader& r, PrecisionRecallOptions& o) {
      read_thresholds(r, o.thresholds);
      r.read("top_k", o.top_k);
      r.read("class_id", o.class_id);
    };
    add<Precision, PrecisionRecallOptions>("Precision", pr);
    add<Recall, PrecisionRecallOptions>("Recall", pr);
    auto at = [](const char* key) {
      return [key](ConfigReader& r, AtValueOptions& o) {
        r.read(key, o.value);
        r.read("num_thresholds", o.num_thresholds);
        r.read("class_id", o.class_id);
      };
    };
    add<SensitivityAtSpecificity, AtValueOptions>("SensitivityAtSpecificity", at("specificity"));
    add<SpecificityAtSensitivity, AtValueOptions>("SpecificityAtSensitivity", at("sensitivity"));
    add<PrecisionAtRecall, AtValueOptions>("PrecisionAtRecall", at("recall"));
    add<RecallAtPrecision, AtValueOptions>("RecallAtPrecision", at("precision"));
    add<AUC, AUCOptions>("AUC", [](ConfigReader& r, AUCOptions& o) {
      r.read("num_thresholds", o.num_thresholds);
      r.read("curve", o.curve);
      r.read("summation_method", o.summation_method);
      r.read("thresholds", o.thresholds);
      r.read("multi_label", o.multi_label);
      r.read("num_labels", o.num_labels);
      r.read("label_weights", o.label_weights);
      r.read("from_logits", o.from_logits);
    });
    // f-score
    // f-score (F1Score has no beta)
    auto f_score = [](ConfigReader& r, auto& o) {
      r.read("average", o.average);
      if constexpr (requires { o.beta; }) r.read("beta", o.beta);
      r.read("threshold", o.threshold);
    };
    add<FBetaScore, FBetaScoreOptions>("FBetaScore", f_score);
    add<F1Score, F1ScoreOptions>("F1Score", f_score);
    // IoU (MeanIoU has no target_class_ids)
    auto iou = [](ConfigReader& r, auto& o) {
      r.read("num_classes", o.num_classes);
      if constexpr (requires { o.target_class_ids; })
        r.read("target_class_ids", o.target_class_ids);
      r.read("ignore_class", o.ignore_class);
      r.read("sparse_y_true", o.sparse_y_true);
      r.read("sparse_y_pred", o.sparse_y_pred);
      r.read("axis", o.axis);
    };
    add<IoU, IoUOptions>("IoU", iou);
    add<MeanIoU, MeanIoUOptions>("MeanIoU", iou);
    return true;
  }();
  (void)done;
}

const bool registered_at_load = (register_builtins(), true);

}  // namespace

std::shared_ptr<Metric> get(const std::string& identifier) {
  register_builtins();
  if (!Registry::instance().contains(identifier))
    throw ValueError("Could not interpret metric identifier: " + identifier);
  return Registry::instance().create(identifier, Config::object(), "metric");
}

std::shared_ptr<Metric> get(const Config& identifier) {
  if (identifier.is_string()) return get(identifier.get<std::string>());
  return deserialize(identifier);
}

Config serialize(const Metric& metric) {
  register_builtins();
  return keras::detail::serialize_builtin<Metric>("keras.metrics", metric);
}

std::shared_ptr<Metric> deserialize(const Config& config) {
  register_builtins();
  if (config.is_string()) return get(config.get<std::string>());
  return Registry::instance().deserialize(config, "metric");
}

std::shared_ptr<Metric> resolve_accuracy(const Shape& y_true_shape, const Shape& y_pred_shape,
                                         const std::string& name) {
  auto [is_binary, is_sparse] = losses::is_binary_or_sparse_categorical(y_true_shape, y_pred_shape);
  if (is_binary) return std::make_shared<BinaryAccuracy>(BinaryAccuracyOptions{.name = name});
  if (is_sparse) return std::make_shared<SparseCategoricalAccuracy>(MetricOptions{.name = name});
  return std::make_shared<CategoricalAccuracy>(MetricOptions{.name = name});
}

std::shared_ptr<Metric> get_compile_metric(const std::string& identifier, const Shape& y_true_shape,
                                           const Shape& y_pred_shape) {
  std::string lower = keras::detail::lower_identifier(identifier);
  if (lower == "accuracy" || lower == "acc")
    return resolve_accuracy(y_true_shape, y_pred_shape, identifier);
  std::shared_ptr<Metric> metric;
  register_builtins();
  if (Registry::instance().contains(identifier)) {
    metric = get(identifier);
  } else if (auto fn = losses::get_function(identifier)) {
    // Loss function names ("binary_crossentropy" is also a class; "huber" is only a function).
    metric = std::make_shared<MeanMetricWrapper>(fn, losses::function_name(identifier));
  } else {
    metric = get(identifier);  // throws the "could not interpret" error
  }
  metric->set_name(identifier);
  return metric;
}

}  // namespace keras::metrics
