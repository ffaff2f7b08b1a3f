// save() / load_model() round trips of models built in C++: compiled Functional models with
// several inputs and outputs, a shared layer and a nested model (identical predictions, training
// resumes with the optimizer state), Sequential, registered subclassed models and
// custom_objects, compile=false, and the configs Keras writes for them.
#include <gtest/gtest.h>

#include <filesystem>

#include "keras_test_util.hpp"
#include "testing/backends.hpp"
#include "testing/fresh_session.hpp"

namespace keras {
namespace {

namespace L = keras::layers;

class KerasRoundTripTest : public testing::FreshSessionTest<42> {};

std::vector<double> values(const Tensor& t) { return ops::cast(t, float64).to_vector<double>(); }

void expect_same_weights(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].shape(), b[i].shape()) << "weight " << i;
    EXPECT_EQ(values(a[i]), values(b[i])) << "weight " << i;
  }
}

// Two inputs, a Dense shared by both branches, a nested Functional model, two outputs.
Model multi_io_model() {
  Tensor a = Input({4}, {.name = "in_a"});
  Tensor b = Input({3}, {.name = "in_b"});
  Tensor inner_in = Input({5});
  Model inner(inner_in, L::Dense({.units = 5, .activation = "tanh"})(inner_in),
              ModelOptions{.name = "inner"});
  auto shared = L::Dense({.units = 5, .activation = "relu", .name = "shared"});
  Tensor ha = shared(L::Dense({.units = 5, .name = "proj_a"})(a));
  Tensor hb = shared(L::Dense({.units = 5, .name = "proj_b"})(b));
  Tensor h = inner(ha);
  Tensor joined = L::Concatenate()({h, hb});
  Tensor out_a = L::Dense({.units = 2, .name = "out_a"})(joined);
  Tensor out_b = L::Dense({.units = 1, .name = "out_b"})(hb);
  return Model({a, b}, {out_a, out_b}, ModelOptions{.name = "two_tower"});
}

TEST_P(KerasRoundTripTest, CompiledFunctionalResumesTraining) {
  Model model = multi_io_model();
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.01}),
                 .loss = {{"out_a", "mse"}, {"out_b", losses::MeanAbsoluteError()}},
                 .loss_weights = {{"out_a", 1.0}, {"out_b", 0.5}},
                 .metrics = {"mae"}});
  Tensor xa = random::normal({16, 4}, {.seed = 1});
  Tensor xb = random::normal({16, 3}, {.seed = 2});
  Tensor ya = random::normal({16, 2}, {.seed = 3});
  Tensor yb = random::normal({16, 1}, {.seed = 4});
  model.fit({xa, xb}, {ya, yb}, {.batch_size = 8, .epochs = 2, .verbose = 0, .shuffle = false});

  std::string path = testing::temp_path("two_tower_" + backend_name() + ".keras");
  model.save(path);
  Model loaded = saving::load_model(path);

  EXPECT_EQ(loaded.name(), "two_tower");
  ASSERT_EQ(loaded->inputs().size(), 2u);
  ASSERT_EQ(loaded->outputs().size(), 2u);
  EXPECT_EQ(loaded->output_names(), (std::vector<std::string>{"out_a", "out_b"}));
  std::vector<Tensor> p0 = model.predict({xa, xb}), p1 = loaded.predict({xa, xb});
  ASSERT_EQ(p1.size(), 2u);
  for (size_t i = 0; i < 2; ++i) EXPECT_EQ(values(p0[i]), values(p1[i])) << "output " << i;

  // Same compile settings and optimizer state.
  ASSERT_TRUE(loaded->compiled());
  EXPECT_EQ(testing::config_diff(saving::compile_config(*loaded), saving::compile_config(*model)),
            "");
  EXPECT_EQ(loaded->optimizer()->iterations().item<int64_t>(), 4);
  expect_same_weights(
      [&] {
        std::vector<Tensor> v;
        for (const Variable& x : model->optimizer()->variables()) v.push_back(x.value());
        return v;
      }(),
      [&] {
        std::vector<Tensor> v;
        for (const Variable& x : loaded->optimizer()->variables()) v.push_back(x.value());
        return v;
      }());

  // Training continues identically from the restored state.
  History h0 =
      model.fit({xa, xb}, {ya, yb}, {.batch_size = 8, .epochs = 1, .verbose = 0, .shuffle = false});
  History h1 = loaded.fit({xa, xb}, {ya, yb},
                          {.batch_size = 8, .epochs = 1, .verbose = 0, .shuffle = false});
  EXPECT_EQ(h0.history.at("loss"), h1.history.at("loss"));
  EXPECT_EQ(loaded->optimizer()->iterations().item<int64_t>(), 6);
  expect_same_weights(model.get_weights(), loaded.get_weights());

  // The config is Keras's Functional layout: a shared layer with two inbound nodes and a nested
  // Functional model, numbered as Keras numbers them.
  Config config = testing::read_archive_json(path, "config.json");
  EXPECT_EQ(config["module"], "keras.src.models.functional");
  EXPECT_EQ(config["class_name"], "Functional");
  EXPECT_EQ(config["registered_name"], "Functional");
  EXPECT_EQ(config["build_config"], (Config{{"input_shape", nullptr}}));
  EXPECT_EQ(config["compile_config"]["optimizer"]["class_name"], "Adam");
  EXPECT_EQ(config["compile_config"]["loss"]["out_a"], "mse");
  EXPECT_EQ(config["compile_config"]["loss"]["out_b"]["class_name"], "MeanAbsoluteError");
  // The metrics list applies to every output: written once per output, as Keras 3 reads it for
  // a model with two outputs, and read back as one list.
  EXPECT_EQ(config["compile_config"]["metrics"], Config::parse(R"([["mae"], ["mae"]])"));
  EXPECT_EQ(loaded->compile_options().metrics.size(), 1u);
  const Config& cfg = config["config"];
  EXPECT_EQ(cfg["input_layers"], Config::parse(R"([["in_a", 0, 0], ["in_b", 0, 0]])"));
  EXPECT_EQ(cfg["output_layers"], Config::parse(R"([["out_a", 0, 0], ["out_b", 0, 0]])"));
  for (const Config& layer : cfg["layers"]) {
    if (layer["name"] == "shared") {
      ASSERT_EQ(layer["inbound_nodes"].size(), 2u);
    } else if (layer["name"] == "concatenate") {
      // The nested model's first call in this model is its node 0 (Keras 3 writes
      // ["inner", 0, 0]; tf.keras 2 counted a node of its own); shared's second call is 1.
      const Config& args = layer["inbound_nodes"][0]["args"][0];
      EXPECT_EQ(args[0]["config"]["keras_history"], Config::parse(R"(["inner", 0, 0])"));
    } else if (layer["name"] == "out_b") {
      const Config& arg = layer["inbound_nodes"][0]["args"][0];
      EXPECT_EQ(arg["config"]["keras_history"], Config::parse(R"(["shared", 1, 0])"));
    } else if (layer["name"] == "inner") {
      EXPECT_EQ(layer["class_name"], "Functional");
      EXPECT_EQ(layer["inbound_nodes"][0]["kwargs"], Config::parse(R"({"mask": null})"));
    }
  }
  std::filesystem::remove(path);
}

