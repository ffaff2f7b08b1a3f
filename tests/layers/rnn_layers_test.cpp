// SimpleRNN, LSTM, GRU, RNN (user cells), StackedRNNCells, Bidirectional and TimeDistributed:
// the generic layer harness, numerics against a plain C++ float64 reference of Keras's cells and
// backend rnn loop (masks, go_backwards, initial states, return_state), fused vs generic path,
// stateful layers, configs and errors.
#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"
#include "keras/ops/ops.hpp"
#include "layers/rnn_reference.hpp"
#include "testing/backends.hpp"
#include "testing/gradient_check.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

namespace ref = rnn_ref;

class RNNLayersTest : public BackendTest {};

constexpr int64_t B = 2, T = 4, F = 3, U = 5;

Tensor inputs64(uint64_t seed = 3) { return test_values({B, T, F}, -1, 1, seed); }

// Sample b of a (B, T, F) tensor as T vectors.
std::vector<ref::Vec> sample(const Tensor& x, int64_t b) {
  std::vector<double> v = values_of(x);
  std::vector<ref::Vec> out;
  int64_t t_len = x.shape()[1], f = x.shape()[2];
  for (int64_t t = 0; t < t_len; ++t)
    out.emplace_back(v.begin() + (b * t_len + t) * f, v.begin() + (b * t_len + t + 1) * f);
  return out;
}

// Gives every weight of `layer` deterministic values in [-0.6, 0.6].
void randomize(const LayerImpl& layer, uint64_t seed = 11) {
  for (Variable v : layer.weights())
    v.assign(ops::cast(test_values(v.shape(), -0.6, 0.6, seed++), v.dtype()));
}

ref::Step reference_step(const LayerImpl& layer, const std::string& kind, bool reset_after = true) {
  std::vector<Tensor> w = layer.get_weights();
  ref::Vec k = values_of(w[0]), r = values_of(w[1]), b = values_of(w[2]);
  if (kind == "simple") return ref::simple_rnn_step(k, r, b, U);
  if (kind == "lstm") return ref::lstm_step(k, r, b, U);
  return ref::gru_step(k, r, b, U, reset_after);
}

// ---- harness ----

TEST_P(RNNLayersTest, HarnessSimpleRNN) {
  run_layer_test(
      {.make = [] { return Layer(layers::SimpleRNN({.units = 4})); },
       .input_shape = {2, 5, 3},
       .expected_output_shape = {2, 4},
       .expected_weights = {{"kernel", {3, 4}}, {"recurrent_kernel", {4, 4}}, {"bias", {4}}},
       .expected_trainable_weights = 3,
       .expected_non_trainable_weights = 0});
}

TEST_P(RNNLayersTest, HarnessLSTMSequences) {
  run_layer_test(
      {.make = [] { return Layer(layers::LSTM({.units = 4, .return_sequences = true})); },
       .input_shape = {2, 5, 3},
       .expected_output_shape = {2, 5, 4},
       .expected_weights = {{"kernel", {3, 16}}, {"recurrent_kernel", {4, 16}}, {"bias", {16}}}});
}

TEST_P(RNNLayersTest, HarnessGRU) {
  run_layer_test({.make = [] { return Layer(layers::GRU({.units = 4, .go_backwards = true})); },
                  .input_shape = {2, 5, 3},
                  .expected_output_shape = {2, 4},
                  .expected_weights = {
                      {"kernel", {3, 12}}, {"recurrent_kernel", {4, 12}}, {"bias", {2, 12}}}});
}

TEST_P(RNNLayersTest, HarnessGRUResetBefore) {
  run_layer_test(
      {.make = [] { return Layer(layers::GRU({.units = 4, .reset_after = false})); },
       .input_shape = {2, 5, 3},
       .expected_output_shape = {2, 4},
       .expected_weights = {{"kernel", {3, 12}}, {"recurrent_kernel", {4, 12}}, {"bias", {12}}}});
}

