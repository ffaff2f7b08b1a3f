// Sequential, Functional and subclassed models; compile/fit/evaluate/predict; custom train_step
// and GradientTape loops; on every backend.
#include <gtest/gtest.h>

#include <sstream>

#include "keras/keras.hpp"
#include "models/custom_step_model.hpp"
#include "testing/backends.hpp"
#include "testing/fresh_session.hpp"
#include "testing/run_mode.hpp"

namespace keras {
namespace {

namespace ops = keras::ops;
namespace L = keras::layers;
using testing::CustomStep;

class ModelTest : public testing::FreshSessionTest<1234> {};

// y = 3x0 - 2x1 + 1 with a little structure; 256 samples.
std::pair<Tensor, Tensor> regression_data() {
  Tensor x = random::uniform({256, 2}, {.minval = -1.0, .maxval = 1.0, .seed = 7});
  Tensor w = ops::convert_to_tensor(std::vector<float>{3.0f, -2.0f}, {2, 1});
  Tensor y = ops::add(ops::matmul(x, w), 1.0);
  return {x, y};
}

// Two separable classes: label = x0 + x1 > 0.
std::pair<Tensor, Tensor> classification_data() {
  Tensor x = random::normal({512, 2}, {.seed = 3});
  Tensor y = ops::cast(ops::greater(ops::sum(x, {.axis = 1}), 0.0), int32);
  return {x, y};
}

TEST_P(ModelTest, SequentialNamesShapesAndWeights) {
  auto model = Sequential(
      {Input({4}), L::Dense({.units = 8, .activation = "relu"}), L::Dense({.units = 3})});
  EXPECT_EQ(model.name(), "sequential");
  auto ls = model.layers();
  ASSERT_EQ(ls.size(), 2u);
  EXPECT_EQ(ls[0]->name(), "dense");
  EXPECT_EQ(ls[1]->name(), "dense_1");
  EXPECT_EQ(model.weights().size(), 4u);
  EXPECT_EQ(model.count_params(), 4 * 8 + 8 + 8 * 3 + 3);
  Tensor y = model(ops::ones({5, 4}));
  EXPECT_EQ(y.shape(), Shape({5, 3}));
  EXPECT_EQ(y.backend_name(), backend_name());
  EXPECT_EQ(model.get_layer("dense_1")->name(), "dense_1");
  EXPECT_THROW(model.get_layer("nope"), ValueError);
}

TEST_P(ModelTest, SequentialRejectsBadInputShape) {
  auto model = Sequential({Input({4}), L::Dense({.units = 2})});
  try {
    model(ops::ones({5, 3}));
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("expected shape (None, 4)"), std::string::npos)
        << e.what();
  }
}

TEST_P(ModelTest, SummaryPrintsKerasTable) {
  auto model = Sequential({Input({4}), L::Dense({.units = 8}), L::Dense({.units = 3})});
  std::ostringstream out;
  model.summary(out);
  std::string s = out.str();
  EXPECT_NE(s.find("Model: \"sequential\""), std::string::npos) << s;
  EXPECT_NE(s.find("dense (Dense)"), std::string::npos) << s;
  EXPECT_NE(s.find("(None, 8)"), std::string::npos) << s;
  EXPECT_NE(s.find("Total params: 67 (268.00 B)"), std::string::npos) << s;
  EXPECT_NE(s.find("Non-trainable params: 0 (0.00 B)"), std::string::npos) << s;
}

TEST_P(ModelTest, FunctionalSharedLayerAndTwoOutputs) {
  Tensor a = Input({3}, {.name = "a"});
  Tensor b = Input({3}, {.name = "b"});
  auto shared = L::Dense({.units = 4, .activation = "tanh"});
  Tensor ha = shared(a);
  Tensor hb = shared(b);
  Tensor out1 = L::Dense({.units = 1, .name = "sum_head"})(ha);
  Tensor out2 = L::Dense({.units = 2, .name = "pair_head"})(hb);
  auto model = Model({a, b}, {out1, out2});
  EXPECT_EQ(model->class_name(), "Functional");
  EXPECT_EQ(model->output_names(), (std::vector<std::string>{"sum_head", "pair_head"}));
  // input layers, the shared dense, two heads
  EXPECT_EQ(model.layers().size(), 5u);
  EXPECT_EQ(model.weights().size(), 6u);
  auto outs = model->invoke({ops::ones({2, 3}), ops::zeros({2, 3})});
  ASSERT_EQ(outs.size(), 2u);
  EXPECT_EQ(outs[0].shape(), Shape({2, 1}));
  EXPECT_EQ(outs[1].shape(), Shape({2, 2}));
  std::ostringstream s;
  model.summary(s);
  EXPECT_NE(s.str().find("Connected to"), std::string::npos);
  EXPECT_THROW(model->invoke({ops::ones({2, 3})}), ValueError);
}

TEST_P(ModelTest, FunctionalRejectsForeignTensors) {
  Tensor a = Input({3});
  Tensor other = Input({3});
  Tensor y = L::Dense({.units = 1})(other);
  EXPECT_THROW(Model(a, y), ValueError);
  EXPECT_THROW(Model(ops::ones({1, 3}), y), ValueError);
}

TEST_P(ModelTest, NestedModelAsLayer) {
  auto inner = Sequential({Input({3}), L::Dense({.units = 2})});
  Tensor x = Input({3});
  Tensor y = L::Dense({.units = 1})(inner(x));
  auto outer = Model(x, y);
  EXPECT_EQ(outer.weights().size(), 4u);
  EXPECT_EQ(outer(ops::ones({4, 3})).shape(), Shape({4, 1}));
}

TEST_P(ModelTest, FitLowersTheLossAndPredicts) {
  auto [x, y] = regression_data();
  auto model = Sequential({Input({2}), L::Dense({.units = 1})});
  model.compile(
      {.optimizer = optimizers::Adam({.learning_rate = 0.05}), .loss = "mse", .metrics = {"mae"}});
  Logs before = model.evaluate(x, y, {.verbose = 0});
  History h = model.fit(x, y, {.batch_size = 16, .epochs = 30, .verbose = 0});
  ASSERT_EQ(h.history["loss"].size(), 30u);
  EXPECT_LT(h.history["loss"].back(), h.history["loss"].front());
  Logs after = model.evaluate(x, y, {.verbose = 0});
  EXPECT_LT(after.at("loss"), before.at("loss") * 0.5);
  EXPECT_TRUE(after.count("mae"));
  Tensor p = model.predict(x, {.batch_size = 100});
  EXPECT_EQ(p.shape(), Shape({256, 1}));
}

TEST_P(ModelTest, AccuracyResolvesFromLossAndValidationSplit) {
  auto [x, y] = classification_data();
  auto model = Sequential({Input({2}), L::Dense({.units = 2, .activation = "softmax"})});
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.05}),
                 .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"}});
  History h =
      model.fit(x, y, {.batch_size = 32, .epochs = 8, .verbose = 0, .validation_split = 0.25});
  EXPECT_TRUE(h.history.count("val_accuracy"));
  EXPECT_TRUE(h.history.count("val_loss"));
  EXPECT_GT(h.history["accuracy"].back(), 0.9);
  EXPECT_GT(h.history["val_accuracy"].back(), 0.85);
}

