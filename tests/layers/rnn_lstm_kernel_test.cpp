// The LSTM sequence kernel (Backend::lstm, used by the LSTM layer where the backend has one)
// against the layer's step loop (set_fused(false)) in float32: outputs, states and every gradient,
// over the options that route to the kernel (go_backwards, return_state, initial states, no bias,
// input dropout) and those that must not (recurrent dropout, other activations, masks). float64
// gradients against finite differences are in rnn_gradients_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "keras/autodiff/gradient_tape.hpp"
#include "keras/layers/layers.hpp"
#include "keras/ops/ops.hpp"
#include "ops/nn_lstm.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"
#include "testing/gradient_check.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class LSTMKernelTest : public BackendTest {};

// Odd sizes: the gate loops' vector tails and a batch that does not split evenly over threads.
constexpr int64_t B = 5, T = 7, F = 4, U = 19;

struct Run {
  std::vector<Tensor> outputs;  // the layer's outputs (sequence or last output, then states)
  std::vector<Tensor> grads;    // d loss / d (x, h0, c0, weights...)
};

Run run(layers::LSTM& lstm, bool fused, const Tensor& x, const Tensor& h0, const Tensor& c0,
        bool training) {
  static_cast<layers::RNNImpl&>(*lstm).set_fused(fused);
  GradientTape tape;
  std::vector<Tensor> sources{x, h0, c0};
  tape.watch(sources);
  for (const Variable& v : lstm->trainable_weights()) sources.push_back(v.value());
  CallArgs args;
  args.training = training;
  std::vector<Tensor> out = lstm.invoke({x, h0, c0}, args);
  // A loss that reads every output with distinct weights.
  Tensor loss = ops::zeros({}, DType::Float32);
  uint64_t seed = 40;
  for (const Tensor& y : out)
    loss = ops::add(loss, ops::sum(ops::multiply(y, test_values(y.shape(), 0.5, 1.5, seed++))));
  std::vector<Tensor> grads = tape.gradient(loss, sources);
  return {out, grads};
}

double max_abs(const Tensor& t) {
  double m = 0;
  for (double v : values_of(t)) m = std::max(m, std::abs(v));
  return m;
}

// Each output and gradient within `rel` of its largest element (float32 rounding, through up to
// T steps of recurrence).
void expect_same(const Run& kernel, const Run& loop, double rel, const std::string& what) {
  ASSERT_EQ(kernel.outputs.size(), loop.outputs.size()) << what;
  for (size_t i = 0; i < loop.outputs.size(); ++i)
    EXPECT_LE(max_abs_diff(kernel.outputs[i], loop.outputs[i]),
              rel * std::max(1.0, max_abs(loop.outputs[i])))
        << what << " output " << i;
  ASSERT_EQ(kernel.grads.size(), loop.grads.size()) << what;
  for (size_t i = 0; i < loop.grads.size(); ++i)
    EXPECT_LE(max_abs_diff(kernel.grads[i], loop.grads[i]),
              rel * std::max(1.0, max_abs(loop.grads[i])))
        << what << " gradient " << i << " (largest " << max_abs(loop.grads[i]) << ")";
}

layers::LSTM make(layers::LSTMOptions o) {
  o.units = U;
  return layers::LSTM(std::move(o));
}

// Two layers made alike (weights, seed): one runs the kernel, one the loop. (Not one layer twice:
// each call draws new dropout masks.)
void compare(const layers::LSTMOptions& options, const std::string& what, double weight_scale = 0.5,
             bool training = false, double rel = 1e-5) {
  Tensor x = test_values({B, T, F}, -1, 1, 3);
  Tensor h0 = test_values({B, U}, -1, 1, 4), c0 = test_values({B, U}, -2, 2, 5);
  Run runs[2];
  for (bool fused : {false, true}) {
    layers::LSTM lstm = make(options);
    lstm->maybe_build({x.shape(), h0.shape(), c0.shape()});
    uint64_t seed = 21;
    for (Variable v : lstm->weights())
      v.assign(test_values(v.shape(), -weight_scale, weight_scale, seed++));
    runs[fused] = run(lstm, fused, x, h0, c0, training);
  }
  expect_same(runs[1], runs[0], rel, what);
}

TEST_P(LSTMKernelTest, MatchesTheStepLoop) {
  compare({.return_sequences = true, .return_state = true}, "sequences and states");
  compare({.return_state = true}, "last output and states");
  compare({.return_sequences = true, .go_backwards = true}, "go_backwards");
  compare({.use_bias = false, .return_sequences = true}, "no bias");
}