TEST_P(RNNLayersTest, HarnessBidirectional) {
  run_layer_test({.make =
                      [] {
                        return Layer(layers::Bidirectional(
                            layers::LSTM({.units = 3, .return_sequences = true})));
                      },
                  .input_shape = {2, 5, 4},
                  .expected_output_shape = {2, 5, 6},
                  .expected_weights = {{"kernel", {4, 12}},
                                       {"recurrent_kernel", {3, 12}},
                                       {"bias", {12}},
                                       {"kernel", {4, 12}},
                                       {"recurrent_kernel", {3, 12}},
                                       {"bias", {12}}}});
}

TEST_P(RNNLayersTest, HarnessTimeDistributed) {
  run_layer_test(
      {.make = [] { return Layer(layers::TimeDistributed(layers::Dense({.units = 2}))); },
       .input_shape = {2, 5, 3},
       .expected_output_shape = {2, 5, 2},
       .expected_weights = {{"kernel", {3, 2}}, {"bias", {2}}}});
}

TEST_P(RNNLayersTest, HarnessRNNWithStackedCells) {
  run_layer_test(
      {.make =
           [] {
             return Layer(layers::RNN(layers::StackedRNNCells({layers::SimpleRNNCell({.units = 3}),
                                                               layers::LSTMCell({.units = 2})}),
                                      {.return_sequences = true}));
           },
       .input_shape = {2, 4, 3},
       .expected_output_shape = {2, 4, 2},
       .expected_weights = {{"kernel", {3, 3}},
                            {"recurrent_kernel", {3, 3}},
                            {"bias", {3}},
                            {"kernel", {3, 8}},
                            {"recurrent_kernel", {2, 8}},
                            {"bias", {8}}}});
}

// ---- numerics against the reference ----

struct Case {
  std::string kind;
  bool go_backwards = false;
  bool masked = false;
  bool reset_after = true;
};

Layer make_rnn(const Case& c, bool return_sequences, bool return_state = false) {
  if (c.kind == "simple")
    return Layer(layers::SimpleRNN({.units = U,
                                    .return_sequences = return_sequences,
                                    .return_state = return_state,
                                    .go_backwards = c.go_backwards,
                                    .dtype = DType::Float64}));
  if (c.kind == "lstm")
    return Layer(layers::LSTM({.units = U,
                               .return_sequences = return_sequences,
                               .return_state = return_state,
                               .go_backwards = c.go_backwards,
                               .dtype = DType::Float64}));
  return Layer(layers::GRU({.units = U,
                            .return_sequences = return_sequences,
                            .return_state = return_state,
                            .go_backwards = c.go_backwards,
                            .reset_after = c.reset_after,
                            .dtype = DType::Float64}));
}

void check_against_reference(const Case& c) {
  std::string what = c.kind + (c.go_backwards ? " go_backwards" : "") +
                     (c.masked ? " masked" : "") +
                     (c.kind == "gru" && !c.reset_after ? " reset_before" : "");
  Tensor x = inputs64();
  std::vector<std::vector<int>> mask = {{1, 1, 0, 1}, {0, 1, 1, 0}};
  Tensor m = ops::cast(tensor_of({1, 1, 0, 1, 0, 1, 1, 0}, {B, T}), DType::Bool);
  CallArgs args;
  if (c.masked) args.mask = m;
  for (bool fused : {true, false}) {
    Layer seq = make_rnn(c, true, true);
    seq->maybe_build({x.shape()});
    randomize(*seq);
    static_cast<layers::RNNImpl&>(*seq).set_fused(fused);
    std::vector<Tensor> outs = seq.invoke({x}, args);
    size_t n_states = c.kind == "lstm" ? 2 : 1;
    ASSERT_EQ(outs.size(), 1 + n_states) << what;
    EXPECT_EQ(outs[0].shape(), Shape({B, T, U})) << what;
    ref::Step step = reference_step(*seq, c.kind, c.reset_after);
    std::vector<double> want_seq, want_states[2];
    for (int64_t b = 0; b < B; ++b) {
      std::vector<ref::Vec> init(n_states, ref::Vec(U, 0.0));
      ref::Result r = ref::run(step, sample(x, b), init, c.masked ? mask[b] : std::vector<int>{},
                               c.go_backwards, false);
      for (const auto& o : r.outputs) want_seq.insert(want_seq.end(), o.begin(), o.end());
      for (size_t s = 0; s < n_states; ++s)
        want_states[s].insert(want_states[s].end(), r.states[s].begin(), r.states[s].end());
    }
    std::string w = what + (fused ? " fused" : " generic");
    expect_near_all(values_of(outs[0]), want_seq, 1e-10, w + " sequences");
    for (size_t s = 0; s < n_states; ++s)
      expect_near_all(values_of(outs[1 + s]), want_states[s], 1e-10, w + " state");
    // return_sequences = false gives the last processed output.
    Layer last = make_rnn(c, false);
    last->maybe_build({x.shape()});
    last->set_weights(seq->get_weights());
    static_cast<layers::RNNImpl&>(*last).set_fused(fused);
    Tensor y = last(x, args);
    EXPECT_EQ(y.shape(), Shape({B, U}));
    std::vector<double> seq_v = values_of(outs[0]), want_last;
    for (int64_t b = 0; b < B; ++b)
      want_last.insert(want_last.end(), seq_v.begin() + (b * T + T - 1) * U,
                       seq_v.begin() + (b * T + T) * U);
    expect_near_all(values_of(y), want_last, 1e-12, w + " last output");
  }
}