TEST_P(KerasRoundTripTest, SequentialCompiledEvaluatesTheSame) {
  auto model =
      Sequential({Input({6}), L::Dense({.units = 8, .activation = "relu"}),
                  L::Dropout({.rate = 0.25}), L::Dense({.units = 3, .activation = "softmax"})});
  model.compile(
      {.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  Tensor x = random::normal({32, 6}, {.seed = 5});
  Tensor y = ops::cast(random::randint({32}, 0, 3, {.seed = 6}), int32);
  model.fit(x, y, {.batch_size = 16, .epochs = 1, .verbose = 0});
  std::string path = testing::temp_path("seq_" + backend_name() + ".keras");
  model.save(path);

  Config config = testing::read_archive_json(path, "config.json");
  EXPECT_EQ(config["module"], "keras");
  EXPECT_EQ(config["class_name"], "Sequential");
  EXPECT_EQ(config["build_config"], Config::parse(R"({"input_shape": [null, 6]})"));
  EXPECT_EQ(config["config"]["build_input_shape"], Config::parse("[null, 6]"));
  EXPECT_EQ(config["config"]["layers"][0]["class_name"], "InputLayer");
  const Config& cc = config["compile_config"];
  std::vector<std::string> keys;
  for (auto it = cc.begin(); it != cc.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"optimizer", "loss", "loss_weights", "metrics",
                                            "weighted_metrics", "run_eagerly",
                                            "steps_per_execution", "jit_compile"}));
  EXPECT_EQ(cc["loss"], "sparse_categorical_crossentropy");
  EXPECT_EQ(cc["metrics"], Config::parse(R"(["accuracy"])"));

  Model loaded = saving::load_model(path);
  Logs l0 = model.evaluate(x, y, {.verbose = 0});
  Logs l1 = loaded.evaluate(x, y, {.verbose = 0});
  EXPECT_EQ(l0.at("loss"), l1.at("loss"));
  EXPECT_EQ(l0.at("accuracy"), l1.at("accuracy"));

  // compile = false: same architecture and weights, not compiled.
  Model plain = saving::load_model(path, {.compile = false});
  EXPECT_FALSE(plain->compiled());
  EXPECT_EQ(values(plain.predict(x)), values(model.predict(x)));
  std::filesystem::remove(path);
}