TEST_P(ModelTest, FitValidatesArguments) {
  auto model = Sequential({Input({2}), L::Dense({.units = 1})});
  EXPECT_THROW(model.fit(ops::ones({4, 2}), ops::ones({4, 1})), RuntimeError);  // not compiled
  model.compile({.optimizer = "sgd", .loss = "mse"});
  try {
    model.fit(ops::ones({4, 2}), ops::ones({3, 1}), {.verbose = 0});
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("same number of samples"), std::string::npos) << e.what();
  }
  EXPECT_THROW(model.fit(ops::ones({4, 2}), ops::ones({4, 1}), {.batch_size = 0}), ValueError);
  EXPECT_THROW(model.compile({.optimizer = "adamm", .loss = "mse"}), ValueError);
  EXPECT_THROW(model.compile({.optimizer = "adam", .loss = "msee"}), ValueError);
}

TEST_P(ModelTest, CustomTrainStepTrains) {
  auto [x, y] = regression_data();
  CustomStep model;
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  History h = model.fit(x, y, {.batch_size = 32, .epochs = 10, .verbose = 0});
  // Compiled, the step's C++ runs only on the calls that run it eagerly or trace it.
  if (testing::steps_run_eagerly())
    EXPECT_EQ(model->steps, 80);
  else
    EXPECT_LT(model->steps, 5);
  EXPECT_LT(h.history["loss"].back(), 0.05 * h.history["loss"].front());
}