TEST_P(RNNLayersTest, SimpleRNNMatchesReference) {
  for (bool back : {false, true})
    for (bool masked : {false, true}) check_against_reference({"simple", back, masked});
}

TEST_P(RNNLayersTest, LSTMMatchesReference) {
  for (bool back : {false, true})
    for (bool masked : {false, true}) check_against_reference({"lstm", back, masked});
}

TEST_P(RNNLayersTest, GRUMatchesReference) {
  for (bool reset_after : {true, false})
    for (bool back : {false, true})
      for (bool masked : {false, true}) check_against_reference({"gru", back, masked, reset_after});
}

TEST_P(RNNLayersTest, MaskFromInputTensorIsUsed) {
  // The mask attached by Masking reaches the LSTM: a fully masked trailing step changes nothing.
  Tensor x = tensor_of({1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 9, 10}, {2, 3, 2});
  layers::LSTM lstm({.units = 3});
  Tensor masked = lstm(layers::Masking()(x));
  Tensor first_two = lstm(ops::slice(x, {0, 0, 0}, {1, 2, 2}));
  std::vector<double> m = values_of(masked), f = values_of(first_two);
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(m[i], f[i], 1e-6);
  // As in Keras 3.15.1 a sequence output carries the input mask, so stacked RNNs see it; the
  // last output does not.
  Tensor seq_out = layers::LSTM({.units = 3, .return_sequences = true})(layers::Masking()(x));
  ASSERT_TRUE(seq_out.keras_mask().defined());
  EXPECT_EQ(values_of(seq_out.keras_mask()), (std::vector<double>{1, 1, 0, 1, 1, 1}));
  EXPECT_FALSE(lstm(layers::Masking()(x)).keras_mask().defined());
  EXPECT_TRUE(lstm->supports_masking());
  // Bidirectional: the mask passes to sequence outputs (both of them without a merge mode).
  Tensor bi = layers::Bidirectional(layers::GRU({.units = 2, .return_sequences = true}))(
      layers::Masking()(x));
  ASSERT_TRUE(bi.keras_mask().defined());
  EXPECT_EQ(values_of(bi.keras_mask()), (std::vector<double>{1, 1, 0, 1, 1, 1}));
  EXPECT_FALSE(layers::Bidirectional(layers::GRU({.units = 2}))(layers::Masking()(x))
                   .keras_mask()
                   .defined());
  Tensor mask = ops::cast(tensor_of({1, 0}, {1, 2}), DType::Bool);
  layers::LSTM seq({.units = 3, .return_sequences = true});
  EXPECT_EQ(values_of(seq->compute_mask({x}, mask)), values_of(mask));
  EXPECT_FALSE(lstm->compute_mask({x}, mask).defined());
}

