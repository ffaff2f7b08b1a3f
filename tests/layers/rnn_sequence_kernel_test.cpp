// The sequence kernels (Backend::lstm / gru, used by the LSTM and GRU layers where the backend
// has them) against the layers' step loop (set_fused(false)) in float32: outputs, states and
// every gradient, over the options that route to the kernel (go_backwards, return_state, initial
// states, no bias, input dropout) and those that must not (recurrent dropout, other activations,
// reset_after=false, masks). float64 gradients against finite differences are in
// rnn_gradients_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "keras/autodiff/gradient_tape.hpp"
#include "keras/layers/layers.hpp"
#include "keras/ops/ops.hpp"
#include "ops/nn_recurrent.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"
#include "testing/gradient_check.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class SequenceKernelTest : public BackendTest {};

// Odd sizes: the gate loops' vector tails and a batch that does not split evenly over threads.
constexpr int64_t B = 5, T = 7, F = 4, U = 19;

struct Run {
  std::vector<Tensor> outputs;  // the layer's outputs (sequence or last output, then states)
  std::vector<Tensor> grads;    // d loss / d (x, h0, c0, weights...)
};

// inputs: x and the initial states.
Run run(Layer& layer, bool fused, const std::vector<Tensor>& inputs, bool training) {
  static_cast<layers::RNNImpl&>(*layer).set_fused(fused);
  GradientTape tape;
  std::vector<Tensor> sources = inputs;
  tape.watch(sources);
  for (const Variable& v : layer->trainable_weights()) sources.push_back(v.value());
  CallArgs args;
  args.training = training;
  std::vector<Tensor> out = layer.invoke(inputs, args);
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

// Two layers made alike (weights, seed) by make(): one runs the kernel, one the loop. (Not one
// layer twice: each call draws new dropout masks.)
template <class Make>
void compare_layers(const Make& make, int num_states, const std::string& what, double weight_scale,
                    bool training, double rel) {
  Tensor x = test_values({B, T, F}, -1, 1, 3);
  std::vector<Tensor> inputs{x, test_values({B, U}, -1, 1, 4), test_values({B, U}, -2, 2, 5)};
  inputs.resize(1 + num_states);
  std::vector<Shape> shapes;
  for (const Tensor& t : inputs) shapes.push_back(t.shape());
  Run runs[2];
  for (bool fused : {false, true}) {
    Layer layer = make();
    layer->maybe_build(shapes);
    uint64_t seed = 21;
    for (Variable v : layer->weights())
      v.assign(test_values(v.shape(), -weight_scale, weight_scale, seed++));
    runs[fused] = run(layer, fused, inputs, training);
  }
  expect_same(runs[1], runs[0], rel, what);
}

void compare_lstm(layers::LSTMOptions options, const std::string& what, double weight_scale = 0.5,
                  bool training = false, double rel = 1e-5) {
  options.units = U;
  compare_layers([&] { return Layer(layers::LSTM(options)); }, 2, "LSTM " + what, weight_scale,
                 training, rel);
}

void compare_gru(layers::GRUOptions options, const std::string& what, double weight_scale = 0.5,
                 bool training = false, double rel = 1e-5) {
  options.units = U;
  compare_layers([&] { return Layer(layers::GRU(options)); }, 1, "GRU " + what, weight_scale,
                 training, rel);
}

TEST_P(SequenceKernelTest, LstmMatchesTheStepLoop) {
  compare_lstm({.return_sequences = true, .return_state = true}, "sequences and states");
  compare_lstm({.return_state = true}, "last output and states");
  compare_lstm({.return_sequences = true, .go_backwards = true}, "go_backwards");
  compare_lstm({.use_bias = false, .return_sequences = true}, "no bias");
}

TEST_P(SequenceKernelTest, LstmSaturatedGatesMatch) {
  // Pre-activations of tens: sigmoid and tanh at their limits, where approximations go wrong.
  compare_lstm({.return_sequences = true, .return_state = true}, "saturated", 6.0);
}

TEST_P(SequenceKernelTest, LstmInputDropoutUsesOneMaskPerSequence) {
  // Both paths draw the same masks from the same seed, so they agree with dropout on.
  compare_lstm({.dropout = 0.4, .seed = 7, .return_sequences = true}, "dropout", 0.5, true);
}

TEST_P(SequenceKernelTest, LstmOptionsTheKernelCannotRunUseTheLoop) {
  // Recurrent dropout, another activation: the fused flag changes nothing (the loop both times).
  compare_lstm({.recurrent_dropout = 0.3, .seed = 3, .return_sequences = true}, "recurrent dropout",
               0.5, true);
  compare_lstm({.activation = "relu", .return_sequences = true}, "relu activation");
  compare_lstm({.recurrent_activation = "hard_sigmoid", .return_sequences = true}, "hard_sigmoid");
}

TEST_P(SequenceKernelTest, LstmMaskedInputsMatchTheLoop) {
  Tensor x = test_values({B, T, F}, -1, 1, 3);
  CallArgs args;
  std::vector<double> keep(B * T, 1.0);
  keep[3] = keep[T + 6] = 0.0;
  args.mask = ops::cast(tensor_of(keep, {B, T}), DType::Bool);
  layers::LSTM lstm({.units = U, .return_sequences = true});
  Tensor fused = lstm(x, args);
  static_cast<layers::RNNImpl&>(*lstm).set_fused(false);
  EXPECT_LE(max_abs_diff(fused, lstm(x, args)), 1e-6);
}

TEST_P(SequenceKernelTest, LstmNanInputsGiveNan) {
  std::vector<double> v(B * T * F, 0.25);
  v[F * 2] = std::numeric_limits<double>::quiet_NaN();  // batch 0, step 2
  layers::LSTM lstm({.units = U, .return_sequences = true});
  std::vector<double> y = values_of(lstm(tensor_of(v, {B, T, F})));
  EXPECT_TRUE(std::isnan(y[2 * U])) << "batch 0, step 2";
  EXPECT_TRUE(std::isnan(y[(T - 1) * U])) << "batch 0, last step";
  EXPECT_FALSE(std::isnan(y[T * U + 2 * U])) << "batch 1 is untouched";
}

TEST_P(SequenceKernelTest, SequenceOpsCheckTheirArguments) {
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
  Tensor k3 = ops::zeros({F, 3 * U}), r3 = ops::zeros({U, 3 * U}), b3 = ops::zeros({3 * U});
  EXPECT_THROW_ALL(ops::detail::gru_sequence(x, h, k3, r, b3, b3), ValueError, "ops::gru",
                   "`recurrent_kernel`");
  EXPECT_THROW_ALL(ops::detail::gru_sequence(x, h, k3, r3, b3, ops::zeros({2, 3 * U})), ValueError,
                   "ops::gru", "`recurrent_bias`");
}

// Differentiating a kernel's gradient (a tape inside a tape) names the way out.
void expect_second_order_refused(Layer layer) {
  Tensor x = test_values({B, T, F}, -1, 1, 3);
  GradientTape outer;
  outer.watch(x);
  GradientTape inner;
  inner.watch(x);
  Tensor loss = ops::sum(layer(x));
  EXPECT_THROW_ALL(inner.gradient(loss, x), NotImplementedError, "set_fused(false)");
}

TEST_P(SequenceKernelTest, SecondOrderGradientsSayHowToGetThem) {
  const backend::Backend& be = backend::default_backend();
  if (be.has_native(backend::FusedKernel::Lstm))
    expect_second_order_refused(layers::LSTM({.units = U}));
  if (be.has_native(backend::FusedKernel::Gru))
    expect_second_order_refused(layers::GRU({.units = U}));
}

TEST_P(SequenceKernelTest, GruMatchesTheStepLoop) {
  compare_gru({.return_sequences = true, .return_state = true}, "sequences and states");
  compare_gru({.return_state = true}, "last output and state");
  compare_gru({.return_sequences = true, .go_backwards = true}, "go_backwards");
  compare_gru({.use_bias = false, .return_sequences = true}, "no bias");
  // Saturated: through weights this large float32 rounding grows along the recurrence (the kernel
  // and the loop differ by up to 3.5e-4 of the largest gradient here, on both backends), so this
  // case only catches approximations that go wrong at the extremes.
  compare_gru({.return_sequences = true}, "saturated", 6.0, false, 2e-3);
  compare_gru({.dropout = 0.4, .seed = 7, .return_sequences = true}, "dropout", 0.5, true);
}

TEST_P(SequenceKernelTest, GruOptionsTheKernelCannotRunUseTheLoop) {
  compare_gru({.recurrent_dropout = 0.3, .seed = 3, .return_sequences = true}, "recurrent dropout",
              0.5, true);
  compare_gru({.activation = "relu", .return_sequences = true}, "relu activation");
  compare_gru({.return_sequences = true, .reset_after = false}, "reset_after=false");
}

KERAS_INSTANTIATE_BACKEND_TEST(SequenceKernelTest);

}  // namespace
}  // namespace keras::testing