TEST_P(LSTMKernelTest, SaturatedGatesMatch) {
  // Pre-activations of tens: sigmoid and tanh at their limits, where approximations go wrong.
  compare({.return_sequences = true, .return_state = true}, "saturated", 6.0);
}

TEST_P(LSTMKernelTest, InputDropoutUsesOneMaskPerSequence) {
  // Both paths draw the same masks from the same seed, so they agree with dropout on.
  compare({.dropout = 0.4, .seed = 7, .return_sequences = true}, "dropout", 0.5, true);
}

TEST_P(LSTMKernelTest, OptionsTheKernelCannotRunUseTheLoop) {
  // Recurrent dropout, another activation: the fused flag changes nothing (the loop both times).
  compare({.recurrent_dropout = 0.3, .seed = 3, .return_sequences = true}, "recurrent dropout", 0.5,
          true);
  compare({.activation = "relu", .return_sequences = true}, "relu activation");
  compare({.recurrent_activation = "hard_sigmoid", .return_sequences = true}, "hard_sigmoid");
}

TEST_P(LSTMKernelTest, MaskedInputsMatchTheLoop) {
  Tensor x = test_values({B, T, F}, -1, 1, 3);
  CallArgs args;
  std::vector<double> keep(B * T, 1.0);
  keep[3] = keep[T + 6] = 0.0;
  args.mask = ops::cast(tensor_of(keep, {B, T}), DType::Bool);
  layers::LSTM lstm = make({.return_sequences = true});
  Tensor fused = lstm(x, args);
  static_cast<layers::RNNImpl&>(*lstm).set_fused(false);
  EXPECT_LE(max_abs_diff(fused, lstm(x, args)), 1e-6);
}

TEST_P(LSTMKernelTest, NanInputsGiveNan) {
  std::vector<double> v(B * T * F, 0.25);
  v[F * 2] = std::numeric_limits<double>::quiet_NaN();  // batch 0, step 2
  layers::LSTM lstm = make({.return_sequences = true});
  std::vector<double> y = values_of(lstm(tensor_of(v, {B, T, F})));
  EXPECT_TRUE(std::isnan(y[2 * U])) << "batch 0, step 2";
  EXPECT_TRUE(std::isnan(y[(T - 1) * U])) << "batch 0, last step";
  EXPECT_FALSE(std::isnan(y[T * U + 2 * U])) << "batch 1 is untouched";
}

TEST_P(LSTMKernelTest, SequenceOpChecksItsArguments) {
  Tensor x = ops::zeros({T, B, F}), h = ops::zeros({B, U});
  Tensor k = ops::zeros({F, 4 * U}), r = ops::zeros({U, 4 * U});
  EXPECT_THROW_ALL(ops::detail::lstm_sequence(x, h, h, ops::zeros({F + 1, 4 * U}), r, Tensor()),
                   ValueError, "ops::lstm", "`kernel`", "(5, 76)");
  EXPECT_THROW_ALL(ops::detail::lstm_sequence(x, ops::zeros({B + 1, U}), h, k, r, Tensor()),
                   ValueError, "ops::lstm", "`h0`");
  EXPECT_THROW_ALL(ops::detail::lstm_sequence(x, h, h, k, r, ops::zeros({U})), ValueError,
                   "`bias`");
  EXPECT_THROW_ALL(ops::detail::lstm_sequence(ops::zeros({B, F}), h, h, k, r, Tensor()), ValueError,
                   "(timesteps, batch, features)");
}

TEST_P(LSTMKernelTest, SecondOrderGradientsSayHowToGetThem) {
  if (!backend::default_backend().has_native(backend::FusedKernel::Lstm))
    GTEST_SKIP() << backend_name() << " has no lstm kernel";
  Tensor x = test_values({B, T, F}, -1, 1, 3);
  layers::LSTM lstm = make({});
  GradientTape outer;
  outer.watch(x);
  {
    GradientTape inner;
    inner.watch(x);
    Tensor loss = ops::sum(lstm(x));
    EXPECT_THROW_ALL(inner.gradient(loss, x), NotImplementedError, "set_fused(false)");
  }
}

KERAS_INSTANTIATE_BACKEND_TEST(LSTMKernelTest);

}  // namespace
}  // namespace keras::testing