TEST_P(RNNLayersTest, ZeroOutputForMask) {
  Tensor x = inputs64();
  Tensor m = ops::cast(tensor_of({1, 0, 1, 1, 1, 1, 1, 0}, {B, T}), DType::Bool);
  layers::SimpleRNN rnn({.units = U,
                         .return_sequences = true,
                         .zero_output_for_mask = true,
                         .dtype = DType::Float64});
  std::vector<double> y = values_of(rnn(x, {.mask = m}));
  for (int64_t j = 0; j < U; ++j) {
    EXPECT_EQ(y[(0 * T + 1) * U + j], 0.0);
    EXPECT_EQ(y[(1 * T + 3) * U + j], 0.0);
  }
}

TEST_P(RNNLayersTest, InitialStatesAndReturnState) {
  Tensor x = inputs64();
  Tensor h0 = test_values({B, U}, -1, 1, 7), c0 = test_values({B, U}, -1, 1, 8);
  layers::LSTM lstm({.units = U, .return_state = true, .dtype = DType::Float64});
  std::vector<Tensor> outs = lstm.invoke({x, h0, c0});
  ASSERT_EQ(outs.size(), 3u);
  ref::Step step = reference_step(*lstm, "lstm");
  std::vector<double> hv = values_of(h0), cv = values_of(c0), want_h, want_c;
  for (int64_t b = 0; b < B; ++b) {
    ref::Result r = ref::run(step, sample(x, b),
                             {ref::Vec(hv.begin() + b * U, hv.begin() + (b + 1) * U),
                              ref::Vec(cv.begin() + b * U, cv.begin() + (b + 1) * U)},
                             {}, false, false);
    want_h.insert(want_h.end(), r.states[0].begin(), r.states[0].end());
    want_c.insert(want_c.end(), r.states[1].begin(), r.states[1].end());
  }
  expect_near_all(values_of(outs[0]), want_h, 1e-10, "output");
  expect_near_all(values_of(outs[1]), want_h, 1e-10, "h");
  expect_near_all(values_of(outs[2]), want_c, 1e-10, "c");
  KERAS_EXPECT_THROW_WITH(lstm.invoke({x, h0}), ValueError, "initial state");
}

TEST_P(RNNLayersTest, SymbolicReturnStateInFunctionalModel) {
  Tensor in = Input({T, F});
  std::vector<Tensor> outs =
      layers::GRU({.units = U, .return_sequences = true, .return_state = true}).invoke({in});
  ASSERT_EQ(outs.size(), 2u);
  EXPECT_EQ(outs[0].shape(), Shape({Shape::kNone, T, U}));
  EXPECT_EQ(outs[1].shape(), Shape({Shape::kNone, U}));
  Model model({in}, outs);
  std::vector<Tensor> y = model->invoke({ops::ones({B, T, F})});
  ASSERT_EQ(y.size(), 2u);
  std::vector<double> seq = values_of(y[0]), last = values_of(y[1]);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t j = 0; j < U; ++j)
      EXPECT_NEAR(seq[(b * T + T - 1) * U + j], last[b * U + j], 1e-6);
}

TEST_P(RNNLayersTest, StatefulCarriesStatesAcrossCalls) {
  Tensor x = inputs64();
  layers::SimpleRNN stateful({.units = U, .stateful = true, .dtype = DType::Float64});
  layers::SimpleRNN plain({.units = U, .dtype = DType::Float64});
  stateful->maybe_build({x.shape()});
  plain->maybe_build({Shape{B, 2 * T, F}});
  randomize(*stateful);
  plain->set_weights(stateful->get_weights());
  stateful(x);
  Tensor second = stateful(x);
  Tensor twice = plain(ops::concatenate({x, x}, 1));
  expect_near_all(values_of(second), values_of(twice), 1e-10, "stateful");
  stateful->reset_states();
  expect_near_all(values_of(stateful(x)), values_of(plain(x)), 1e-10, "after reset_states");
  KERAS_EXPECT_THROW_WITH(stateful(test_values({3, T, F})), ValueError, "batch size");
}

