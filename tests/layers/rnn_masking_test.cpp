// Masking end to end: Masking / Embedding(mask_zero) produce masks, masking-aware layers pass
// them on (eagerly, symbolically and through Functional / Sequential models), merges combine them,
// and losses and metrics weight out masked entries (Keras's _keras_mask semantics).
#include <gtest/gtest.h>

#include "keras/autodiff/gradient_tape.hpp"
#include "keras/layers/layers.hpp"
#include "keras/losses/losses.hpp"
#include "keras/metrics/reduction_metrics.hpp"
#include "keras/metrics/serialization.hpp"
#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class MaskingTest : public BackendTest {};

// (2, 3, 2): sample 0 has its last step all zeros, sample 1 its first step.
Tensor padded_batch() {
  return tensor_of({1, 2, 3, 4, 0, 0,  //
                    0, 0, 5, 6, 7, 8},
                   {2, 3, 2});
}

TEST_P(MaskingTest, MaskingLayerOutputAndMask) {
  layers::Masking m({.mask_value = 0.0});
  Tensor x = tensor_of({1, 2, 0, 0, 3, 0, 0, 0}, {2, 2, 2});
  Tensor y = m(x);
  EXPECT_EQ(values_of(y), values_of(x));
  ASSERT_TRUE(y.keras_mask().defined());
  EXPECT_EQ(y.keras_mask().dtype(), DType::Bool);
  EXPECT_EQ(y.keras_mask().shape(), Shape({2, 2}));
  EXPECT_EQ(values_of(y.keras_mask()), (std::vector<double>{1, 0, 1, 0}));
  EXPECT_EQ(values_of(m->compute_mask({x}, Tensor())), (std::vector<double>{1, 0, 1, 0}));
}

TEST_P(MaskingTest, MaskingLayerNonZeroMaskValueZeroesMaskedSteps) {
  layers::Masking m({.mask_value = -1.0});
  Tensor y = m(tensor_of({-1, -1, 2, -1}, {1, 2, 2}));
  EXPECT_EQ(values_of(y), (std::vector<double>{0, 0, 2, -1}));
  EXPECT_EQ(values_of(y.keras_mask()), (std::vector<double>{0, 1}));
  Config c = m->get_config();
  EXPECT_EQ(c["mask_value"], -1.0);
  auto back = layers::deserialize(layers::serialize(*m));
  EXPECT_EQ(back->get_config(), c);
}

TEST_P(MaskingTest, MaskingHarness) {
  run_layer_test({.make = [] { return Layer(layers::Masking()); },
                  .input_shape = {2, 3, 4},
                  .expected_output_shape = {2, 3, 4}});
}

TEST_P(MaskingTest, SupportingLayersPassTheMaskOn) {
  Tensor y = layers::Masking()(padded_batch());
  Tensor z = layers::Dense({.units = 3})(y);
  z = layers::Activation({.activation = "relu"})(z);
  z = layers::Dropout({.rate = 0.5})(z);
  z = layers::LayerNormalization()(z);
  ASSERT_TRUE(z.keras_mask().defined());
  EXPECT_EQ(values_of(z.keras_mask()), (std::vector<double>{1, 1, 0, 0, 1, 1}));
  // Flatten does not support masking: the mask stops there.
  EXPECT_FALSE(layers::Flatten()(z).keras_mask().defined());
}

TEST_P(MaskingTest, LambdaMaskOption) {
  Tensor x = layers::Masking()(padded_batch());
  auto plus_one = [](const Tensor& t) { return ops::add(t, 1.0); };
  // Without `mask` the Lambda drops the mask (Keras: supports_masking is false).
  EXPECT_FALSE(layers::Lambda({.function = plus_one})(x).keras_mask().defined());
  // With it, its result is attached: here the mask of the previous step kept as is / inverted.
  Tensor kept = layers::Lambda(
      {.function = plus_one, .mask = [](const Tensor&, const Tensor& m) { return m; }})(x);
  EXPECT_EQ(values_of(kept.keras_mask()), (std::vector<double>{1, 1, 0, 0, 1, 1}));
  Tensor inverted =
      layers::Lambda({.function = plus_one, .mask = [](const Tensor&, const Tensor& m) {
                        return ops::logical_not(m);
                      }})(x);
  EXPECT_EQ(values_of(inverted.keras_mask()), (std::vector<double>{0, 0, 1, 1, 0, 0}));
}

