// Gradients through SimpleRNN / LSTM / GRU (fused and generic paths, masks, go_backwards, both
// GRU reset_after conventions, initial states) against central finite differences in float64.
#include <gtest/gtest.h>

#include "keras/autodiff/gradient_tape.hpp"
#include "keras/layers/layers.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/gradient_check.hpp"
#include "testing/layer_harness.hpp"
#include "testing/weight_gradient_check.hpp"

namespace keras::testing {
namespace {

class RNNGradientsTest : public BackendTest {};

constexpr int64_t B = 2, T = 3, F = 2, U = 3;

Layer make(const std::string& kind, bool back, bool reset_after, bool seq) {
  if (kind == "simple")
    return Layer(layers::SimpleRNN(
        {.units = U, .return_sequences = seq, .go_backwards = back, .dtype = DType::Float64}));
  if (kind == "lstm")
    return Layer(layers::LSTM(
        {.units = U, .return_sequences = seq, .go_backwards = back, .dtype = DType::Float64}));
  return Layer(layers::GRU({.units = U,
                            .return_sequences = seq,
                            .go_backwards = back,
                            .reset_after = reset_after,
                            .dtype = DType::Float64}));
}

// d sum(y * w) / d weights from the tape vs central differences obtained by assigning perturbed
// weights.
void check_weight_gradients(const Layer& layer, const Tensor& x, const CallArgs& args,
                            const std::string& what) {
  Tensor probe = layer(x, args);
  Tensor w = test_values(probe.shape(), 0.5, 1.5, 5);
  auto loss = [&] { return ops::sum(ops::multiply(layer(x, args), w)); };
  expect_weight_gradients_match(layer->trainable_weights(), loss, what);
}

void run_case(const std::string& kind, bool back, bool masked, bool reset_after, bool fused) {
  std::string what = kind + (back ? " go_backwards" : "") + (masked ? " masked" : "") +
                     (reset_after ? "" : " reset_before") + (fused ? " fused" : " generic");
  Tensor x = test_values({B, T, F}, -1, 1, 3);
  CallArgs args;
  if (masked) args.mask = ops::cast(tensor_of({1, 0, 1, 1, 1, 0}, {B, T}), DType::Bool);
  Layer layer = make(kind, back, reset_after, true);
  layer->maybe_build({x.shape()});
  uint64_t seed = 21;
  for (Variable v : layer->weights()) v.assign(test_values(v.shape(), -0.7, 0.7, seed++));
  static_cast<layers::RNNImpl&>(*layer).set_fused(fused);
  expect_gradients_match([&](const std::vector<Tensor>& xs) { return layer(xs[0], args); }, {x},
                         what + " d/dx");
  check_weight_gradients(layer, x, args, what);
}

TEST_P(RNNGradientsTest, SimpleRNN) {
  for (bool masked : {false, true}) run_case("simple", false, masked, true, true);
  run_case("simple", true, true, true, false);
}

TEST_P(RNNGradientsTest, LSTM) {
  for (bool back : {false, true})
    for (bool masked : {false, true})
      for (bool fused : {true, false}) run_case("lstm", back, masked, true, fused);
}

TEST_P(RNNGradientsTest, GRU) {
  for (bool reset_after : {true, false})
    for (bool back : {false, true})
      for (bool masked : {false, true}) run_case("gru", back, masked, reset_after, true);
  run_case("gru", false, true, true, false);
  run_case("gru", true, false, false, false);
}

TEST_P(RNNGradientsTest, InitialStatesOfLSTM) {
  Tensor x = test_values({B, T, F}, -1, 1, 3);
  Tensor h0 = test_values({B, U}, -1, 1, 4), c0 = test_values({B, U}, -1, 1, 5);
  layers::LSTM lstm({.units = U, .dtype = DType::Float64});
  expect_gradients_match(
      [&](const std::vector<Tensor>& xs) {
        return lstm(std::vector<Tensor>{xs[0], xs[1], xs[2]});
      },
      {x, h0, c0}, "LSTM d/d(x, h0, c0)");
}

TEST_P(RNNGradientsTest, Bidirectional) {
  Tensor x = test_values({B, T, F}, -1, 1, 3);
  layers::Bidirectional bi(
      layers::GRU({.units = 2, .return_sequences = true, .dtype = DType::Float64}),
      {.dtype = DType::Float64});
  expect_gradients_match([&](const std::vector<Tensor>& xs) { return bi(xs[0]); }, {x},
                         "Bidirectional(GRU) d/dx");
}

KERAS_INSTANTIATE_BACKEND_TEST(RNNGradientsTest);

}  // namespace
}  // namespace keras::testing