TEST_P(RNNLayersTest, BidirectionalMergeModesAndStates) {
  Tensor x = inputs64();
  layers::LSTM base({.units = U, .return_sequences = true, .dtype = DType::Float64});
  layers::Bidirectional concat(base, {.dtype = DType::Float64});
  Tensor y = concat(x);
  EXPECT_EQ(y.shape(), Shape({B, T, 2 * U}));
  EXPECT_EQ(concat->forward_layer()->name(), "forward_" + base->name());
  EXPECT_EQ(concat->backward_layer()->name(), "backward_" + base->name());
  EXPECT_TRUE(concat->backward_layer()->rnn_options().go_backwards);
  randomize(*concat);
  y = concat(x);
  // Forward half: the forward layer; backward half: the backward layer flipped in time.
  Tensor f = (*concat->forward_layer())(x);
  Tensor b = ops::flip((*concat->backward_layer())(x), 1);
  expect_near_all(values_of(y), values_of(ops::concatenate({f, b}, -1)), 1e-12, "concat");
  for (std::string mode : {"sum", "mul", "ave"}) {
    layers::Bidirectional bi(base, {.merge_mode = mode, .dtype = DType::Float64});
    bi->maybe_build({x.shape()});
    bi->set_weights(concat->get_weights());
    Tensor want = mode == "sum"   ? ops::add(f, b)
                  : mode == "mul" ? ops::multiply(f, b)
                                  : ops::divide(ops::add(f, b), 2.0);
    expect_near_all(values_of(bi(x)), values_of(want), 1e-12, mode);
  }
  layers::Bidirectional none(base, {.merge_mode = std::nullopt, .dtype = DType::Float64});
  none->maybe_build({x.shape()});
  none->set_weights(concat->get_weights());
  std::vector<Tensor> two = none.invoke({x});
  ASSERT_EQ(two.size(), 2u);
  expect_near_all(values_of(two[1]), values_of(b), 1e-12, "merge None backward");
  // return_state: [output, fwd h, fwd c, bwd h, bwd c].
  layers::Bidirectional st(
      layers::LSTM({.units = U, .return_state = true, .dtype = DType::Float64}),
      {.dtype = DType::Float64});
  std::vector<Tensor> outs = st.invoke({x});
  ASSERT_EQ(outs.size(), 5u);
  EXPECT_EQ(outs[0].shape(), Shape({B, 2 * U}));
  // An explicit backward layer.
  layers::Bidirectional custom(layers::GRU({.units = 2}),
                               {.backward_layer = layers::GRU({.units = 2, .go_backwards = true})});
  EXPECT_EQ(custom(x).shape(), Shape({B, 4}));
  KERAS_EXPECT_THROW_WITH(layers::Bidirectional(layers::GRU({.units = 2}),
                                                {.backward_layer = layers::GRU({.units = 2})}),
                          ValueError, "go_backwards");
  KERAS_EXPECT_THROW_WITH(layers::Bidirectional(layers::GRU({.units = 2}), {.merge_mode = "max"}),
                          ValueError, "Invalid merge mode");
  KERAS_EXPECT_THROW_WITH(layers::Bidirectional(layers::Dense({.units = 2})), ValueError,
                          "RNN layer");
}

TEST_P(RNNLayersTest, TimeDistributedAppliesPerStep) {
  Tensor x = inputs64();
  layers::Dense dense({.units = 2, .dtype = DType::Float64});
  layers::TimeDistributed td(dense, {.dtype = DType::Float64});
  Tensor y = td(x);
  EXPECT_EQ(y.shape(), Shape({B, T, 2}));
  expect_near_all(values_of(y), values_of(dense(x)), 1e-12, "TimeDistributed(Dense)");
  KERAS_EXPECT_THROW_WITH(td(test_values({2, 3})), ValueError, "3 dimensions");
}

