// Convolution ops against double-precision reference loops: conv (1D/2D/3D, strides, dilation,
// groups, same/valid, channels_first), depthwise_conv, separable_conv, conv_transpose (Keras's
// output size rules), symbolic shapes, errors, and gradients of first and second order.
#include <algorithm>

#include "ops/nn_testing.hpp"

namespace keras {
namespace {

using namespace nn_testing;

class NnConvTest : public testing::BackendTest {};

struct Arr {
  std::vector<double> v;
  Shape s;
};
Arr host(const Tensor& t) { return {t.to_vector<double>(), t.shape()}; }

int64_t effective(int64_t k, int64_t d) { return (k - 1) * d + 1; }

// Output size and padding-before of one spatial dim of a forward conv (TensorFlow "same").
std::pair<int64_t, int64_t> conv_geometry(int64_t in, int64_t k_eff, int64_t s, bool same) {
  if (!same) return {(in - k_eff) / s + 1, 0};
  int64_t out = (in + s - 1) / s;
  return {out, std::max<int64_t>((out - 1) * s + k_eff - in, 0) / 2};
}

// Channels_last reference conv: x (B, *S, C), k (*K, C / groups, O).
Arr ref_conv(const Arr& x, const Arr& k, std::vector<int64_t> st, std::vector<int64_t> dil,
             bool same) {
  int nd = x.s.rank() - 2;
  int64_t B = x.s[0], C = x.s.back(), Cg = k.s[nd], O = k.s.back(), G = C / Cg, Og = O / G;
  Shape ys{B}, ksp(k.s.begin(), k.s.begin() + nd);
  std::vector<int64_t> pb;
  for (int d = 0; d < nd; ++d) {
    auto [out, before] = conv_geometry(x.s[1 + d], effective(k.s[d], dil[d]), st[d], same);
    ys.push_back(out);
    pb.push_back(before);
  }
  ys.push_back(O);
  Arr y{std::vector<double>(ys.num_elements(), 0.0), ys};
  for (int64_t f = 0; f < ys.num_elements(); ++f) {
    auto idx = unravel(f, ys);
    int64_t oc = idx.back(), g = oc / Og;
    double acc = 0;
    for (int64_t kf = 0; kf < ksp.num_elements(); ++kf) {
      auto kk = unravel(kf, ksp);
      std::vector<int64_t> xi{idx[0]};
      bool inside = true;
      for (int d = 0; d < nd; ++d) {
        int64_t p = idx[1 + d] * st[d] + kk[d] * dil[d] - pb[d];
        inside = inside && p >= 0 && p < x.s[1 + d];
        xi.push_back(p);
      }
      if (!inside) continue;
      xi.push_back(0);
      std::vector<int64_t> ki = kk;
      ki.push_back(0);
      ki.push_back(oc);
      for (int64_t c = 0; c < Cg; ++c) {
        xi.back() = g * Cg + c;
        ki[nd] = c;
        acc += x.v[ravel(xi, x.s)] * k.v[ravel(ki, k.s)];
      }
    }
    y.v[f] = acc;
  }
  return y;
}

// Reference transposed conv: x (B, *S, Cin), k (*K, F, Cin); out spatial sizes and the forward
// conv's padding-before derived with TensorFlow's rule from Keras's output size.
Arr ref_conv_transpose(const Arr& x, const Arr& k, std::vector<int64_t> st,
                       std::vector<int64_t> dil, bool same, std::vector<int64_t> out_pad = {}) {
  int nd = x.s.rank() - 2;
  int64_t B = x.s[0], Cin = x.s.back(), F = k.s[nd];
  Shape ys{B}, ksp(k.s.begin(), k.s.begin() + nd);
  std::vector<int64_t> pb;
  for (int d = 0; d < nd; ++d) {
    int64_t in = x.s[1 + d], ke = effective(k.s[d], dil[d]), s = st[d], out;
    if (!same)
      out = (in - 1) * s + ke + (out_pad.empty() ? std::max(ke, s) - ke : out_pad[d]);
    else
      out = out_pad.empty() ? in * s : (in - 1) * s + ke % 2 + out_pad[d];
    ys.push_back(out);
    pb.push_back(same ? std::max<int64_t>((in - 1) * s + ke - out, 0) / 2 : 0);
  }
  ys.push_back(F);
  Arr y{std::vector<double>(ys.num_elements(), 0.0), ys};
  for (int64_t f = 0; f < x.s.num_elements(); ++f) {
    auto xi = unravel(f, x.s);
    for (int64_t kf = 0; kf < ksp.num_elements(); ++kf) {
      auto kk = unravel(kf, ksp);
      std::vector<int64_t> yi{xi[0]};
      bool inside = true;
      for (int d = 0; d < nd; ++d) {
        int64_t o = xi[1 + d] * st[d] + kk[d] * dil[d] - pb[d];
        inside = inside && o >= 0 && o < ys[1 + d];
        yi.push_back(o);
      }
      if (!inside) continue;
      yi.push_back(0);
      std::vector<int64_t> ki = kk;
      ki.push_back(0);
      ki.push_back(xi.back());
      for (int64_t c = 0; c < F; ++c) {
        yi.back() = c;
        ki[nd] = c;
        y.v[ravel(yi, ys)] += x.v[f] * k.v[ravel(ki, k.s)];
      }
    }
  }
  (void)Cin;
  return y;
}

void expect_matches(const Tensor& actual, const Arr& expected, double tol,
                    const std::string& what) {
  ASSERT_EQ(actual.shape(), expected.s) << what;
  expect_close(actual, expected.v, tol, what);
}

struct ConvCase {
  std::string name;
  Shape x, k;
  std::vector<int64_t> strides, dilation;
  bool same;
};

std::vector<ConvCase> conv_cases() {
  return {
      {"1d valid", {2, 7, 3}, {3, 3, 4}, {1}, {1}, false},
      {"1d strided same", {2, 8, 3}, {3, 3, 2}, {2}, {1}, true},
      {"1d dilated", {1, 9, 2}, {3, 2, 3}, {1}, {2}, false},
      {"2d same strides", {2, 6, 5, 3}, {3, 3, 3, 4}, {2, 2}, {1, 1}, true},
      {"2d groups", {1, 5, 6, 4}, {3, 2, 2, 6}, {1, 2}, {1, 1}, true},
      {"2d dilation asym", {1, 7, 6, 2}, {2, 3, 2, 3}, {1, 1}, {2, 1}, true},
      {"2d even kernel same", {1, 5, 4, 1}, {4, 2, 1, 2}, {1, 3}, {1, 1}, true},
      {"3d valid", {1, 4, 5, 3, 2}, {2, 3, 2, 2, 3}, {1, 2, 1}, {1, 1, 1}, false},
      {"3d same", {2, 3, 4, 3, 2}, {3, 2, 2, 2, 2}, {2, 1, 1}, {1, 1, 2}, true},
  };
}

TEST_P(NnConvTest, ConvMatchesReference) {
  for (const auto& c : conv_cases()) {
    Tensor x = testing::test_values(c.x, -1, 1, 3);
    Tensor k = testing::test_values(c.k, -1, 1, 4);
    ops::ConvOptions o{.strides = c.strides,
                       .padding = c.same ? "same" : "valid",
                       .data_format = "channels_last",
                       .dilation_rate = c.dilation};
    Arr ref = ref_conv(host(x), host(k), c.strides, c.dilation, c.same);
    expect_matches(ops::conv(x, k, o), ref, 1e-12, c.name + " float64");
    Tensor y32 = ops::conv(ops::cast(x, DType::Float32), ops::cast(k, DType::Float32), o);
    EXPECT_EQ(y32.dtype(), DType::Float32);
    expect_matches(y32, ref, 1e-5, c.name + " float32");
    // channels_first gives the transposed result.
    std::vector<int64_t> to_first{0, c.x.rank() - 1}, to_last{0};
    for (int i = 1; i < c.x.rank() - 1; ++i) to_first.push_back(i);
    for (int i = 2; i < c.x.rank(); ++i) to_last.push_back(i);
    to_last.push_back(1);
    o.data_format = "channels_first";
    Tensor yf = ops::conv(ops::transpose(x, to_first), k, o);
    expect_matches(ops::transpose(yf, to_last), ref, 1e-12, c.name + " channels_first");
  }
}

TEST_P(NnConvTest, HandComputedConv) {
  Tensor x = f32({1, 2, 3, 4, 5}, {1, 5, 1});
  Tensor k = f32({1, 0, -1}, {3, 1, 1});
  expect_close(ops::conv(x, k), {-2, -2, -2});
  expect_close(ops::conv(x, k, {.padding = "SAME"}), {-2, -2, -2, -2, 4});
  expect_close(ops::conv(x, k, {.strides = 2, .padding = "same"}), {-2, -2, 4});
  // Integer inputs compute in floatx.
  Tensor y = ops::conv(i32({1, 2, 3, 4, 5}, {1, 5, 1}), i32({1, 0, -1}, {3, 1, 1}));
  EXPECT_EQ(y.dtype(), DType::Float32);
  expect_close(y, {-2, -2, -2});
}

TEST_P(NnConvTest, DepthwiseAndSeparable) {
  Tensor x = testing::test_values({2, 5, 6, 3}, -1, 1, 5);
  Tensor dk = testing::test_values({3, 2, 3, 2}, -1, 1, 6);
  Tensor pk = testing::test_values({1, 1, 6, 4}, -1, 1, 7);
  ops::ConvOptions o{.strides = {2, 1}, .padding = "same", .dilation_rate = 1};
  // Depthwise = grouped conv with the kernel viewed as (*k, 1, in * multiplier).
  Arr dk_grouped{host(dk).v, {3, 2, 1, 6}};
  Arr ref = ref_conv(host(x), dk_grouped, {2, 1}, {1, 1}, true);
  Tensor y = ops::depthwise_conv(x, dk, o);
  expect_matches(y, ref, 1e-12, "depthwise");
  Arr sep = ref_conv(ref, host(pk), {1, 1}, {1, 1}, false);
  expect_matches(ops::separable_conv(x, dk, pk, o), sep, 1e-12, "separable");
  ops::ConvOptions dil{.padding = "valid", .dilation_rate = {2, 2}};
  expect_matches(ops::depthwise_conv(x, dk, dil),
                 ref_conv(host(x), dk_grouped, {1, 1}, {2, 2}, false), 1e-12, "depthwise dilated");
}

TEST_P(NnConvTest, ConvTransposeHandComputed) {
  Tensor x = f32({1, 2}, {1, 2, 1});
  Tensor k = f32({1, 1, 1}, {3, 1, 1});
  expect_close(ops::conv_transpose(x, k, {.strides = 2}), {1, 1, 3, 2, 2});
  expect_close(ops::conv_transpose(x, k, {.strides = 2, .padding = "same"}), {1, 1, 3, 2});
  EXPECT_EQ(ops::conv_transpose(x, k, {.strides = 2, .output_padding = 1}).shape(),
            (Shape{1, 6, 1}));
  // A 1-tap kernel with stride 2, "same": the last output position gets nothing.
  expect_close(ops::conv_transpose(x, f32({2}, {1, 1, 1}), {.strides = 2, .padding = "same"}),
               {2, 0, 4, 0});
}

TEST_P(NnConvTest, ConvTransposeMatchesReference) {
  struct Case {
    std::string name;
    Shape x, k;
    std::vector<int64_t> strides, dilation;
    bool same;
    std::vector<int64_t> out_pad;
  };
  std::vector<Case> cases = {
      {"1d valid s2", {2, 4, 3}, {3, 2, 3}, {2}, {1}, false, {}},
      {"1d same s2", {1, 5, 2}, {3, 3, 2}, {2}, {1}, true, {}},
      {"1d valid s3 k2", {1, 3, 1}, {2, 1, 1}, {3}, {1}, false, {}},
      {"1d same k4 s2", {1, 4, 2}, {4, 2, 2}, {2}, {1}, true, {}},
      {"1d same outpad", {1, 4, 1}, {3, 2, 1}, {2}, {1}, true, {1}},
      {"1d valid outpad", {1, 3, 2}, {3, 1, 2}, {2}, {1}, false, {1}},
      {"1d dilated", {1, 4, 1}, {2, 2, 1}, {1}, {2}, true, {}},
      {"2d same", {2, 3, 4, 2}, {3, 4, 3, 2}, {2, 3}, {1, 1}, true, {}},
      {"2d valid dil", {1, 3, 3, 2}, {2, 3, 2, 2}, {1, 2}, {2, 1}, false, {}},
      {"3d same", {1, 2, 3, 2, 2}, {2, 3, 2, 2, 2}, {2, 1, 2}, {1, 1, 1}, true, {}},
  };
  for (const auto& c : cases) {
    Tensor x = testing::test_values(c.x, -1, 1, 8);
    Tensor k = testing::test_values(c.k, -1, 1, 9);
    ops::ConvTransposeOptions o{.strides = c.strides,
                                .padding = c.same ? "same" : "valid",
                                .data_format = "channels_last",
                                .dilation_rate = c.dilation};
    if (!c.out_pad.empty()) o.output_padding = c.out_pad;
    Arr ref = ref_conv_transpose(host(x), host(k), c.strides, c.dilation, c.same, c.out_pad);
    expect_matches(ops::conv_transpose(x, k, o), ref, 1e-12, c.name);
    expect_matches(
        ops::conv_transpose(ops::cast(x, DType::Float32), ops::cast(k, DType::Float32), o), ref,
        1e-5, c.name + " float32");
    Tensor sym = ops::conv_transpose(Tensor::symbolic(c.x, DType::Float32), k, o);
    EXPECT_EQ(sym.shape(), ref.s) << c.name;
  }
  // channels_first
  Tensor x = testing::test_values({1, 2, 3, 3}, -1, 1, 10);  // (B, C, H, W)
  Tensor k = testing::test_values({3, 3, 4, 2});
  Tensor y =
      ops::conv_transpose(x, k, {.strides = 2, .padding = "same", .data_format = "channels_first"});
  Arr ref =
      ref_conv_transpose(host(ops::transpose(x, {0, 2, 3, 1})), host(k), {2, 2}, {1, 1}, true);
  expect_matches(ops::transpose(y, {0, 2, 3, 1}), ref, 1e-12, "channels_first");
}

TEST_P(NnConvTest, SymbolicShapes) {
  Tensor x = Tensor::symbolic({Shape::kNone, 28, Shape::kNone, 3}, DType::Float32);
  Tensor k = Tensor::symbolic({3, 3, 3, 8}, DType::Float32);
  EXPECT_EQ(ops::conv(x, k).shape(), (Shape{Shape::kNone, 26, Shape::kNone, 8}));
  EXPECT_EQ(ops::conv(x, k, {.strides = 2, .padding = "same"}).shape(),
            (Shape{Shape::kNone, 14, Shape::kNone, 8}));
  Tensor xf = Tensor::symbolic({4, 3, 10, 9}, DType::Float32);
  EXPECT_EQ(ops::conv(xf, k, {.strides = {2, 3}, .data_format = "channels_first"}).shape(),
            (Shape{4, 8, 4, 3}));
  EXPECT_EQ(ops::depthwise_conv(x, Tensor::symbolic({3, 3, 3, 2}, DType::Float32)).shape(),
            (Shape{Shape::kNone, 26, Shape::kNone, 6}));
  Tensor xt = Tensor::symbolic({2, 5, 7, 4}, DType::Float32);
  Tensor kt = Tensor::symbolic({3, 3, 6, 4}, DType::Float32);
  EXPECT_EQ(ops::conv_transpose(xt, kt, {.strides = 2, .padding = "same"}).shape(),
            (Shape{2, 10, 14, 6}));
  EXPECT_EQ(ops::conv_transpose(xt, kt, {.strides = 2}).shape(), (Shape{2, 11, 15, 6}));
  EXPECT_EQ(ops::conv(Tensor::symbolic({1, 5, 2}, DType::Float64),
                      Tensor::symbolic({3, 2, 4}, DType::Float32))
                .dtype(),
            DType::Float64);
}

TEST_P(NnConvTest, Errors) {
  Tensor x = f32(std::vector<float>(2 * 5 * 5 * 3, 1.0f), {2, 5, 5, 3});
  Tensor k = f32(std::vector<float>(3 * 3 * 3 * 4, 1.0f), {3, 3, 3, 4});
  expect_error<ValueError>(
      [&] {
        ops::conv(f32({1, 2}), k);
      },
      {"ops::conv", "`inputs` must have rank 3, 4 or 5", "(2,)"});
  expect_error<ValueError>(
      [&] {
        ops::conv(x, f32({1, 2, 3}, {3, 1, 1}));
      },
      {"ops::conv", "`kernel` must have rank 4", "(3, 1, 1)"});
  expect_error<ValueError>(
      [&] {
        ops::conv(x, f32(std::vector<float>(18, 1), {3, 3, 2, 1}));
      },
      {"ops::conv", "evenly divisible", "input channels 3", "(3, 3, 2, 1)"});
  expect_error<ValueError>([&] { ops::conv(x, k, {.padding = "full"}); },
                           {"ops::conv", "`padding`", "\"full\""});
  expect_error<ValueError>([&] { ops::conv(x, k, {.data_format = "NHWC"}); },
                           {"ops::conv", "`data_format`", "NHWC"});
  expect_error<ValueError>(
      [&] {
        ops::conv(x, k, {.strides = {1, 2, 3}});
      },
      {"ops::conv", "strides", "(1, 2, 3)"});
  expect_error<ValueError>([&] { ops::conv(x, k, {.strides = 0}); },
                           {"ops::conv", "strides", "positive"});
  expect_error<ValueError>([&] { ops::conv(x, k, {.dilation_rate = 3}); },
                           {"ops::conv", "zero or negative", "(2, 5, 5, 3)"});
  expect_error<ValueError>(
      [&] {
        ops::depthwise_conv(x, f32(std::vector<float>(18, 1), {3, 3, 2, 1}));
      },
      {"ops::depthwise_conv", "input channels 3", "(3, 3, 2, 1)"});
  expect_error<ValueError>([&] { ops::conv_transpose(x, k); },
                           {"ops::conv_transpose", "input channels 3", "(3, 3, 3, 4)"});
  expect_error<ValueError>(
      [&] {
        ops::conv_transpose(x, f32(std::vector<float>(27, 1), {3, 3, 1, 3}),
                            {.strides = 2, .output_padding = -1});
      },
      {"ops::conv_transpose", "output_padding"});
  expect_error<ValueError>([&] { ops::conv(Tensor(), k); }, {"ops::conv", "`inputs`", "undefined"});
}

TEST_P(NnConvTest, ConvGradients) {
  struct Case {
    std::string name;
    Shape x, k;
    ops::ConvOptions o;
  };
  std::vector<Case> cases = {
      {"1d same s2", {1, 6, 2}, {3, 2, 2}, {.strides = 2, .padding = "same"}},
      {"2d valid", {1, 4, 4, 2}, {2, 2, 2, 2}, {}},
      {"2d same s2 dil",
       {1, 5, 4, 1},
       {2, 2, 1, 2},
       {.strides = {2, 1}, .padding = "same", .dilation_rate = {1, 2}}},
      {"2d groups", {1, 3, 3, 4}, {2, 2, 2, 4}, {.padding = "same"}},
      {"2d channels_first",
       {1, 2, 4, 3},
       {3, 2, 2, 2},
       {.strides = 2, .padding = "same", .data_format = "channels_first"}},
      {"3d", {1, 3, 3, 2, 1}, {2, 2, 2, 1, 2}, {.padding = "same"}},
  };
  for (const auto& c : cases) {
    testing::expect_gradients_match(
        [&](const std::vector<Tensor>& in) { return ops::conv(in[0], in[1], c.o); },
        {testing::test_values(c.x, -1, 1, 11), testing::test_values(c.k, -1, 1, 12)}, c.name);
  }
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& in) {
        return ops::depthwise_conv(in[0], in[1], {.strides = 2, .padding = "same"});
      },
      {testing::test_values({1, 4, 4, 2}), testing::test_values({2, 2, 2, 2}, -1, 1, 2)},
      "depthwise");
  testing::expect_gradients_match(
      [](const std::vector<Tensor>& in) { return ops::separable_conv(in[0], in[1], in[2]); },
      {testing::test_values({1, 4, 3, 2}), testing::test_values({2, 2, 2, 1}, -1, 1, 2),
       testing::test_values({1, 1, 2, 3}, -1, 1, 3)},
      "separable");
}