TEST_P(KerasRoundTripTest, UncompiledModelWritesEmptyCompileConfig) {
  Tensor x = Input({3});
  Model model(x, L::Dense({.units = 2})(x));
  std::string path = testing::temp_path("plain_" + backend_name() + ".keras");
  model.save(path);
  Config config = testing::read_archive_json(path, "config.json");
  EXPECT_EQ(config["compile_config"], Config::object());
  EXPECT_EQ(config["config"]["input_layers"], Config::parse(R"(["input_layer", 0, 0])"));
  EXPECT_EQ(config["config"]["output_layers"], Config::parse(R"(["dense", 0, 0])"));
  auto zip = saving::ZipReader::open(path);
  EXPECT_EQ(zip.names(),
            (std::vector<std::string>{"metadata.json", "config.json", "model.weights.h5"}));
  Model loaded = saving::load_model(path);
  EXPECT_FALSE(loaded->compiled());
  Tensor data = random::normal({4, 3}, {.seed = 9});
  EXPECT_EQ(values(loaded.predict(data)), values(model.predict(data)));
  std::filesystem::remove(path);
}

// A subclassed model with its own config, registered like
// @keras.saving.register_keras_serializable(package="my_package").
class ScaledMLPImpl : public ModelImpl {
 public:
  ScaledMLPImpl(int64_t units, double scale, ModelOptions options = {})
      : ModelImpl(options),
        units_(units),
        scale_(scale),
        dense_(track("dense", L::Dense({.units = units}))) {}
  std::string class_name() const override { return "ScaledMLP"; }
  using ModelImpl::call;
  Tensor call(const Tensor& x, const CallContext&) override {
    return ops::multiply(dense_(x), scale_);
  }
  Config get_config() const override {
    return merge(ModelImpl::get_config(), Config{{"units", units_}, {"scale", scale_}});
  }
  static std::shared_ptr<ScaledMLPImpl> from_config(const Config& c) {
    return std::make_shared<ScaledMLPImpl>(c.at("units").get<int64_t>(),
                                           c.at("scale").get<double>(),
                                           ModelOptions{.name = c.at("name").get<std::string>()});
  }

 private:
  int64_t units_;
  double scale_;
  L::Dense dense_;
};
KERAS_MODEL(ScaledMLP);
KERAS_REGISTER_SERIALIZABLE("my_package", ScaledMLP);

// The same class, but not registered: loadable only through custom_objects.
class UnregisteredMLPImpl : public ScaledMLPImpl {
 public:
  using ScaledMLPImpl::ScaledMLPImpl;
  std::string class_name() const override { return "UnregisteredMLP"; }
  std::string module() const override { return "my_package"; }
  std::string registered_name() const override { return "UnregisteredMLP"; }
};

TEST_P(KerasRoundTripTest, RegisteredSubclassedModel) {
  ScaledMLP model(3, 0.5, ModelOptions{.name = "scaled"});
  Tensor x = random::normal({4, 5}, {.seed = 11});
  Tensor y = model(x);
  std::string path = testing::temp_path("scaled_" + backend_name() + ".keras");
  model.save(path);
  Config config = testing::read_archive_json(path, "config.json");
  EXPECT_EQ(config["module"], "my_package");
  EXPECT_EQ(config["class_name"], "ScaledMLP");
  EXPECT_EQ(config["registered_name"], "my_package>ScaledMLP");
  EXPECT_EQ(config["config"]["units"], 3);
  EXPECT_EQ(config["build_config"], Config::parse(R"({"input_shape": [4, 5]})"));

  Model loaded = saving::load_model(path);
  ASSERT_NE(dynamic_cast<ScaledMLPImpl*>(loaded.ptr().get()), nullptr);
  EXPECT_EQ(loaded.name(), "scaled");
  EXPECT_EQ(values(loaded(x)), values(y));
  std::filesystem::remove(path);
}

TEST_P(KerasRoundTripTest, CustomObjects) {
  auto model = std::make_shared<UnregisteredMLPImpl>(2, 2.0, ModelOptions{.name = "custom"});
  Model holder(model);
  Tensor x = random::normal({3, 4}, {.seed = 12});
  Tensor y = holder(x);
  std::string path = testing::temp_path("custom_" + backend_name() + ".keras");
  holder.save(path);
  try {
    saving::load_model(path);
    FAIL() << "expected an error for an unregistered class";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("UnregisteredMLP"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Registered layer classes"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("my_package>ScaledMLP"), std::string::npos);
  }
  saving::LoadOptions options;
  options.custom_objects["UnregisteredMLP"] = [](const Config& c) -> std::shared_ptr<LayerImpl> {
    return std::make_shared<UnregisteredMLPImpl>(
        c.at("units").get<int64_t>(), c.at("scale").get<double>(),
        ModelOptions{.name = c.at("name").get<std::string>()});
  };
  Model loaded = saving::load_model(path, options);
  EXPECT_EQ(values(loaded(x)), values(y));
  std::filesystem::remove(path);
}

KERAS_INSTANTIATE_BACKEND_TEST(KerasRoundTripTest);

}  // namespace
}  // namespace keras