// A user cell: h_t = h_{t-1} + x_t @ w (a running sum), with two states to check generic
// plumbing (the second state counts steps).
class AccumulatorCellImpl : public layers::RNNCellImpl {
 public:
  explicit AccumulatorCellImpl(int64_t units)
      : RNNCellImpl(LayerOptions{.dtype = DType::Float64}), units_(units) {}
  std::string class_name() const override { return "AccumulatorCell"; }
  std::vector<int64_t> state_size() const override { return {units_, 1}; }
  void build(const Shape& s) override {
    w_ = add_weight({.shape = {s.back(), units_}, .initializer = "ones", .name = "w"});
  }
  std::pair<Tensor, std::vector<Tensor>> call_cell(const Tensor& x, const std::vector<Tensor>& s,
                                                   const CallContext&) override {
    Tensor h = ops::add(s[0], ops::matmul(x, w_.value()));
    return {h, {h, ops::add(s[1], 1.0)}};
  }

 private:
  int64_t units_;
  Variable w_;
};

TEST_P(RNNLayersTest, UserCellThroughGenericRNN) {
  auto cell = make_layer<AccumulatorCellImpl>(2);
  layers::RNN rnn(cell, {.return_sequences = true, .return_state = true, .dtype = DType::Float64});
  Tensor x = tensor_of({1, 2, 3, 4, 5, 6}, {1, 3, 2}, DType::Float64);
  Tensor mask = ops::cast(tensor_of({1, 0, 1}, {1, 3}), DType::Bool);
  std::vector<Tensor> outs = rnn.invoke({x}, {.mask = mask});
  ASSERT_EQ(outs.size(), 3u);
  // Step sums: 3, (masked: stays 3), 3 + 11 = 14.
  EXPECT_EQ(values_of(outs[0]), (std::vector<double>{3, 3, 3, 3, 14, 14}));
  EXPECT_EQ(values_of(outs[2]), (std::vector<double>{2}));
  EXPECT_EQ(rnn->tracked_layers().at(0).first, "cell");
}

TEST_P(RNNLayersTest, StackedCellsEqualTwoLayers) {
  Tensor x = inputs64();
  layers::RNN stacked(
      layers::StackedRNNCells({layers::GRUCell({.units = 3, .dtype = DType::Float64}),
                               layers::SimpleRNNCell({.units = 2, .dtype = DType::Float64})}),
      {.return_sequences = true, .dtype = DType::Float64});
  stacked->maybe_build({x.shape()});
  randomize(*stacked);
  std::vector<Tensor> w = stacked->get_weights();
  layers::GRU g({.units = 3, .return_sequences = true, .dtype = DType::Float64});
  layers::SimpleRNN s({.units = 2, .return_sequences = true, .dtype = DType::Float64});
  g->maybe_build({x.shape()});
  s->maybe_build({Shape{B, T, 3}});
  g->set_weights({w[0], w[1], w[2]});
  s->set_weights({w[3], w[4], w[5]});
  expect_near_all(values_of(stacked(x)), values_of(s(g(x))), 1e-12, "stacked");
  EXPECT_EQ(stacked->cell()->tracked_layers().at(0).first, "cells/gru_cell");
  EXPECT_EQ(stacked->cell()->tracked_layers().at(1).first, "cells/simple_rnn_cell");
}

TEST_P(RNNLayersTest, DropoutOnlyInTraining) {
  Tensor x = inputs64();
  layers::LSTM lstm(
      {.units = U, .dropout = 0.5, .recurrent_dropout = 0.3, .seed = 1, .dtype = DType::Float64});
  layers::LSTM plain({.units = U, .dtype = DType::Float64});
  lstm->maybe_build({x.shape()});
  plain->maybe_build({x.shape()});
  plain->set_weights(lstm->get_weights());
  expect_near_all(values_of(lstm(x)), values_of(plain(x)), 1e-12, "inference");
  std::vector<double> a = values_of(lstm(x, {.training = true}));
  std::vector<double> p = values_of(plain(x));
  double diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff += std::abs(a[i] - p[i]);
  EXPECT_GT(diff, 1e-3);
  for (double v : a) EXPECT_TRUE(std::isfinite(v));
}