TEST_P(MaskingTest, EmbeddingMaskZeroAttachesMask) {
  layers::Embedding e({.input_dim = 5, .output_dim = 2, .mask_zero = true});
  Tensor ids = ops::cast(tensor_of({0, 3, 4, 0}, {2, 2}), DType::Int32);
  Tensor y = e(ids);
  EXPECT_EQ(values_of(y.keras_mask()), (std::vector<double>{0, 1, 1, 0}));
  EXPECT_FALSE(layers::Embedding({.input_dim = 5, .output_dim = 2})(ids).keras_mask().defined());
}

TEST_P(MaskingTest, ExplicitMaskArgumentWins) {
  Tensor x = padded_batch();
  Tensor mask = ops::cast(tensor_of({1, 0, 0, 1, 1, 1}, {2, 3}), DType::Bool);
  Tensor y = layers::Dense({.units = 2})(x, {.mask = mask});
  EXPECT_EQ(values_of(y.keras_mask()), (std::vector<double>{1, 0, 0, 1, 1, 1}));
}

TEST_P(MaskingTest, SymbolicCallsCarryMasks) {
  Tensor in = Input({3, 2});
  Tensor h = layers::Masking()(in);
  ASSERT_TRUE(h.keras_mask().defined());
  EXPECT_TRUE(h.keras_mask().is_symbolic());
  EXPECT_EQ(h.keras_mask().shape(), Shape({Shape::kNone, 3}));
  Tensor out = layers::Dense({.units = 2})(h);
  ASSERT_TRUE(out.keras_mask().defined());
  EXPECT_EQ(out.keras_mask().shape(), Shape({Shape::kNone, 3}));
}

TEST_P(MaskingTest, FunctionalModelPropagatesMasksAtRunTime) {
  Tensor in = Input({3, 2});
  Tensor h = layers::Masking()(in);
  Tensor out = layers::Dense({.units = 2})(h);
  Model model(in, out);
  Tensor y = model(padded_batch());
  ASSERT_TRUE(y.keras_mask().defined());
  EXPECT_EQ(values_of(y.keras_mask()), (std::vector<double>{1, 1, 0, 0, 1, 1}));
  // A model rebuilt from the graph (a second Model over the same tensors) does the same.
  Model again(in, out);
  EXPECT_EQ(values_of(again(padded_batch()).keras_mask()), values_of(y.keras_mask()));
}

TEST_P(MaskingTest, SequentialPropagatesMasks) {
  auto model = Sequential({Input({3, 2}), layers::Masking(), layers::Dense({.units = 2})});
  Tensor y = model(padded_batch());
  ASSERT_TRUE(y.keras_mask().defined());
  EXPECT_EQ(values_of(y.keras_mask()), (std::vector<double>{1, 1, 0, 0, 1, 1}));
}

TEST_P(MaskingTest, MergeLayersCombineMasks) {
  Tensor a = tensor_of({1, 2, 3, 4}, {1, 2, 2});
  Tensor b = tensor_of({5, 6, 7, 8}, {1, 2, 2});
  a.set_keras_mask(ops::cast(tensor_of({1, 0}, {1, 2}), DType::Bool));
  b.set_keras_mask(ops::cast(tensor_of({0, 0}, {1, 2}), DType::Bool));
  // Add: logical or when every input has a mask.
  EXPECT_EQ(values_of(layers::Add()({a, b}).keras_mask()), (std::vector<double>{1, 0}));
  // Concatenate on the last axis: any() over the concatenated masks.
  Tensor c = layers::Concatenate()({a, b});
  EXPECT_EQ(values_of(c.keras_mask()), (std::vector<double>{1, 0}));
  // One input without a mask: Add gives none, Concatenate counts it as all true.
  Tensor u = tensor_of({0, 0, 0, 0}, {1, 2, 2});
  EXPECT_FALSE(layers::Add()({a, u}).keras_mask().defined());
  EXPECT_EQ(values_of(layers::Concatenate()({b, u}).keras_mask()), (std::vector<double>{1, 1}));
}