TEST_P(ModelTest, GradientTapeLoopTrains) {
  auto [x, y] = regression_data();
  auto model = Sequential({Input({2}), L::Dense({.units = 1})});
  auto optimizer = optimizers::Adam({.learning_rate = 0.05});
  auto loss_fn = losses::MeanSquaredError();
  double first = 0, last = 0;
  for (int step = 0; step < 100; ++step) {
    GradientTape tape;
    Tensor loss = loss_fn(y, model(x, {.training = true}));
    auto grads = tape.gradient(loss, model.trainable_variables());
    optimizer.apply(grads, model.trainable_variables());
    (step == 0 ? first : last) = loss.item<double>();
  }
  EXPECT_LT(last, 0.1 * first);
}

TEST_P(ModelTest, TrainOnBatchAndSetWeights) {
  auto model = Sequential({Input({2}), L::Dense({.units = 1, .use_bias = false})});
  model.set_weights({ops::convert_to_tensor(std::vector<float>{1.0f, 2.0f}, {2, 1})});
  Tensor p = model.predict_on_batch(ops::convert_to_tensor(std::vector<float>{1, 1}, {1, 2}));
  EXPECT_FLOAT_EQ(p.item<float>(), 3.0f);
  EXPECT_THROW(model.set_weights({ops::ones({3, 1})}), ValueError);
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.5}), .loss = "mse"});
  Logs logs = model.train_on_batch(ops::convert_to_tensor(std::vector<float>{1, 1}, {1, 2}),
                                   ops::convert_to_tensor(std::vector<float>{4}, {1, 1}));
  EXPECT_FLOAT_EQ(static_cast<float>(logs.at("loss")), 1.0f);
  // d/dw (w.x - 4)^2 = 2 * (3 - 4) * x = -2 per weight; w <- w + 0.5 * 2
  EXPECT_EQ(model.get_weights()[0].to_vector<float>(), (std::vector<float>{2.0f, 3.0f}));
}

// Keras marks a model built by build(shape): a subclassed model and a Sequential without an
// Input are then ready for weights files and count their parameters.
TEST_P(ModelTest, BuildMarksSubclassedAndSequentialModelsBuilt) {
  CustomStep sub;
  EXPECT_FALSE(sub->built());
  sub->build(Shape{-1, 3});
  EXPECT_TRUE(sub->built());
  EXPECT_EQ(sub->build_shapes(), std::vector<Shape>{Shape({-1, 3})});
  EXPECT_EQ(sub.count_params(), 4);

  Sequential seq({L::Dense({.units = 2})});
  EXPECT_FALSE(seq->built());
  seq->build(Shape{-1, 5});
  EXPECT_TRUE(seq->built());
  EXPECT_EQ(seq.count_params(), 12);
}

KERAS_INSTANTIATE_BACKEND_TEST(ModelTest);

}  // namespace
}  // namespace keras