TEST_P(RNNLayersTest, CellsAreCallableLayers) {
  layers::LSTMCell cell({.units = 2});
  Tensor x = test_values({3, 4});
  std::vector<Tensor> out =
      cell.invoke({ops::cast(x, DType::Float32), ops::zeros({3, 2}), ops::zeros({3, 2})});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].shape(), Shape({3, 2}));
  expect_near_all(values_of(out[0]), values_of(out[1]), 0, "h is the output");
}

TEST_P(RNNLayersTest, ConfigsMatchKeras) {
  layers::LSTM lstm({.units = 6, .return_sequences = true, .name = "lstm"});
  EXPECT_EQ(config_keys(lstm->get_config()),
            joined({kBaseLayerKeys, kRnnKeys, {"units"}, kLstmCellKeys}));
  layers::GRU gru({.units = 6, .name = "gru"});
  Config g = gru->get_config();
  EXPECT_EQ(g["reset_after"], true);
  EXPECT_EQ(g["recurrent_initializer"]["class_name"], "Orthogonal");
  EXPECT_EQ(config_keys(g).back(), "seed");
  layers::SimpleRNN srnn({.units = 6, .name = "simple_rnn"});
  Config s = srnn->get_config();
  EXPECT_FALSE(s.contains("seed"));
  EXPECT_TRUE(s.contains("activity_regularizer"));
  EXPECT_EQ(s["activation"], "tanh");
  // Cell config (LSTMCell keeps unit_forget_bias right after use_bias, and no RNN keys).
  layers::LSTMCell cell({.units = 2});
  Config cc = cell->get_config();
  EXPECT_FALSE(cc.contains("return_sequences"));
  EXPECT_EQ(config_keys(cc)[7], "unit_forget_bias");
  // Round trips through the registry, including the wrappers and a stacked RNN.
  std::vector<Layer> all = {
      Layer(lstm),
      Layer(gru),
      Layer(srnn),
      Layer(layers::Bidirectional(layers::LSTM({.units = 3}), {.merge_mode = "sum"})),
      Layer(layers::TimeDistributed(layers::Dense({.units = 2}))),
      Layer(layers::RNN(layers::StackedRNNCells(
          {layers::GRUCell({.units = 2}), layers::LSTMCell({.units = 3})}))),
      Layer(layers::Masking({.mask_value = 2.0}))};
  for (const Layer& l : all) {
    Config env = layers::serialize(*l);
    auto back = layers::deserialize(env);
    EXPECT_EQ(back->class_name(), l->class_name());
    EXPECT_EQ(back->get_config().dump(), l->get_config().dump()) << l->class_name();
  }
}

TEST_P(RNNLayersTest, UnitForgetBias) {
  layers::LSTM lstm({.units = 2});
  lstm->maybe_build({Shape{1, 3, 4}});
  EXPECT_EQ(values_of(lstm->get_weights()[2]), (std::vector<double>{0, 0, 1, 1, 0, 0, 0, 0}));
  layers::LSTM no({.units = 2, .unit_forget_bias = false});
  no->maybe_build({Shape{1, 3, 4}});
  EXPECT_EQ(values_of(no->get_weights()[2]), std::vector<double>(8, 0.0));
}

TEST_P(RNNLayersTest, Errors) {
  KERAS_EXPECT_THROW_WITH(layers::LSTM({.units = 0}), ValueError, "units");
  KERAS_EXPECT_THROW_WITH(layers::GRU({.units = 2})(test_values({2, 3})), ValueError, "timesteps");
  layers::SimpleRNN rnn({.units = 2});
  KERAS_EXPECT_THROW_WITH(rnn(ops::ones({2, 3, 4}), {.mask = ops::ones({2, 5}, DType::Bool)}),
                          ValueError, "mask");
  KERAS_EXPECT_THROW_WITH(layers::SimpleRNN({.units = 2, .stateful = true})(Input({3, 4})),
                          ValueError, "batch size must be static");
}

KERAS_INSTANTIATE_BACKEND_TEST(RNNLayersTest);

}  // namespace
}  // namespace keras::testing