TEST_P(MaskingTest, LossIgnoresMaskedEntries) {
  // y_pred (1, 3, 1) with the last step masked: the loss is the mean over the 2 valid steps.
  Tensor y_pred = tensor_of({1, 2, 100}, {1, 3, 1});
  y_pred.set_keras_mask(ops::cast(tensor_of({1, 1, 0}, {1, 3}), DType::Bool));
  Tensor y_true = tensor_of({0, 0, 0}, {1, 3, 1});
  losses::MeanSquaredError mse;
  // per step: 1, 4, (masked) -> sum_over_batch_size: (1 + 4) / 2
  EXPECT_NEAR(values_of(mse(y_true, y_pred))[0], 2.5, 1e-6);
  Tensor unmasked = tensor_of({1, 2, 100}, {1, 3, 1});
  EXPECT_NEAR(values_of(mse(y_true, unmasked))[0], (1 + 4 + 10000) / 3.0, 1e-2);
}

TEST_P(MaskingTest, MetricIgnoresMaskedEntries) {
  Tensor y_pred = tensor_of({1, 2, 100}, {1, 3, 1});
  y_pred.set_keras_mask(ops::cast(tensor_of({1, 1, 0}, {1, 3}), DType::Bool));
  Tensor y_true = tensor_of({0, 0, 0}, {1, 3, 1});
  auto metric = metrics::get("mean_absolute_error");
  metric->update_state(y_true, y_pred);
  EXPECT_NEAR(values_of(metric->result())[0], 1.5, 1e-6);
}

TEST_P(MaskingTest, TrainingIgnoresMaskedTimesteps) {
  // Masking -> Dense per timestep; the targets at masked steps are garbage. Two datasets that
  // differ only there give identical losses and identical weights after training.
  auto run = [&](double garbage) {
    auto model = Sequential({Input({3, 2}), layers::Masking(),
                             layers::Dense({.units = 1, .kernel_initializer = "ones"})});
    model->compile({.optimizer = "sgd", .loss = "mse"});
    Tensor x = padded_batch();
    Tensor y = tensor_of({1, 2, garbage, garbage, 3, 4}, {2, 3, 1});
    auto history = model->fit(x, y, {.batch_size = 2, .epochs = 3, .verbose = 0});
    return std::make_pair(history.history.at("loss"), values_of(model->get_weights()[0]));
  };
  auto [loss_a, w_a] = run(0.0);
  auto [loss_b, w_b] = run(1000.0);
  ASSERT_EQ(loss_a.size(), 3u);
  for (size_t i = 0; i < loss_a.size(); ++i) EXPECT_NEAR(loss_a[i], loss_b[i], 1e-6);
  for (size_t i = 0; i < w_a.size(); ++i) EXPECT_NEAR(w_a[i], w_b[i], 1e-6);
  // And the masked steps really are ignored: the first-epoch loss is the mean over 4 valid steps.
  // Dense(ones, zero bias) predicts x0 + x1: 3, 7, 11, 15 for targets 1, 2, 3, 4.
  double expected =
      ((3 - 1) * (3 - 1) + (7 - 2) * (7 - 2) + (11 - 3) * (11 - 3) + (15 - 4) * (15 - 4)) / 4.0;
  EXPECT_NEAR(loss_a[0], expected, 1e-3);
}

KERAS_INSTANTIATE_BACKEND_TEST(MaskingTest);

}  // namespace
}  // namespace keras::testing
