// GroupedQueryAttention, Attention and AdditiveAttention: the harness (through single-input
// wrappers, on every backend), equivalences (GQA with as many key/value heads as query heads is
// MultiHeadAttention; the fused and einsum paths agree), hand-written references for the
// Luong/Bahdanau scores with masks and causal masking, gradients against finite differences,
// config round trips and errors.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/keras.hpp"
#include "keras/layers/attention/attention.hpp"
#include "keras/layers/attention/grouped_query_attention.hpp"
#include "keras/layers/attention/multi_head_attention.hpp"
#include "keras/layers/registration.hpp"
#include "layers/self_attention.hpp"
#include "testing/backends.hpp"
#include "testing/gradient_check.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

namespace L = keras::layers;

class SelfGqaImpl : public SelfAttendImpl<L::GroupedQueryAttention> {
 public:
  SelfGqaImpl(L::GroupedQueryAttentionOptions o, bool causal)
      : SelfAttendImpl(L::GroupedQueryAttention(std::move(o)), causal, "gqa", "SelfGqa") {}
};

// [x, x] through Attention / AdditiveAttention as a single-input layer.
template <class Holder>
class SelfAttentionImpl : public LayerImpl {
 public:
  SelfAttentionImpl(Holder layer, bool causal) : att_(std::move(layer)), causal_(causal) {
    track_layer("attention", att_.ptr());
  }
  std::string class_name() const override { return "SelfAttention"; }
  void build(const Shape& s) override { att_->maybe_build({s, s}); }
  Tensor call(const Tensor& x, const CallContext& ctx) override {
    return att_->attend({x, x}, {.use_causal_mask = causal_, .training = ctx.training})[0];
  }

 private:
  Holder att_;
  bool causal_;
};

class GroupedQueryAttentionTest : public BackendTest {};

TEST_P(GroupedQueryAttentionTest, Harness) {
  for (bool causal : {false, true})
    run_layer_test({.make =
                        [causal] {
                          return Layer(make_layer<SelfGqaImpl>(
                              L::GroupedQueryAttentionOptions{
                                  .head_dim = 3, .num_query_heads = 4, .num_key_value_heads = 2},
                              causal));
                        },
                    .input_shape = {2, 5, 6},
                    .expected_output_shape = {2, 5, 6},
                    .expected_weights = {{"kernel", {6, 4, 3}},
                                         {"bias", {4, 3}},
                                         {"kernel", {6, 2, 3}},
                                         {"bias", {2, 3}},
                                         {"kernel", {6, 2, 3}},
                                         {"bias", {2, 3}},
                                         {"kernel", {4, 3, 6}},
                                         {"bias", {6}}},
                    .check_config = false});
}

TEST_P(GroupedQueryAttentionTest, EqualsMultiHeadAttentionWithAsManyKeyValueHeads) {
  auto gqa =
      L::GroupedQueryAttention({.head_dim = 3, .num_query_heads = 2, .num_key_value_heads = 2});
  auto mha = L::MultiHeadAttention({.num_heads = 2, .key_dim = 3});
  Tensor q = layer_test_input({2, 4, 5}, DType::Float32, 10, 1);
  Tensor v = layer_test_input({2, 6, 5}, DType::Float32, 10, 2);
  Tensor y_mha = mha->attend(q, v, {.use_causal_mask = true})[0];
  gqa->attend(q, v);
  gqa->set_weights(mha->get_weights());
  Tensor y_gqa = gqa->attend(q, v, {.use_causal_mask = true})[0];
  EXPECT_LT(max_abs_diff(y_gqa, y_mha), 1e-6);
}

TEST_P(GroupedQueryAttentionTest, FusedAndEinsumPathsAgree) {
  auto gqa =
      L::GroupedQueryAttention({.head_dim = 2, .num_query_heads = 6, .num_key_value_heads = 2});
  Tensor q = layer_test_input({2, 5, 4}, DType::Float32, 10, 3);
  Tensor v = layer_test_input({2, 7, 4}, DType::Float32, 10, 4);
  std::vector<int32_t> vm(14, 1);
  vm[3] = vm[9] = vm[13] = 0;
  Tensor v_mask = ops::cast(ops::convert_to_tensor(vm, Shape{2, 7}), DType::Bool);
  for (bool causal : {false, true}) {
    L::AttentionCallArgs args{.use_causal_mask = causal, .value_mask = v_mask};
    Tensor fused = gqa->attend(q, v, args)[0];
    args.return_attention_scores = true;
    auto both = gqa->attend(q, v, args);
    EXPECT_EQ(both[1].shape(), (Shape{2, 6, 5, 7}));
    EXPECT_LT(max_abs_diff(fused, both[0]), 2e-6) << causal;
  }
}

