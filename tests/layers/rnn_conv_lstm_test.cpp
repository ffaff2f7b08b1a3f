// ConvLSTM1D / ConvLSTM2D / ConvLSTM3D: the layer harness, numbers against an independent float64
// reference loop (plain C++ convolutions and gates), gradients against finite differences, masks,
// stateful use and config round trips.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "keras/autodiff/gradient_tape.hpp"
#include "keras/layers/layers.hpp"
#include "keras/layers/rnn/conv_lstm.hpp"
#include "keras/models/model.hpp"
#include "keras/ops/ops.hpp"
#include "keras/saving/saving.hpp"
#include "testing/backends.hpp"
#include "testing/gradient_check.hpp"
#include "testing/layer_harness.hpp"
#include "testing/weight_gradient_check.hpp"

namespace keras::testing {
namespace {

class ConvLSTMTest : public BackendTest {};

// ---- reference (channels_last, 2 spatial dims; 1D is H = 1 with a (1, k) kernel) ----

struct Geom {
  int64_t kh, kw, sh = 1, sw = 1, dh = 1, dw = 1;
  bool same = false;
};

struct Img {  // (B, H, W, C), row-major
  int64_t b, h, w, c;
  std::vector<double> v;
  double& at(int64_t n, int64_t y, int64_t x, int64_t ch) {
    return v[((n * h + y) * w + x) * c + ch];
  }
  double at(int64_t n, int64_t y, int64_t x, int64_t ch) const {
    return v[((n * h + y) * w + x) * c + ch];
  }
};

int64_t out_len(int64_t n, int64_t k, int64_t s, int64_t d, bool same) {
  return same ? (n + s - 1) / s : (n - (d * (k - 1) + 1)) / s + 1;
}

// kernel (kh, kw, cin, cout) row-major.
Img ref_conv(const Img& x, const std::vector<double>& k, int64_t cout, const Geom& g) {
  const int64_t oh = out_len(x.h, g.kh, g.sh, g.dh, g.same);
  const int64_t ow = out_len(x.w, g.kw, g.sw, g.dw, g.same);
  int64_t ph = 0, pw = 0;
  if (g.same) {
    ph = std::max<int64_t>((oh - 1) * g.sh + g.dh * (g.kh - 1) + 1 - x.h, 0) / 2;
    pw = std::max<int64_t>((ow - 1) * g.sw + g.dw * (g.kw - 1) + 1 - x.w, 0) / 2;
  }
  Img y{x.b, oh, ow, cout, std::vector<double>(x.b * oh * ow * cout, 0.0)};
  for (int64_t n = 0; n < x.b; ++n)
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j)
        for (int64_t o = 0; o < cout; ++o) {
          double s = 0;
          for (int64_t a = 0; a < g.kh; ++a)
            for (int64_t bb = 0; bb < g.kw; ++bb) {
              int64_t yy = i * g.sh + a * g.dh - ph, xx = j * g.sw + bb * g.dw - pw;
              if (yy < 0 || yy >= x.h || xx < 0 || xx >= x.w) continue;
              for (int64_t ci = 0; ci < x.c; ++ci)
                s += x.at(n, yy, xx, ci) * k[((a * g.kw + bb) * x.c + ci) * cout + o];
            }
          y.at(n, i, j, o) = s;
        }
  return y;
}

double sigm(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// Runs the ConvLSTM over x (B, T, H, W, C); returns the outputs per step (B, oh, ow, F) and the
// final [h, c]. mask: B*T flags (empty = none); a masked step keeps the states and repeats h.
struct RefResult {
  std::vector<Img> outputs;
  Img h, c;
};
RefResult ref_conv_lstm(const std::vector<double>& x, int64_t B, int64_t T, int64_t H, int64_t W,
                        int64_t C, int64_t F, const Geom& g, const std::vector<double>& kernel,
                        const std::vector<double>& rkernel, const std::vector<double>& bias,
                        const std::vector<int>& mask = {}, bool backwards = false) {
  const int64_t oh = out_len(H, g.kh, g.sh, g.dh, g.same);
  const int64_t ow = out_len(W, g.kw, g.sw, g.dw, g.same);
  Img h{B, oh, ow, F, std::vector<double>(B * oh * ow * F, 0.0)}, c = h;
  Geom rg{g.kh, g.kw, 1, 1, 1, 1, true};
  RefResult r;
  for (int64_t step = 0; step < T; ++step) {
    int64_t t = backwards ? T - 1 - step : step;
    Img xt{B, H, W, C, std::vector<double>(B * H * W * C)};
    for (int64_t n = 0; n < B; ++n)
      for (int64_t e = 0; e < H * W * C; ++e)
        xt.v[n * H * W * C + e] = x[(n * T + t) * H * W * C + e];
    Img zx = ref_conv(xt, kernel, 4 * F, g);
    Img zh = ref_conv(h, rkernel, 4 * F, rg);
    Img nh = h, nc = c;
    for (int64_t n = 0; n < B; ++n) {
      bool keep = mask.empty() || mask[n * T + t];
      if (!keep) continue;
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j)
          for (int64_t f = 0; f < F; ++f) {
            auto z = [&](int gate) {
              return zx.at(n, i, j, gate * F + f) + zh.at(n, i, j, gate * F + f) +
                     (bias.empty() ? 0.0 : bias[gate * F + f]);
            };
            double ig = sigm(z(0)), fg = sigm(z(1)), cg = std::tanh(z(2)), og = sigm(z(3));
            double cc = fg * c.at(n, i, j, f) + ig * cg;
            nc.at(n, i, j, f) = cc;
            nh.at(n, i, j, f) = og * std::tanh(cc);
          }
    }
    h = nh;
    c = nc;
    r.outputs.push_back(h);
  }
  r.h = h;
  r.c = c;
  return r;
}

// (B, T, oh, ow, F) from per-step images.
std::vector<double> stack_steps(const std::vector<Img>& steps) {
  const Img& s0 = steps[0];
  const int64_t per = s0.h * s0.w * s0.c, T = static_cast<int64_t>(steps.size());
  std::vector<double> out(s0.b * T * per);
  for (int64_t n = 0; n < s0.b; ++n)
    for (int64_t t = 0; t < T; ++t)
      for (int64_t e = 0; e < per; ++e) out[(n * T + t) * per + e] = steps[t].v[n * per + e];
  return out;
}

// Gives a built layer's weights fixed pseudo-random values; returns them.
std::vector<std::vector<double>> randomize(const Layer& layer, uint64_t seed) {
  std::vector<std::vector<double>> out;
  std::vector<Tensor> ws;
  for (const Tensor& w : layer->get_weights()) {
    Tensor v = test_values(w.shape(), -0.6, 0.6, seed++);
    out.push_back(values_of(v));
    ws.push_back(ops::cast(v, w.dtype()));
  }
  layer->set_weights(ws);
  return out;
}

// ---- harness ----

TEST_P(ConvLSTMTest, HarnessConvLSTM2D) {
  run_layer_test(
      {.make = [] { return Layer(layers::ConvLSTM2D({.filters = 3, .kernel_size = 3})); },
       .input_shape = {2, 3, 5, 5, 2},
       .expected_output_shape = {2, 3, 3, 3},
       .expected_weights = {{"kernel", {3, 3, 2, 12}},
                            {"recurrent_kernel", {3, 3, 3, 12}},
                            {"bias", {12}}},
       .expected_trainable_weights = 3,
       .expected_non_trainable_weights = 0,
       .tolerance = 1e-4});
}

TEST_P(ConvLSTMTest, HarnessConvLSTM2DSequences) {
  run_layer_test({.make =
                      [] {
                        return Layer(layers::ConvLSTM2D({.filters = 2,
                                                         .kernel_size = Ints{2, 3},
                                                         .padding = "same",
                                                         .return_sequences = true}));
                      },
                  .input_shape = {2, 4, 4, 5, 3},
                  .expected_output_shape = {2, 4, 4, 5, 2},
                  .expected_weights = {{"kernel", {2, 3, 3, 8}},
                                       {"recurrent_kernel", {2, 3, 2, 8}},
                                       {"bias", {8}}},
                  .tolerance = 1e-4});
}

TEST_P(ConvLSTMTest, HarnessConvLSTM1D) {
  run_layer_test(
      {.make =
           [] { return Layer(layers::ConvLSTM1D({.filters = 4, .kernel_size = 3, .strides = 2})); },
       .input_shape = {2, 3, 9, 2},
       .expected_output_shape = {2, 4, 4},
       .expected_weights = {{"kernel", {3, 2, 16}},
                            {"recurrent_kernel", {3, 4, 16}},
                            {"bias", {16}}},
       .tolerance = 1e-4});
}

TEST_P(ConvLSTMTest, HarnessConvLSTM1DSequences) {
  run_layer_test({.make =
                      [] {
                        return Layer(layers::ConvLSTM1D({.filters = 2,
                                                         .kernel_size = 2,
                                                         .dilation_rate = 2,
                                                         .use_bias = false,
                                                         .return_sequences = true}));
                      },
                  .input_shape = {3, 2, 6, 3},
                  .expected_output_shape = {3, 2, 4, 2},
                  .expected_weights = {{"kernel", {2, 3, 8}}, {"recurrent_kernel", {2, 2, 8}}},
                  .tolerance = 1e-4});
}

TEST_P(ConvLSTMTest, HarnessConvLSTM3D) {
  run_layer_test(
      {.make = [] { return Layer(layers::ConvLSTM3D({.filters = 2, .kernel_size = 2})); },
       .input_shape = {1, 2, 3, 3, 3, 1},
       .expected_output_shape = {1, 2, 2, 2, 2},
       .expected_weights = {{"kernel", {2, 2, 2, 1, 8}},
                            {"recurrent_kernel", {2, 2, 2, 2, 8}},
                            {"bias", {8}}},
       .tolerance = 1e-4});
}

// ---- numbers against the reference ----

TEST_P(ConvLSTMTest, ConvLSTM2DMatchesReference) {
  const int64_t B = 2, T = 3, H = 4, W = 5, C = 2, F = 2;
  for (bool same : {false, true}) {
    for (bool back : {false, true}) {
      for (bool fused : {true, false}) {
        Geom g{2, 3, same ? 2 : 1, same ? 2 : 1, 1, 1, same};
        layers::ConvLSTM2D layer({.filters = F,
                                  .kernel_size = Ints{2, 3},
                                  .strides = same ? 2 : 1,
                                  .padding = same ? "same" : "valid",
                                  .return_sequences = true,
                                  .return_state = true,
                                  .go_backwards = back,
                                  .dtype = DType::Float64});
        Tensor x = test_values({B, T, H, W, C}, -1, 1, 7);
        layer->maybe_build({x.shape()});
        layer->set_fused(fused);
        auto w = randomize(Layer(layer), 11);
        std::vector<Tensor> outs = layer.invoke({x});
        ASSERT_EQ(outs.size(), 3u);
        RefResult r = ref_conv_lstm(values_of(x), B, T, H, W, C, F, g, w[0], w[1], w[2], {}, back);
        std::string what = std::string(same ? "same/strides 2" : "valid") +
                           (back ? " backwards" : "") + (fused ? " fused" : " generic");
        EXPECT_EQ(outs[0].shape(), Shape({B, T, r.h.h, r.h.w, F})) << what;
        expect_near_all(values_of(outs[0]), stack_steps(r.outputs), 1e-10, what + " sequences");
        expect_near_all(values_of(outs[1]), r.h.v, 1e-10, what + " h");
        expect_near_all(values_of(outs[2]), r.c.v, 1e-10, what + " c");
      }
    }
  }
}

TEST_P(ConvLSTMTest, ConvLSTM1DMatchesReference) {
  const int64_t B = 2, T = 4, W = 7, C = 3, F = 3;
  Geom g{1, 3, 1, 1, 1, 2, false};
  layers::ConvLSTM1D layer(
      {.filters = F, .kernel_size = 3, .dilation_rate = 2, .dtype = DType::Float64});
  Tensor x = test_values({B, T, W, C}, -1, 1, 5);
  layer->maybe_build({x.shape()});
  auto w = randomize(Layer(layer), 3);
  Tensor y = layer(x);
  RefResult r = ref_conv_lstm(values_of(x), B, T, 1, W, C, F, g, w[0], w[1], w[2]);
  EXPECT_EQ(y.shape(), Shape({B, 3, F}));
  expect_near_all(values_of(y), r.h.v, 1e-10, "ConvLSTM1D dilation 2");
}

TEST_P(ConvLSTMTest, ChannelsFirstMatchesChannelsLast) {
  const int64_t B = 2, T = 2, H = 4, W = 4, C = 2;
  Tensor x = test_values({B, T, H, W, C}, -1, 1, 9);
  layers::ConvLSTM2D last(
      {.filters = 2, .kernel_size = 3, .padding = "same", .dtype = DType::Float64});
  layers::ConvLSTM2D first({.filters = 2,
                            .kernel_size = 3,
                            .padding = "same",
                            .data_format = "channels_first",
                            .dtype = DType::Float64});
  last->maybe_build({x.shape()});
  Tensor xf = ops::transpose(x, {0, 1, 4, 2, 3});
  first->maybe_build({xf.shape()});
  randomize(Layer(last), 4);
  first->set_weights(last->get_weights());
  Tensor yl = last(x);
  Tensor yf = ops::transpose(first(xf), {0, 2, 3, 1});
  expect_near_all(values_of(yf), values_of(yl), 1e-10, "channels_first");
}

TEST_P(ConvLSTMTest, UnitForgetBiasAndInitialState) {
  layers::ConvLSTM1D layer({.filters = 2, .kernel_size = 2});
  layer->maybe_build({Shape{1, 2, 4, 1}});
  EXPECT_EQ(values_of(layer->conv_lstm_cell().bias().value()),
            (std::vector<double>{0, 0, 1, 1, 0, 0, 0, 0}));
  // Explicit initial states and return_state.
  const int64_t B = 2, T = 2, W = 5, C = 1, F = 2;
  layers::ConvLSTM1D l2(
      {.filters = F, .kernel_size = 2, .return_state = true, .dtype = DType::Float64});
  Tensor x = test_values({B, T, W, C}, -1, 1, 2);
  l2->maybe_build({x.shape()});
  auto w = randomize(Layer(l2), 8);
  Tensor h0 = test_values({B, 4, F}, -1, 1, 30);
  Tensor c0 = test_values({B, 4, F}, -1, 1, 31);
  std::vector<Tensor> outs = l2.invoke({x, h0, c0});
  // Reference: h0/c0 folded in by running the loop by hand with those states.
  Geom g{1, 2};
  Img h{B, 1, 4, F, values_of(h0)}, c{B, 1, 4, F, values_of(c0)};
  Geom rg{1, 2, 1, 1, 1, 1, true};
  std::vector<double> xv = values_of(x);
  for (int64_t t = 0; t < T; ++t) {
    Img xt{B, 1, W, C, std::vector<double>(B * W * C)};
    for (int64_t n = 0; n < B; ++n)
      for (int64_t e = 0; e < W * C; ++e) xt.v[n * W * C + e] = xv[(n * T + t) * W * C + e];
    Img zx = ref_conv(xt, w[0], 4 * F, g), zh = ref_conv(h, w[1], 4 * F, rg);
    for (size_t e = 0; e < h.v.size(); ++e) {
      int64_t f = static_cast<int64_t>(e) % F, pos = static_cast<int64_t>(e) / F;
      auto z = [&](int gate) {
        return zx.v[pos * 4 * F + gate * F + f] + zh.v[pos * 4 * F + gate * F + f] +
               w[2][gate * F + f];
      };
      c.v[e] = sigm(z(1)) * c.v[e] + sigm(z(0)) * std::tanh(z(2));
      h.v[e] = sigm(z(3)) * std::tanh(c.v[e]);
    }
  }
  expect_near_all(values_of(outs[0]), h.v, 1e-10, "initial state h");
  expect_near_all(values_of(outs[2]), c.v, 1e-10, "initial state c");
  EXPECT_THROW(l2.invoke({x, h0}), ValueError);
  EXPECT_THROW(l2.invoke({x, h0, test_values({B, 3, F})}), ValueError);
}

// ---- masks ----

TEST_P(ConvLSTMTest, MaskKeepsStates) {
  const int64_t B = 2, T = 3, H = 3, W = 3, C = 1, F = 2;
  std::vector<int> mask{1, 0, 1, 0, 1, 1};
  layers::ConvLSTM2D layer({.filters = F,
                            .kernel_size = 2,
                            .return_sequences = true,
                            .return_state = true,
                            .dtype = DType::Float64});
  Tensor x = test_values({B, T, H, W, C}, -1, 1, 12);
  layer->maybe_build({x.shape()});
  auto w = randomize(Layer(layer), 20);
  CallArgs args;
  args.mask = ops::cast(tensor_of({1, 0, 1, 0, 1, 1}, {B, T}), DType::Bool);
  std::vector<Tensor> outs = layer.invoke({x}, args);
  RefResult r = ref_conv_lstm(values_of(x), B, T, H, W, C, F, Geom{2, 2}, w[0], w[1], w[2], mask);
  expect_near_all(values_of(outs[0]), stack_steps(r.outputs), 1e-10, "masked sequences");
  expect_near_all(values_of(outs[1]), r.h.v, 1e-10, "masked h");
  expect_near_all(values_of(outs[2]), r.c.v, 1e-10, "masked c");
  // Sample 0 with step 1 masked equals the unmasked run over steps 0 and 2.
  Tensor x0 = ops::take(ops::slice(x, {0, 0, 0, 0, 0}, Shape{1, T, H, W, C}),
                        tensor_of({0, 2}, {2}, DType::Int32), 1);
  std::vector<Tensor> o0 = layer.invoke({x0});
  std::vector<double> all = values_of(outs[1]);
  expect_near_all(values_of(o0[1]), std::vector<double>(all.begin(), all.begin() + 2 * 2 * F),
                  1e-10, "masked == skipped step");
}

// ---- gradients ----

TEST_P(ConvLSTMTest, GradientsMatchFiniteDifferences) {
  const int64_t B = 2, T = 2, W = 4, C = 2, F = 2;
  for (int variant = 0; variant < 3; ++variant) {
    const bool masked = variant >= 1, fused = variant != 2;
    layers::ConvLSTM1D layer({.filters = F,
                              .kernel_size = 2,
                              .padding = "same",
                              .return_sequences = true,
                              .dtype = DType::Float64});
    Tensor x = test_values({B, T, W, C}, -1, 1, 4);
    layer->maybe_build({x.shape()});
    layer->set_fused(fused);
    randomize(Layer(layer), 40);
    CallArgs args;
    if (masked) args.mask = ops::cast(tensor_of({1, 1, 0, 1}, {B, T}), DType::Bool);
    const std::string what =
        std::string(masked ? "ConvLSTM1D masked" : "ConvLSTM1D") + (fused ? " fused" : " generic");
    // Inputs.
    expect_gradients_match([&](const std::vector<Tensor>& in) { return layer(in[0], args); }, {x},
                           what + " dx");
    // Weights.
    Tensor wout = test_values(layer(x, args).shape(), 0.5, 1.5, 5);
    auto loss = [&] { return ops::sum(ops::multiply(layer(x, args), wout)); };
    ASSERT_EQ(layer->trainable_weights().size(), 3u);
    expect_weight_gradients_match(layer->trainable_weights(), loss, what);
  }
}

// ---- stateful, config, errors ----

TEST_P(ConvLSTMTest, StatefulCarriesStates) {
  const int64_t B = 1, T = 2, W = 4, C = 1, F = 2;
  Tensor x = test_values({B, 2 * T, W, C}, -1, 1, 6);
  layers::ConvLSTM1D full({.filters = F, .kernel_size = 2, .dtype = DType::Float64});
  layers::ConvLSTM1D st(
      {.filters = F, .kernel_size = 2, .stateful = true, .dtype = DType::Float64});
  full->maybe_build({x.shape()});
  randomize(Layer(full), 50);
  Tensor a = ops::slice(x, {0, 0, 0, 0}, Shape{B, T, W, C});
  Tensor b = ops::slice(x, {0, T, 0, 0}, Shape{B, T, W, C});
  st->maybe_build({a.shape()});
  st->set_weights(full->get_weights());
  st(a);
  expect_near_all(values_of(st(b)), values_of(full(x)), 1e-10, "stateful");
  st->reset_states();
  expect_near_all(values_of(st(a)), values_of(full(a)), 1e-10, "after reset_states");
}

TEST_P(ConvLSTMTest, ConfigRoundTrip) {
  layers::ConvLSTM2D layer({.filters = 3,
                            .kernel_size = Ints{2, 3},
                            .strides = Ints{1, 2},
                            .padding = "same",
                            .recurrent_activation = "hard_sigmoid",
                            .unit_forget_bias = false,
                            .dropout = 0.25,
                            .seed = 7,
                            .return_sequences = true,
                            .go_backwards = true,
                            .name = "clstm"});
  Config c = layers::serialize(*layer);
  EXPECT_EQ(c["class_name"], "ConvLSTM2D");
  const Config& cfg = c["config"];
  for (const std::string& key :
       joined({kBaseLayerKeys,
               kRnnKeys,
               {"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate"},
               kLstmCellKeys}))
    EXPECT_TRUE(cfg.contains(key)) << key;
  EXPECT_FALSE(cfg.contains("cell"));
  EXPECT_EQ(cfg["kernel_size"], Config::parse("[2, 3]"));
  EXPECT_EQ(cfg["strides"], Config::parse("[1, 2]"));
  EXPECT_EQ(cfg["data_format"], "channels_last");
  auto back = layers::deserialize(c);
  EXPECT_EQ(back->class_name(), "ConvLSTM2D");
  EXPECT_EQ(layers::serialize(*back).dump(), c.dump());
  // The cell on its own.
  layers::ConvLSTMCell cell({.filters = 2, .kernel_size = Ints{3}});
  Config cc = layers::serialize(*cell);
  auto cell_back = layers::deserialize(cc);
  EXPECT_EQ(layers::serialize(*cell_back).dump(), cc.dump());
}

TEST_P(ConvLSTMTest, DropoutSameOnBothPaths) {
  Tensor x = test_values({2, 3, 5, 2}, -1, 1, 13);
  std::vector<std::vector<double>> results;
  for (bool fused : {true, false}) {
    layers::ConvLSTM1D layer({.filters = 2,
                              .kernel_size = 2,
                              .dropout = 0.5,
                              .recurrent_dropout = 0.3,
                              .seed = 5,
                              .return_sequences = true,
                              .dtype = DType::Float64});
    layer->maybe_build({x.shape()});
    layer->set_fused(fused);
    randomize(Layer(layer), 60);
    results.push_back(values_of(layer(x, {.training = true})));
    // Inference ignores dropout.
    layers::ConvLSTM1D plain(
        {.filters = 2, .kernel_size = 2, .return_sequences = true, .dtype = DType::Float64});
    plain->maybe_build({x.shape()});
    plain->set_weights(layer->get_weights());
    expect_near_all(values_of(layer(x)), values_of(plain(x)), 1e-12, "inference");
  }
  expect_near_all(results[0], results[1], 1e-12, "dropout fused vs generic");
  layers::ConvLSTM1D plain(
      {.filters = 2, .kernel_size = 2, .return_sequences = true, .dtype = DType::Float64});
  plain->maybe_build({x.shape()});
  randomize(Layer(plain), 60);
  std::vector<double> no_drop = values_of(plain(x));
  double diff = 0;
  for (size_t i = 0; i < no_drop.size(); ++i) diff += std::fabs(no_drop[i] - results[0][i]);
  EXPECT_GT(diff, 1e-3) << "dropout in training changes the outputs";
}

TEST_P(ConvLSTMTest, Bidirectional) {
  const int64_t B = 2, T = 3, H = 4, W = 4, C = 1, F = 2;
  Tensor x = test_values({B, T, H, W, C}, -1, 1, 17);
  layers::Bidirectional bi(
      layers::ConvLSTM2D(
          {.filters = F, .kernel_size = 2, .return_sequences = true, .dtype = DType::Float64}),
      {.dtype = DType::Float64});
  Tensor y = bi(x);
  ASSERT_EQ(y.shape(), Shape({B, T, 3, 3, 2 * F}));
  auto fw = randomize(Layer(bi->forward_layer()), 70);
  auto bw = randomize(Layer(bi->backward_layer()), 80);
  y = bi(x);
  RefResult rf = ref_conv_lstm(values_of(x), B, T, H, W, C, F, Geom{2, 2}, fw[0], fw[1], fw[2]);
  RefResult rb =
      ref_conv_lstm(values_of(x), B, T, H, W, C, F, Geom{2, 2}, bw[0], bw[1], bw[2], {}, true);
  // Keras reverses the backward sequences back to time order before concatenating.
  std::reverse(rb.outputs.begin(), rb.outputs.end());
  std::vector<double> f = stack_steps(rf.outputs), b = stack_steps(rb.outputs), want;
  for (size_t i = 0; i < f.size(); i += F) {
    want.insert(want.end(), f.begin() + i, f.begin() + i + F);
    want.insert(want.end(), b.begin() + i, b.begin() + i + F);
  }
  expect_near_all(values_of(y), want, 1e-10, "Bidirectional(ConvLSTM2D)");
}

TEST_P(ConvLSTMTest, FunctionalModelSavesAndLoads) {
  Tensor in = Input({3, 4, 4, 2});
  std::vector<Tensor> outs = layers::ConvLSTM2D({.filters = 3,
                                                 .kernel_size = 2,
                                                 .padding = "same",
                                                 .return_sequences = true,
                                                 .return_state = true})
                                 .invoke({in});
  ASSERT_EQ(outs.size(), 3u);
  EXPECT_EQ(outs[0].shape(), Shape({Shape::kNone, 3, 4, 4, 3}));
  EXPECT_EQ(outs[1].shape(), Shape({Shape::kNone, 4, 4, 3}));
  EXPECT_EQ(outs[2].shape(), Shape({Shape::kNone, 4, 4, 3}));
  Model model({in}, {outs[0], outs[2]});
  Tensor x = ops::cast(test_values({2, 3, 4, 4, 2}, -1, 1, 3), DType::Float32);
  std::vector<Tensor> y = model->invoke({x});
  const std::string path = ::testing::TempDir() + "conv_lstm_" + GetParam() + ".keras";
  saving::save_model(model, path);
  Model loaded = saving::load_model(path);
  std::vector<Tensor> y2 = loaded->invoke({x});
  ASSERT_EQ(y2.size(), 2u);
  expect_near_all(values_of(y2[0]), values_of(y[0]), 1e-6, "loaded sequences");
  expect_near_all(values_of(y2[1]), values_of(y[1]), 1e-6, "loaded c");
}

TEST_P(ConvLSTMTest, BadArguments) {
  EXPECT_THROW(layers::ConvLSTM2D({.filters = 0, .kernel_size = 3}), ValueError);
  EXPECT_THROW(layers::ConvLSTM2D({.filters = 2, .kernel_size = Ints{1, 2, 3}}), ValueError);
  EXPECT_THROW(layers::ConvLSTM2D({.filters = 2, .kernel_size = 3, .padding = "causal"}),
               ValueError);
  EXPECT_THROW(
      layers::ConvLSTM1D({.filters = 2, .kernel_size = 3, .strides = 2, .dilation_rate = 2}),
      ValueError);
  layers::ConvLSTM2D l({.filters = 2, .kernel_size = 3});
  EXPECT_THROW(l(ops::zeros({2, 3, 5, 2})), ValueError);  // rank 4 for a 2D layer
  layers::ConvLSTM2D l2({.filters = 2, .kernel_size = 5});
  EXPECT_THROW(l2(ops::zeros({2, 3, 3, 3, 1})), ValueError);  // valid conv too small
}

KERAS_INSTANTIATE_BACKEND_TEST(ConvLSTMTest);

}  // namespace
}  // namespace keras::testing
