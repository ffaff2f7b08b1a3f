// Bad input to layers gives a clear exception naming the layer (class and name), the argument and
// the shapes involved, across layer families: core, convolutional, pooling, merging, reshaping,
// normalization, embedding; and unknown string identifiers. Keras's own checks (input_spec.py and
// each layer's build/compute_output_shape) are the reference for what is an error.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "keras/keras.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"
#include "testing/layer_harness.hpp"

namespace keras {
namespace {

namespace L = keras::layers;

class BadInputTest : public testing::BackendTest {};

TEST_P(BadInputTest, DenseWrongRankAndFeatures) {
  // Keras: Dense needs min_ndim=2 and, once built, the same last dimension.
  L::Dense d({.units = 2, .name = "my_dense"});
  EXPECT_THROW_ALL(d(ops::ones({3})), ValueError, "Dense 'my_dense'", "(3,)");
  L::Dense d2({.units = 2, .name = "dense_b"});
  d2(ops::ones({2, 4}));
  EXPECT_THROW_ALL(d2(ops::ones({2, 5})), ValueError, "Dense 'dense_b'", "(2, 5)", "4");
  // The same through a model: the error names the layer.
  auto model = Sequential({Input({4}), L::Dense({.units = 2, .name = "inner"})});
  EXPECT_THROW(model.predict(ops::ones({3, 5}), {.verbose = 0}), ValueError);
  EXPECT_THROW_ALL(L::Dense({.units = 0, .name = "z"}), ValueError, "Dense", "units", "0");
}

TEST_P(BadInputTest, Conv2DWrongRankChannelsAndTooSmallInput) {
  L::Conv2D c({.filters = 2, .kernel_size = 3, .name = "my_conv"});
  EXPECT_THROW_ALL(c(ops::ones({2, 5, 5})), ValueError, "Conv2D 'my_conv'", "(2, 5, 5)");
  L::Conv2D c2({.filters = 2, .kernel_size = 3, .name = "conv_b"});
  c2(ops::ones({1, 5, 5, 3}));
  EXPECT_THROW_ALL(c2(ops::ones({1, 5, 5, 4})), ValueError, "Conv2D 'conv_b'", "(1, 5, 5, 4)");
  // A 'valid' kernel larger than the input: Keras raises in compute_output_shape.
  L::Conv2D c3({.filters = 2, .kernel_size = 5, .name = "conv_c"});
  EXPECT_THROW_ALL(c3(ops::ones({1, 3, 3, 1})), ValueError, "conv_c", "(1, 3, 3, 1)");
  EXPECT_THROW_ALL(L::Conv2D({.filters = 2, .kernel_size = 3, .padding = "bogus"}), ValueError,
                   "padding", "bogus");
  EXPECT_THROW_ALL(L::Conv2D({.filters = 2, .kernel_size = 3, .data_format = "channels_middle"}),
                   ValueError, "data_format", "channels_middle");
  EXPECT_THROW_ALL(L::Conv1D({.filters = 2, .kernel_size = 3, .name = "c1"})(ops::ones({2, 5})),
                   ValueError, "Conv1D 'c1'", "(2, 5)");
}

TEST_P(BadInputTest, PoolingWrongRankAndTooSmallInput) {
  EXPECT_THROW_ALL(L::MaxPooling2D({.name = "pool"})(ops::ones({2, 4, 4})), ValueError,
                   "MaxPooling2D 'pool'", "(2, 4, 4)");
  EXPECT_THROW_ALL(L::AveragePooling1D({.pool_size = 2, .name = "avg"})(ops::ones({2, 4})),
                   ValueError, "AveragePooling1D 'avg'", "(2, 4)");
  EXPECT_THROW_ALL(L::GlobalAveragePooling2D({.name = "gap"})(ops::ones({2, 3})), ValueError,
                   "GlobalAveragePooling2D 'gap'", "(2, 3)");
  EXPECT_THROW_ALL(L::GlobalMaxPooling1D({.name = "gmp"})(ops::ones({2, 3, 4, 5})), ValueError,
                   "GlobalMaxPooling1D 'gmp'", "(2, 3, 4, 5)");
  // A 'valid' pool larger than the input.
  EXPECT_THROW_ALL(L::MaxPooling2D({.pool_size = 5, .name = "big_pool"})(ops::ones({1, 3, 3, 1})),
                   ValueError, "big_pool", "(1, 3, 3, 1)");
  EXPECT_THROW_ALL(L::MaxPooling2D({.padding = "bogus"}), ValueError, "padding", "bogus");
}

TEST_P(BadInputTest, MergingMismatchedShapes) {
  EXPECT_THROW_ALL(L::Add({.name = "sum"})({ops::ones({2, 3}), ops::ones({2, 4})}), ValueError,
                   "Add 'sum'", "(2, 3)", "(2, 4)");
  EXPECT_THROW_ALL(L::Multiply({.name = "prod"})({ops::ones({2, 3}), ops::ones({5, 3})}),
                   ValueError, "Multiply 'prod'", "batch");
  // Keras merges a list of one input (identity) but not an empty list.
  EXPECT_EQ(L::Maximum()({ops::ones({2, 3})}).shape(), (Shape{2, 3}));
  EXPECT_THROW_ALL(L::Maximum({.name = "mx"})(std::vector<Tensor>{}), ValueError, "Maximum 'mx'",
                   "no inputs");
  EXPECT_THROW_ALL(
      L::Subtract({.name = "diff"})({ops::ones({2, 3}), ops::ones({2, 3}), ops::ones({2, 3})}),
      ValueError, "Subtract 'diff'", "exactly 2 inputs");
  EXPECT_THROW_ALL(
      L::Concatenate({.axis = 1, .name = "cat"})({ops::ones({2, 3, 4}), ops::ones({2, 3, 5})}),
      ValueError, "Concatenate 'cat'", "(2, 3, 4)", "(2, 3, 5)");
  EXPECT_THROW_ALL(L::Dot({.axes = 1, .name = "dot"})({ops::ones({2, 3}), ops::ones({2, 4})}),
                   ValueError, "Dot 'dot'", "3", "4");
  // Symbolic inputs are checked the same way.
  EXPECT_THROW_ALL(L::Add({.name = "sym_sum"})({Input({3}), Input({4})}), ValueError,
                   "Add 'sym_sum'", "(None, 3)", "(None, 4)");
}

TEST_P(BadInputTest, ReshapingImpossibleTargets) {
  // Keras: "total size of the new array must be unchanged".
  EXPECT_THROW_ALL(L::Reshape({.target_shape = {4}, .name = "rs"})(ops::ones({2, 3})), ValueError,
                   "Reshape 'rs'", "(2, 3)", "(4,)");
  EXPECT_THROW_ALL(L::Reshape({.target_shape = {-1, 4}, .name = "rs2"})(ops::ones({2, 6})),
                   ValueError, "Reshape 'rs2'", "(2, 6)");
  EXPECT_THROW_ALL(L::Reshape({.target_shape = {Shape::kNone, -1}}), ValueError, "target_shape");
  // Keras: "Invalid permutation argument `dims` for Permute Layer ..." (at construction).
  EXPECT_THROW_ALL(L::Permute({.dims = {1, 3}, .name = "perm"}), ValueError, "Permute", "dims",
                   "(1, 3)");
  EXPECT_THROW_ALL(L::Permute({.dims = {2, 1}, .name = "perm2"})(ops::ones({2, 3, 4, 5})),
                   ValueError, "Permute 'perm2'", "(2, 3, 4, 5)");
  EXPECT_THROW_ALL(L::RepeatVector({.n = 2, .name = "rep"})(ops::ones({2, 3, 4})), ValueError,
                   "RepeatVector 'rep'", "(2, 3, 4)");
  EXPECT_THROW_ALL(
      L::Cropping2D({.cropping = {{2, 2}, {0, 0}}, .name = "crop"})(ops::ones({1, 3, 3, 1})),
      ValueError, "crop", "cropping");
  EXPECT_THROW_ALL(L::UpSampling2D({.name = "up"})(ops::ones({2, 3, 4})), ValueError,
                   "UpSampling2D 'up'", "(2, 3, 4)");
  // Keras's Flatten takes rank >= 1 ((3,) becomes (3, 1)); a scalar is an error.
  EXPECT_EQ(L::Flatten()(ops::ones({3})).shape(), (Shape{3, 1}));
  EXPECT_THROW_ALL(L::Flatten()(ops::ones(Shape{})), ValueError, "Flatten '", "()");
}

TEST_P(BadInputTest, NormalizationAxesAndFeatures) {
  L::BatchNormalization bn({.name = "bn"});
  bn(ops::ones({2, 4}));
  EXPECT_THROW_ALL(bn(ops::ones({2, 5})), ValueError, "BatchNormalization 'bn'", "(2, 5)");
  EXPECT_THROW_ALL(L::BatchNormalization({.axis = 3, .name = "bn_axis"})(ops::ones({2, 4})),
                   ValueError, "bn_axis", "axis");
  EXPECT_THROW_ALL(L::LayerNormalization({.axis = 5, .name = "ln"})(ops::ones({2, 4})), ValueError,
                   "ln", "axis");
}

TEST_P(BadInputTest, EmbeddingInputs) {
  // Keras casts non-integer ids to int32 (Embedding.call), so float ids are not an error: they
  // look up the same rows as the integer ids.
  L::Embedding e({.input_dim = 5, .output_dim = 3, .name = "emb"});
  Tensor ids = testing::tensor_of({0, 4, 2}, {3}, DType::Int32);
  Tensor by_int = e(ids);
  Tensor by_float = e(ops::cast(ids, DType::Float32));
  EXPECT_EQ(testing::max_abs_diff(by_int, by_float), 0.0);
  // An id outside [0, input_dim) names the layer and input_dim.
  EXPECT_THROW_ALL(e(testing::tensor_of({0, 7}, {2}, DType::Int32)), IndexError, "Embedding 'emb'",
                   "input_dim=5");
  EXPECT_THROW_ALL(L::Embedding({.input_dim = 0, .output_dim = 3}), ValueError, "Embedding",
                   "input_dim");
}

TEST_P(BadInputTest, UnknownStringIdentifiers) {
  // Keras: "Could not interpret activation function identifier: relux" and friends.
  EXPECT_THROW_ALL(L::Dense({.units = 2, .activation = "relux"}), ValueError, "relux");
  EXPECT_THROW_ALL(L::Activation({.activation = "sigmoidd"}), ValueError, "sigmoidd");
  EXPECT_THROW_ALL(L::Dense({.units = 2, .kernel_initializer = "glorot_uniformm"}), ValueError,
                   "glorot_uniformm");
  EXPECT_THROW_ALL(L::Conv2D({.filters = 1, .kernel_size = 1, .kernel_regularizer = "l3"}),
                   ValueError, "l3");
  EXPECT_THROW_ALL(L::Dense({.units = 2, .kernel_constraint = "non_negg"}), ValueError, "non_negg");
  Config bad = L::serialize(*L::Dense({.units = 2}));
  bad["class_name"] = "Densse";
  EXPECT_THROW_ALL(L::deserialize(bad), ValueError, "Densse");
}

TEST_P(BadInputTest, WrongRankAcrossFamilies) {
  // Every layer with a fixed input rank (Keras's InputSpec ndim / min_ndim) rejects another rank
  // with a ValueError naming the layer and the input shape.
  struct Case {
    std::function<Layer()> make;
    Shape bad_shape;
  };
  const std::vector<Case> cases = {
      {[] { return Layer(L::Conv1D({.filters = 2, .kernel_size = 2})); }, {2, 3, 4, 5}},
      {[] { return Layer(L::Conv3D({.filters = 2, .kernel_size = 2})); }, {2, 3, 4, 5}},
      {[] { return Layer(L::Conv1DTranspose({.filters = 2, .kernel_size = 2})); }, {2, 3}},
      {[] { return Layer(L::Conv2DTranspose({.filters = 2, .kernel_size = 2})); }, {2, 3, 4}},
      {[] { return Layer(L::Conv3DTranspose({.filters = 2, .kernel_size = 2})); }, {2, 3, 4, 5}},
      {[] { return Layer(L::DepthwiseConv1D({.kernel_size = 2})); }, {2, 3}},
      {[] { return Layer(L::DepthwiseConv2D({.kernel_size = 2})); }, {2, 3, 4}},
      {[] { return Layer(L::SeparableConv1D({.filters = 2, .kernel_size = 2})); }, {2, 3}},
      {[] { return Layer(L::SeparableConv2D({.filters = 2, .kernel_size = 2})); }, {2, 3, 4}},
      {[] { return Layer(L::MaxPooling1D()); }, {2, 3}},
      {[] { return Layer(L::MaxPooling3D()); }, {2, 3, 4, 5}},
      {[] { return Layer(L::AveragePooling2D({.pool_size = 2})); }, {2, 3, 4}},
      {[] { return Layer(L::AveragePooling3D({.pool_size = 2})); }, {2, 3, 4, 5}},
      {[] { return Layer(L::GlobalMaxPooling2D()); }, {2, 3, 4}},
      {[] { return Layer(L::GlobalAveragePooling3D()); }, {2, 3, 4, 5}},
      {[] { return Layer(L::Cropping1D()); }, {2, 3}},
      {[] { return Layer(L::Cropping2D()); }, {2, 3, 4}},
      {[] { return Layer(L::Cropping3D()); }, {2, 3, 4, 5}},
      {[] { return Layer(L::ZeroPadding1D()); }, {2, 3}},
      {[] { return Layer(L::ZeroPadding2D()); }, {2, 3, 4}},
      {[] { return Layer(L::ZeroPadding3D()); }, {2, 3, 4, 5}},
      {[] { return Layer(L::UpSampling1D()); }, {2, 3}},
      {[] { return Layer(L::UpSampling3D()); }, {2, 3, 4, 5}},
      {[] { return Layer(L::SpatialDropout1D({.rate = 0.5})); }, {2, 3}},
      {[] { return Layer(L::SpatialDropout2D({.rate = 0.5})); }, {2, 3, 4}},
      {[] { return Layer(L::SpatialDropout3D({.rate = 0.5})); }, {2, 3, 4, 5}},
      {[] { return Layer(L::RepeatVector({.n = 2})); }, {2}},
  };
  for (const Case& c : cases) {
    Layer layer = c.make();
    const std::string who = layer->class_name() + " '" + layer->name() + "'";
    SCOPED_TRACE(who + " on " + c.bad_shape.to_string());
    EXPECT_THROW_ALL(layer(ops::ones(c.bad_shape), {.training = true}), ValueError, who,
                     c.bad_shape.to_string());
  }
}

TEST_P(BadInputTest, WrongFeaturesAfterBuild) {
  // Layers with per-feature weights, built for one feature count and called with another.
  struct Case {
    std::function<Layer()> make;
    Shape good_shape, bad_shape;
  };
  const std::vector<Case> cases = {
      {[] { return Layer(L::Conv1D({.filters = 2, .kernel_size = 2})); }, {2, 5, 3}, {2, 5, 4}},
      {[] { return Layer(L::Conv2DTranspose({.filters = 2, .kernel_size = 2})); },
       {1, 4, 4, 3},
       {1, 4, 4, 2}},
      {[] { return Layer(L::DepthwiseConv2D({.kernel_size = 2})); }, {1, 4, 4, 3}, {1, 4, 4, 2}},
      {[] { return Layer(L::SeparableConv2D({.filters = 2, .kernel_size = 2})); },
       {1, 4, 4, 3},
       {1, 4, 4, 2}},
      {[] { return Layer(L::LayerNormalization()); }, {2, 4}, {2, 5}},
      {[] { return Layer(L::GroupNormalization({.groups = 2})); }, {2, 4}, {2, 6}},
      {[] { return Layer(L::PReLU()); }, {2, 4}, {2, 5}},
  };
  for (const Case& c : cases) {
    Layer layer = c.make();
    const std::string who = layer->class_name() + " '" + layer->name() + "'";
    SCOPED_TRACE(who + " on " + c.bad_shape.to_string());
    layer(ops::ones(c.good_shape));
    EXPECT_THROW_ALL(layer(ops::ones(c.bad_shape)), ValueError, who, c.bad_shape.to_string());
  }
}

TEST_P(BadInputTest, AxesOutOfRangeAndBadOptions) {
  EXPECT_THROW_ALL(L::UnitNormalization({.axis = 5, .name = "unit"})(ops::ones({2, 3})), ValueError,
                   "unit", "axis");
  EXPECT_THROW_ALL(L::Softmax({.axis = 5, .name = "sm"})(ops::ones({2, 3})), ValueError, "5");
  // Keras: "Number of groups (3) must be a multiple of the number of channels (4)."
  EXPECT_THROW_ALL(L::GroupNormalization({.groups = 3, .name = "gn"})(ops::ones({2, 4})),
                   ValueError, "gn", "3", "4");
  EXPECT_THROW_ALL(
      L::Concatenate({.axis = 4, .name = "cat4"})({ops::ones({2, 3}), ops::ones({2, 3})}),
      ValueError, "cat4", "axis");
  EXPECT_THROW_ALL(L::Dot({.axes = 3, .name = "dot3"})({ops::ones({2, 3}), ops::ones({2, 3})}),
                   ValueError, "dot3", "axes");
  EXPECT_THROW_ALL(L::UpSampling2D({.interpolation = "cubicc"}), ValueError, "interpolation",
                   "cubicc");
  EXPECT_THROW_ALL(L::Dropout({.rate = 1.5}), ValueError, "rate", "1.5");
}

KERAS_INSTANTIATE_BACKEND_TEST(BadInputTest);

}  // namespace
}  // namespace keras