TEST_P(GroupedQueryAttentionTest, GradientsMatchFiniteDifferences) {
  for (bool scores : {false, true}) {
    auto gqa = L::GroupedQueryAttention(
        {.head_dim = 2, .num_query_heads = 4, .num_key_value_heads = 2, .dtype = DType::Float64});
    Tensor q = test_values({1, 3, 3}, -1, 1, 31);
    Tensor v = test_values({1, 4, 3}, -1, 1, 32);
    expect_gradients_match(
        [&](const std::vector<Tensor>& a) {
          return gqa->attend(a[0], a[1],
                             {.return_attention_scores = scores, .use_causal_mask = true})[0];
        },
        {q, v}, std::string("gqa scores=") + (scores ? "1" : "0"));
  }
}

TEST_P(GroupedQueryAttentionTest, ConfigAndErrors) {
  auto gqa = L::GroupedQueryAttention(
      {.head_dim = 4, .num_query_heads = 4, .num_key_value_heads = 1, .sliding_window = 3});
  Tensor x = layer_test_input({1, 5, 3}, DType::Float32);
  EXPECT_EQ(gqa->attend(x, x)[0].shape(), (Shape{1, 5, 3}));
  Config c = L::serialize(*gqa);
  auto copy = L::deserialize(c);
  EXPECT_EQ(copy->get_config(), gqa->get_config());
  EXPECT_EQ(c["config"]["sliding_window"], 3);
  KERAS_EXPECT_THROW_WITH(
      L::GroupedQueryAttention({.head_dim = 2, .num_query_heads = 3, .num_key_value_heads = 2}),
      ValueError, "`num_query_heads` must be divisible by `num_key_value_heads`.");
}

class AttentionLayerTest : public BackendTest {};

TEST_P(AttentionLayerTest, Harness) {
  for (std::string mode : {"dot", "concat"})
    run_layer_test(
        {.make =
             [mode] {
               return Layer(make_layer<SelfAttentionImpl<L::Attention>>(
                   L::Attention({.use_scale = true, .score_mode = mode}), true));
             },
         .input_shape = {2, 4, 3},
         .expected_output_shape = {2, 4, 3},
         .expected_weights =
             mode == "dot"
                 ? std::vector<std::pair<std::string, Shape>>{{"scale", {}}}
                 : std::vector<std::pair<std::string, Shape>>{{"scale", {}},
                                                              {"concat_score_weight", {}}},
         .check_config = false});
  run_layer_test({.make =
                      [] {
                        return Layer(make_layer<SelfAttentionImpl<L::AdditiveAttention>>(
                            L::AdditiveAttention(), false));
                      },
                  .input_shape = {2, 4, 3},
                  .expected_output_shape = {2, 4, 3},
                  .expected_weights = {{"scale", {3}}},
                  .check_config = false});
}

// Keras's Luong attention in plain loops: scores = scale * q.k (or the Bahdanau sum), masked
// values get -1e9, softmax, weighted values, masked queries 0.
std::vector<double> luong_reference(const std::vector<double>& q, const std::vector<double>& k,
                                    const std::vector<double>& v, int64_t B, int64_t Tq, int64_t Tv,
                                    int64_t D, const std::vector<int>& q_mask,
                                    const std::vector<int>& v_mask, bool causal, double scale,
                                    const std::vector<double>& additive_scale) {
  std::vector<double> out(B * Tq * D, 0.0);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t i = 0; i < Tq; ++i) {
      std::vector<double> s(Tv);
      double mx = -INFINITY;
      for (int64_t j = 0; j < Tv; ++j) {
        double d = 0;
        for (int64_t h = 0; h < D; ++h) {
          double qv = q[(b * Tq + i) * D + h], kv = k[(b * Tv + j) * D + h];
          d += additive_scale.empty() ? qv * kv : additive_scale[h] * std::tanh(qv + kv);
        }
        if (additive_scale.empty()) d *= scale;
        bool keep = (v_mask.empty() || v_mask[b * Tv + j]) && (!causal || j <= i);
        s[j] = keep ? d : d - 1e9;
        mx = std::max(mx, s[j]);
      }
      double sum = 0;
      for (double& x : s) sum += (x = std::exp(x - mx));
      if (!q_mask.empty() && !q_mask[b * Tq + i]) continue;
      for (int64_t j = 0; j < Tv; ++j)
        for (int64_t h = 0; h < D; ++h)
          out[(b * Tq + i) * D + h] += s[j] / sum * v[(b * Tv + j) * D + h];
    }
  return out;
}