TEST_P(NnConvTest, ConvTransposeGradients) {
  std::vector<std::pair<std::string, ops::ConvTransposeOptions>> cases = {
      {"valid s2", {.strides = 2}},
      {"same s2", {.strides = 2, .padding = "same"}},
      {"same outpad", {.strides = 2, .padding = "same", .output_padding = 1}},
      {"k1 crop", {.strides = {2, 1}, .padding = "same", .dilation_rate = 1}},
  };
  for (const auto& [name, o] : cases) {
    Shape ks = name == "k1 crop" ? Shape{1, 2, 2, 2} : Shape{3, 2, 2, 2};
    testing::expect_gradients_match(
        [&](const std::vector<Tensor>& in) { return ops::conv_transpose(in[0], in[1], o); },
        {testing::test_values({1, 3, 2, 2}), testing::test_values(ks, -1, 1, 5)}, name);
  }
}

TEST_P(NnConvTest, SecondOrderGradients) {
  testing::expect_second_gradients_match(
      [](const std::vector<Tensor>& in) {
        return ops::conv(in[0], in[1], {.strides = 2, .padding = "same"});
      },
      {testing::test_values({1, 4, 3, 2}), testing::test_values({2, 2, 2, 2}, -1, 1, 2)}, "conv");
  testing::expect_second_gradients_match(
      [](const std::vector<Tensor>& in) {
        return ops::conv_transpose(in[0], in[1], {.strides = 2, .padding = "same"});
      },
      {testing::test_values({1, 2, 2, 2}), testing::test_values({3, 2, 2, 2}, -1, 1, 2)},
      "conv_transpose");
  // A nonlinear function of the conv, so the second derivative has a non-bilinear part too.
  testing::expect_second_gradients_match(
      [](const std::vector<Tensor>& in) { return ops::tanh(ops::conv(in[0], in[1])); },
      {testing::test_values({1, 3, 3, 1}), testing::test_values({2, 2, 1, 2}, -1, 1, 2)},
      "tanh(conv)");
}

KERAS_INSTANTIATE_BACKEND_TEST(NnConvTest);

}  // namespace
}  // namespace keras
