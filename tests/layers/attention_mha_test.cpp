// MultiHeadAttention and EinsumDense: the generic harness (through a self-attention wrapper, on
// every backend), Keras's weight layout, the fixture written by Python Keras, the two attention
// paths (fused dot_product_attention and the einsum + masked softmax path used for
// return_attention_scores) agreeing with masks and causal masking, gradients against finite
// differences, config round trips and argument errors.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/keras.hpp"
#include "keras/layers/attention/multi_head_attention.hpp"
#include "keras/layers/core/einsum_dense.hpp"
#include "keras/layers/registration.hpp"
#include "keras/saving/weights.hpp"
#include "layers/self_attention.hpp"
#include "testing/backends.hpp"
#include "testing/gradient_check.hpp"
#include "testing/layer_harness.hpp"
#include "testing/npz.hpp"

namespace keras::testing {
namespace {

namespace L = keras::layers;

class SelfMhaImpl : public SelfAttendImpl<L::MultiHeadAttention> {
 public:
  SelfMhaImpl(L::MultiHeadAttentionOptions o, bool causal)
      : SelfAttendImpl(L::MultiHeadAttention(std::move(o)), causal, "mha", "SelfMha") {}
};

class MultiHeadAttentionTest : public BackendTest {};

TEST_P(MultiHeadAttentionTest, HarnessSelfAttention) {
  run_layer_test({.make =
                      [] {
                        return Layer(make_layer<SelfMhaImpl>(
                            L::MultiHeadAttentionOptions{.num_heads = 2, .key_dim = 3}, false));
                      },
                  .input_shape = {2, 5, 4},
                  .expected_output_shape = {2, 5, 4},
                  .expected_weights = {{"kernel", {4, 2, 3}},
                                       {"bias", {2, 3}},
                                       {"kernel", {4, 2, 3}},
                                       {"bias", {2, 3}},
                                       {"kernel", {4, 2, 3}},
                                       {"bias", {2, 3}},
                                       {"kernel", {2, 3, 4}},
                                       {"bias", {4}}},
                  .expected_trainable_weights = 8,
                  .check_config = false});
}

TEST_P(MultiHeadAttentionTest, HarnessCausalValueDimOutputShape) {
  run_layer_test({.make =
                      [] {
                        return Layer(make_layer<SelfMhaImpl>(
                            L::MultiHeadAttentionOptions{.num_heads = 3,
                                                         .key_dim = 2,
                                                         .value_dim = 5,
                                                         .use_bias = false,
                                                         .output_shape = Shape{6}},
                            true));
                      },
                  .input_shape = {2, 4, 3},
                  .expected_output_shape = {2, 4, 6},
                  .expected_weights = {{"kernel", {3, 3, 2}},
                                       {"kernel", {3, 3, 2}},
                                       {"kernel", {3, 3, 5}},
                                       {"kernel", {3, 5, 6}}},
                  .check_config = false});
}

// Keras's multi_head_attention fixture: Input (None, 5, 8) -> MultiHeadAttention(num_heads=2,
// key_dim=4)(x, x, return_attention_scores=True), weights from Keras's .weights.h5.
TEST_P(MultiHeadAttentionTest, MatchesKerasFixture) {
  std::string dir = KERAS_FIXTURES_DIR;
  auto npz = load_npz(dir + "/multi_head_attention.npz");
  Tensor x_in = Input({5, 8});
  auto mha = L::MultiHeadAttention({.num_heads = 2, .key_dim = 4, .name = "multi_head_attention"});
  auto outs = mha->attend(x_in, x_in, {.return_attention_scores = true});
  Model model({x_in}, outs);
  saving::load_weights(*model, dir + "/multi_head_attention.weights.h5");
  Tensor x = to_tensor(npz.at("input_0"), backend_name());
  std::vector<Tensor> y = model->invoke(std::vector<Tensor>{x});
  ASSERT_EQ(y.size(), 2u);
  Tensor expected_out = to_tensor(npz.at("output_0"), backend_name());
  Tensor expected_scores = to_tensor(npz.at("output_1"), backend_name());
  EXPECT_EQ(y[0].shape(), expected_out.shape());
  EXPECT_EQ(y[1].shape(), expected_scores.shape());
  EXPECT_LT(max_abs_diff(y[0], expected_out), 1e-5);
  EXPECT_LT(max_abs_diff(y[1], expected_scores), 1e-5);
  // The fused path (no scores) gives the same output.
  Tensor fused = mha->attend(x, x)[0];
  EXPECT_LT(max_abs_diff(fused, expected_out), 1e-5);
  // The fused kernel (forced) gives the same output too.
  if (backend::get_backend(backend_name()).has_native(backend::FusedKernel::DotProductAttention)) {
    auto flash = L::MultiHeadAttention({.num_heads = 2, .key_dim = 4, .flash_attention = true});
    flash->attend(x, x);
    flash->set_weights(mha->get_weights());
    EXPECT_LT(max_abs_diff(flash->attend(x, x)[0], expected_out), 1e-5);
  }
  // The config Keras wrote (attention_axes resolved to [1] by build).
  Config c = mha->get_config();
  EXPECT_EQ(c["attention_axes"], Config::parse("[1]"));
  EXPECT_EQ(c["value_dim"], 4);
  EXPECT_TRUE(c["output_shape"].is_null());
}

// Masks: a query keras_mask, a value mask, an attention mask and causal masking, combined as
// Keras does; the fused path and the einsum path (return_attention_scores) must agree when no
// row is fully masked, and the output carries the query mask.
TEST_P(MultiHeadAttentionTest, FusedAndEinsumPathsAgreeWithMasks) {
  auto mha = L::MultiHeadAttention({.num_heads = 2, .key_dim = 3});
  Tensor q = layer_test_input({2, 4, 5}, DType::Float32, 10, 1);
  Tensor v = layer_test_input({2, 6, 5}, DType::Float32, 10, 2);
  std::vector<int32_t> qm{1, 1, 1, 0, 1, 1, 0, 0}, vm{1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1};
  Tensor q_mask = ops::cast(ops::convert_to_tensor(qm, Shape{2, 4}), DType::Bool);
  Tensor v_mask = ops::cast(ops::convert_to_tensor(vm, Shape{2, 6}), DType::Bool);
  std::vector<int32_t> am(2 * 4 * 6, 1);
  am[5] = 0;
  am[32] = 0;  // (b1, t1, s2): no unmasked query row is left fully masked
  Tensor attention_mask = ops::convert_to_tensor(am, Shape{2, 4, 6});  // ints: cast to bool
  for (bool causal : {false, true}) {
    L::AttentionCallArgs args{.attention_mask = attention_mask,
                              .use_causal_mask = causal,
                              .query_mask = q_mask,
                              .value_mask = v_mask};
    Tensor fused = mha->attend(q, v, args)[0];
    args.return_attention_scores = true;
    auto both = mha->attend(q, v, args);
    ASSERT_EQ(both.size(), 2u);
    EXPECT_EQ(both[1].shape(), (Shape{2, 2, 4, 6}));
    // Rows of masked queries are fully masked: Keras's two paths differ there (uniform vs zero
    // weights), so compare unmasked query rows only.
    Tensor keep = ops::expand_dims(q_mask, -1);
    EXPECT_LT(max_abs_diff(ops::where(keep, fused, 0.0), ops::where(keep, both[0], 0.0)), 2e-6)
        << "causal " << causal;
    ASSERT_TRUE(fused.keras_mask().defined());
    EXPECT_EQ(fused.keras_mask().to_vector<int32_t>(), qm);
    // Masked scores are zero; each unmasked row sums to 1.
    std::vector<float> s = both[1].to_vector<float>();
    for (int b = 0; b < 2; ++b)
      for (int t = 0; t < 4; ++t) {
        if (!qm[b * 4 + t]) continue;
        for (int h = 0; h < 2; ++h) {
          double sum = 0;
          for (int j = 0; j < 6; ++j) {
            double w = s[((b * 2 + h) * 4 + t) * 6 + j];
            bool allowed = vm[b * 6 + j] && am[(b * 4 + t) * 6 + j] && (!causal || j <= t);
            if (!allowed) {
              EXPECT_EQ(w, 0.0) << b << t << h << j;
            }
            sum += w;
          }
          EXPECT_NEAR(sum, 1.0, 1e-5);
        }
      }
  }
}

// The causal mask alone (no other mask) is applied on every path: the fused kernel, and the
// einsum path taken for returned scores, dropout or inputs of another rank.
TEST_P(MultiHeadAttentionTest, CausalMaskAloneOnEveryPath) {
  auto mha = L::MultiHeadAttention({.num_heads = 2, .key_dim = 3});
  Tensor x = layer_test_input({2, 5, 4}, DType::Float32, 10, 5);
  Tensor fused = mha->attend(x, x, {.use_causal_mask = true})[0];
  auto both = mha->attend(x, x, {.return_attention_scores = true, .use_causal_mask = true});
  EXPECT_LT(max_abs_diff(fused, both[0]), 2e-6);
  std::vector<float> s = both[1].to_vector<float>();  // (2, 2, 5, 5)
  for (size_t i = 0; i < s.size(); ++i) {
    size_t t = (i / 5) % 5, j = i % 5;
    if (j > t) EXPECT_EQ(s[i], 0.0f) << i;
  }
  // With dropout (inactive at inference) the einsum path gives the same numbers.
  auto dropping = L::MultiHeadAttention({.num_heads = 2, .key_dim = 3, .dropout = 0.5});
  dropping->attend(x, x);
  dropping->set_weights(mha->get_weights());
  EXPECT_LT(max_abs_diff(dropping->attend(x, x, {.use_causal_mask = true})[0], fused), 2e-6);
}

TEST_P(MultiHeadAttentionTest, KeyInputAndKerasMaskPropagation) {
  auto mha = L::MultiHeadAttention({.num_heads = 1, .key_dim = 2, .value_dim = 3});
  Tensor q = layer_test_input({1, 3, 4}, DType::Float32, 10, 3);
  Tensor v = layer_test_input({1, 5, 2}, DType::Float32, 10, 4);
  Tensor k = layer_test_input({1, 5, 6}, DType::Float32, 10, 5);
  Tensor y = mha->attend(q, v, {.key = k})[0];
  EXPECT_EQ(y.shape(), (Shape{1, 3, 4}));
  EXPECT_EQ(mha->key_dense()->kernel().shape(), (Shape{6, 1, 2}));
  EXPECT_EQ(mha->value_dense()->kernel().shape(), (Shape{2, 1, 3}));
  // keras_mask() on the inputs is read like an explicit mask.
  std::vector<int32_t> vm{1, 0, 1, 1, 0};
  Tensor v_mask = ops::cast(ops::convert_to_tensor(vm, Shape{1, 5}), DType::Bool);
  Tensor explicit_masked = mha->attend(q, v, {.key = k, .value_mask = v_mask})[0];
  Tensor v2 = ops::copy(v);
  v2.set_keras_mask(v_mask);
  Tensor implicit_masked = mha->attend(q, v2, {.key = k})[0];
  EXPECT_LT(max_abs_diff(explicit_masked, implicit_masked), 1e-7);
  EXPECT_GT(max_abs_diff(explicit_masked, y), 1e-4);
}

TEST_P(MultiHeadAttentionTest, GradientsMatchFiniteDifferences) {
  for (bool scores : {false, true})
    for (bool masked : {false, true}) {
      auto mha = L::MultiHeadAttention({.num_heads = 2, .key_dim = 2, .dtype = DType::Float64});
      std::vector<int32_t> vm{1, 1, 0, 1, 0, 1, 1, 1};
      Tensor v_mask = ops::cast(ops::convert_to_tensor(vm, Shape{2, 4}), DType::Bool);
      Tensor q = test_values({2, 3, 3}, -1, 1, 21);
      Tensor v = test_values({2, 4, 3}, -1, 1, 22);
      expect_gradients_match(
          [&](const std::vector<Tensor>& a) {
            L::AttentionCallArgs args{.return_attention_scores = scores, .use_causal_mask = masked};
            if (masked) args.value_mask = v_mask;
            return mha->attend(a[0], a[1], args)[0];
          },
          {q, v},
          std::string("mha scores=") + (scores ? "1" : "0") + " masked=" + (masked ? "1" : "0"));
    }
}

TEST_P(MultiHeadAttentionTest, TrainsWithDropout) {
  auto mha = L::MultiHeadAttention({.num_heads = 2, .key_dim = 2, .dropout = 0.5, .seed = 3});
  Tensor x = layer_test_input({2, 3, 4}, DType::Float32, 10, 6);
  Tensor a = mha->attend(x, x, {.training = true})[0];
  Tensor b = mha->attend(x, x, {.training = false})[0];
  Tensor c = mha->attend(x, x, {.training = false})[0];
  EXPECT_GT(max_abs_diff(a, b), 1e-4);
  EXPECT_EQ(max_abs_diff(b, c), 0.0);
}

TEST_P(MultiHeadAttentionTest, ConfigRoundTrip) {
  auto mha = L::MultiHeadAttention({.num_heads = 3,
                                    .key_dim = 4,
                                    .value_dim = 2,
                                    .dropout = 0.1,
                                    .output_shape = Shape{7},
                                    .attention_axes = std::vector<int64_t>{1},
                                    .seed = 5});
  Tensor x = layer_test_input({1, 2, 5}, DType::Float32);
  mha->attend(x, x);
  Config c = L::serialize(*mha);
  EXPECT_EQ(c["class_name"], "MultiHeadAttention");
  for (const std::string& key :
       joined({{"num_heads", "key_dim", "value_dim", "dropout", "use_bias", "use_gate",
                "output_shape", "attention_axes", "sliding_window"},
               kernel_bias_keys(/*with_activity_regularizer=*/true),
               {"seed"},
               kBaseLayerKeys}))
    EXPECT_TRUE(c["config"].contains(key)) << key;
  auto copy = L::deserialize(c);
  EXPECT_EQ(copy->get_config(), mha->get_config());
  EXPECT_EQ(copy->class_name(), "MultiHeadAttention");
}

TEST_P(MultiHeadAttentionTest, Errors) {
  KERAS_EXPECT_THROW_WITH(L::MultiHeadAttention({.num_heads = 0, .key_dim = 2}), ValueError,
                          "Received: num_heads=0");
  KERAS_EXPECT_THROW_WITH(L::MultiHeadAttention({.num_heads = 2, .key_dim = 0}), ValueError,
                          "Received: key_dim=0");
  KERAS_EXPECT_THROW_WITH(
      L::MultiHeadAttention(
          {.num_heads = 2, .key_dim = 2, .dropout = 0.2, .flash_attention = true}),
      ValueError, "Dropout is not supported when flash attention is enabled");
  auto mha = L::MultiHeadAttention({.num_heads = 2, .key_dim = 2});
  Tensor q = layer_test_input({1, 3, 4}, DType::Float32);
  Tensor v = layer_test_input({1, 5, 4}, DType::Float32);
  Tensor k = layer_test_input({1, 6, 4}, DType::Float32);
  KERAS_EXPECT_THROW_WITH(
      mha->attend(q, v, {.key = k}), ValueError,
      "All dimensions of `value` and `key`, except the last one, must be equal");
}

class EinsumDenseTest : public BackendTest {};

TEST_P(EinsumDenseTest, Harness) {
  run_layer_test({.make =
                      [] {
                        return Layer(L::EinsumDense({.equation = "abc,cde->abde",
                                                     .output_shape = {Shape::kNone, 2, 3},
                                                     .bias_axes = "de"}));
                      },
                  .input_shape = {2, 4, 5},
                  .expected_output_shape = {2, 4, 2, 3},
                  .expected_weights = {{"kernel", {5, 2, 3}}, {"bias", {2, 3}}}});
  run_layer_test(
      {.make =
           [] {
             return Layer(L::EinsumDense(
                 {.equation = "...b,bc->...c", .output_shape = {3}, .activation = "relu"}));
           },
       .input_shape = {2, 4, 5},
       .expected_output_shape = {2, 4, 3},
       .expected_weights = {{"kernel", {5, 3}}}});
}

TEST_P(EinsumDenseTest, KerasGeometry) {
  // Keras's examples and its bias-shape rules.
  auto g = L::analyze_einsum_dense("ab,bc->ac", "c", {Shape::kNone, 32}, {64});
  EXPECT_EQ(g.kernel_shape, (Shape{32, 64}));
  EXPECT_EQ(*g.bias_shape, (Shape{64}));
  EXPECT_EQ(g.full_output_shape, (Shape{Shape::kNone, 64}));
  g = L::analyze_einsum_dense("abc,cd->abd", "d", {Shape::kNone, 32, 128}, {Shape::kNone, 64});
  EXPECT_EQ(g.full_output_shape, (Shape{Shape::kNone, 32, 64}));
  g = L::analyze_einsum_dense("...b,bc->...c", "c", {Shape::kNone, 32, 128}, {64});
  EXPECT_EQ(g.kernel_shape, (Shape{128, 64}));
  EXPECT_EQ(g.full_output_shape, (Shape{Shape::kNone, 32, 64}));
  g = L::analyze_einsum_dense("abcd,cde->abe", "e", {Shape::kNone, 5, 2, 4}, {Shape::kNone, 8});
  EXPECT_EQ(g.kernel_shape, (Shape{2, 4, 8}));
  EXPECT_EQ(g.input_axes, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(g.output_axes, (std::vector<int64_t>{2}));
  g = L::analyze_einsum_dense("ab...,bc->ac...", "c", {Shape::kNone, 4, 7}, {5});
  EXPECT_EQ(*g.bias_shape, (Shape{5, 1}));
  KERAS_EXPECT_THROW_WITH(L::analyze_einsum_dense("ab,bc->acd", "", {2, 3}, {4, 5}), ValueError,
                          "Dimension 'd' was specified in the output");
  KERAS_EXPECT_THROW_WITH(L::analyze_einsum_dense("ab,bc->ac", "x", {2, 3}, {4}), ValueError,
                          "Bias dimension 'x' was requested");
  KERAS_EXPECT_THROW_WITH(L::EinsumDense({.equation = "ab->b", .output_shape = {3}}), ValueError,
                          "Invalid einsum equation 'ab->b'");
}

TEST_P(EinsumDenseTest, GlorotFansFollowTheEquation) {
  // Keras passes the kernel's input/output axes to VarianceScaling: kernel (40, 2, 3) of
  // "abc,cde->abde" has fan_in 40 and fan_out 6, so the limit is sqrt(6 / 46) ~ 0.36 (the
  // default conv-style fans would give sqrt(6 / 200) ~ 0.17).
  auto d = L::EinsumDense({.equation = "abc,cde->abde", .output_shape = {Shape::kNone, 2, 3}});
  d->maybe_build({Shape{2, 3, 40}});
  std::vector<double> w = values_of(d->kernel().value());
  double mx = 0;
  for (double x : w) mx = std::max(mx, std::fabs(x));
  EXPECT_LE(mx, std::sqrt(6.0 / 46.0) + 1e-6);
  EXPECT_GT(mx, 0.25);
}

KERAS_INSTANTIATE_BACKEND_TEST(MultiHeadAttentionTest);
KERAS_INSTANTIATE_BACKEND_TEST(EinsumDenseTest);

}  // namespace
}  // namespace keras::testing