TEST_P(AttentionLayerTest, MatchesReferenceWithMasks) {
  const int64_t B = 2, Tq = 3, Tv = 4, D = 3;
  Tensor q = test_values({B, Tq, D}, -1, 1, 41);
  Tensor v = test_values({B, Tv, D}, -1, 1, 42);
  Tensor k = test_values({B, Tv, D}, -1, 1, 43);
  std::vector<int> qm{1, 0, 1, 1, 1, 1}, vm{1, 1, 0, 1, 0, 1, 1, 1};
  Tensor q_mask =
      ops::cast(ops::convert_to_tensor(std::vector<int32_t>(qm.begin(), qm.end()), Shape{B, Tq}),
                DType::Bool);
  Tensor v_mask =
      ops::cast(ops::convert_to_tensor(std::vector<int32_t>(vm.begin(), vm.end()), Shape{B, Tv}),
                DType::Bool);
  for (bool causal : {false, true}) {
    auto att = L::Attention({.use_scale = true, .dtype = DType::Float64});
    auto outs = att->attend(
        {q, v, k},
        {.return_attention_scores = true, .use_causal_mask = causal, .mask = {q_mask, v_mask}});
    ASSERT_EQ(outs.size(), 2u);
    EXPECT_EQ(outs[1].shape(), (Shape{B, Tq, Tv}));
    std::vector<double> ref =
        luong_reference(q.to_vector<double>(), k.to_vector<double>(), v.to_vector<double>(), B, Tq,
                        Tv, D, qm, vm, causal, 1.0, {});
    EXPECT_LT(max_abs_diff(outs[0], ops::convert_to_tensor(ref, Shape{B, Tq, D})), 1e-12);
    ASSERT_TRUE(outs[0].keras_mask().defined());  // the query mask
    auto add = L::AdditiveAttention({.dtype = DType::Float64});
    Tensor y = add->attend({q, v, k}, {.use_causal_mask = causal, .mask = {q_mask, v_mask}})[0];
    std::vector<double> ref2 =
        luong_reference(q.to_vector<double>(), k.to_vector<double>(), v.to_vector<double>(), B, Tq,
                        Tv, D, qm, vm, causal, 1.0, values_of(add->scale().value()));
    EXPECT_LT(max_abs_diff(y, ops::convert_to_tensor(ref2, Shape{B, Tq, D})), 1e-12);
  }
}

TEST_P(AttentionLayerTest, GradientsMatchFiniteDifferences) {
  std::vector<int32_t> vm{1, 0, 1, 1};
  Tensor v_mask = ops::cast(ops::convert_to_tensor(vm, Shape{1, 4}), DType::Bool);
  for (std::string mode : {"dot", "concat"}) {
    auto att = L::Attention({.use_scale = true, .score_mode = mode, .dtype = DType::Float64});
    expect_gradients_match(
        [&](const std::vector<Tensor>& a) {
          return att->attend({a[0], a[1]},
                             {.use_causal_mask = true, .mask = {Tensor(), v_mask}})[0];
        },
        {test_values({1, 3, 2}, -1, 1, 51), test_values({1, 4, 2}, -1, 1, 52)},
        "attention " + mode);
  }
}

TEST_P(AttentionLayerTest, ConfigAndErrors) {
  auto att = L::Attention({.use_scale = true, .score_mode = "concat", .dropout = 0.2, .seed = 4});
  Tensor x = layer_test_input({1, 2, 3}, DType::Float32);
  att->attend({x, x});
  Config c = L::serialize(*att);
  EXPECT_EQ(c["config"]["score_mode"], "concat");
  EXPECT_EQ(L::deserialize(c)->get_config(), att->get_config());
  auto add = L::AdditiveAttention();
  add->attend({x, x});
  Config ca = L::serialize(*add);
  EXPECT_FALSE(ca["config"].contains("score_mode"));
  EXPECT_EQ(ca["class_name"], "AdditiveAttention");
  EXPECT_EQ(L::deserialize(ca)->get_config(), add->get_config());
  KERAS_EXPECT_THROW_WITH(L::Attention({.score_mode = "sum"}), ValueError,
                          "Invalid value for argument score_mode");
  KERAS_EXPECT_THROW_WITH(att->attend({x}), ValueError, "accepts inputs list of length 2 or 3");
}

KERAS_INSTANTIATE_BACKEND_TEST(GroupedQueryAttentionTest);
KERAS_INSTANTIATE_BACKEND_TEST(AttentionLayerTest);

}  // namespace
}  // namespace keras::testing
