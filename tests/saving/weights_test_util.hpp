#pragma once
// Helpers for the .weights.h5 tests: the fixture architectures rebuilt in C++ (the same layers
// as each fixture's config.json), output comparison with Keras's tolerance, and file structure
// listings through the HDF5 wrapper.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "keras/keras.hpp"
#include "keras/saving/weights.hpp"
#include "saving/h5/h5.hpp"
#include "testing/npz.hpp"
#include "testing/temp_dir.hpp"

namespace keras::testing::weights {

namespace L = keras::layers;

inline std::string fixture(const std::string& name, const std::string& ext) {
  return std::string(KERAS_FIXTURES_DIR) + "/" + name + ext;
}

// ---- the fixture architectures (see each fixture's config.json) ----

inline Model dense_mlp() {
  return Sequential({Input({10}), L::Dense({.units = 16, .activation = "relu"}),
                     L::Dense({.units = 16, .activation = "tanh", .use_bias = false}),
                     L::Dense({.units = 12, .activation = "sigmoid"}),
                     L::Dense({.units = 12, .activation = "gelu"}),
                     L::Dense({.units = 8, .activation = "silu"}),
                     L::Dense({.units = 5, .activation = "softmax"})});
}

inline Model conv2d() {
  return Sequential({
      Input({12, 12, 4}),
      L::Conv2D({.filters = 8, .kernel_size = 3, .padding = "same", .activation = "relu"}),
      L::Conv2D({.filters = 8, .kernel_size = 3, .strides = 2}),
      L::Conv2D({.filters = 6,
                 .kernel_size = 3,
                 .padding = "same",
                 .dilation_rate = 2,
                 .activation = "tanh"}),
      L::Conv2D({.filters = 6, .kernel_size = 3, .padding = "same", .groups = 2}),
      L::Conv2D({.filters = 4, .kernel_size = 2, .strides = 2, .use_bias = false}),
  });
}

inline Model conv1d() {
  return Sequential({
      Input({20, 3}),
      L::Conv1D({.filters = 6, .kernel_size = 3, .activation = "relu"}),
      L::Conv1D({.filters = 6, .kernel_size = 3, .strides = 2, .padding = "same"}),
      L::Conv1D({.filters = 5,
                 .kernel_size = 3,
                 .padding = "causal",
                 .dilation_rate = 2,
                 .activation = "tanh"}),
      L::Conv1D({.filters = 4, .kernel_size = 2, .padding = "same", .dilation_rate = 3}),
      L::Conv1D({.filters = 4, .kernel_size = 4, .strides = 3}),
  });
}

inline Model conv3d() {
  return Sequential({
      Input({6, 6, 6, 2}),
      L::Conv3D({.filters = 4, .kernel_size = 3, .padding = "same", .activation = "relu"}),
      L::Conv3D({.filters = 3, .kernel_size = {2, 3, 2}, .strides = 2}),
  });
}

inline Model depthwise_conv2d() {
  return Sequential({
      Input({9, 9, 3}),
      L::DepthwiseConv2D({.kernel_size = 3, .padding = "same", .depth_multiplier = 2}),
      L::DepthwiseConv2D({.kernel_size = 3, .strides = 2, .activation = "relu"}),
  });
}

inline Model separable_conv2d() {
  return Sequential({
      Input({10, 10, 3}),
      L::SeparableConv2D({.filters = 8,
                          .kernel_size = 3,
                          .padding = "same",
                          .depth_multiplier = 2,
                          .activation = "relu"}),
      L::SeparableConv2D({.filters = 4, .kernel_size = 3, .strides = 2}),
  });
}

inline Model conv2d_transpose() {
  Tensor x = Input({5, 5, 3});
  std::vector<Tensor> ys = {
      L::Conv2DTranspose({.filters = 4, .kernel_size = 3, .strides = 2})(x),
      L::Conv2DTranspose({.filters = 4, .kernel_size = 3, .strides = 2, .padding = "same"})(x),
      L::Conv2DTranspose({.filters = 3, .kernel_size = 4, .strides = 2, .activation = "relu"})(x),
      L::Conv2DTranspose({.filters = 3, .kernel_size = 4, .strides = 2, .padding = "same"})(x),
  };
  return Model({x}, ys);
}

inline Model batchnorm() {
  return Sequential({Input({6, 6, 5}), L::BatchNormalization(),
                     L::Conv2D({.filters = 4, .kernel_size = 3, .padding = "same"}),
                     L::BatchNormalization({.epsilon = 0.01}), L::Flatten(), L::Dense({.units = 6}),
                     L::BatchNormalization({.center = false})});
}

inline Model layernorm() {
  return Sequential({Input({6, 8}), L::LayerNormalization(),
                     L::Dense({.units = 8, .activation = "relu"}),
                     L::LayerNormalization({.epsilon = 0.01, .center = false})});
}

inline Model groupnorm() {
  return Sequential({Input({5, 5, 8}), L::GroupNormalization({.groups = 4}),
                     L::Conv2D({.filters = 6, .kernel_size = 3, .padding = "same"}),
                     L::GroupNormalization({.groups = 2, .epsilon = 0.01})});
}

inline Model embedding() {
  return Sequential({Input({6}, {.dtype = DType::Int32}),
                     L::Embedding({.input_dim = 20, .output_dim = 8}),
                     L::Dense({.units = 4, .activation = "tanh"})});
}

inline Model activations() {
  Tensor x = Input({3, 4});
  std::vector<Tensor> ys = {
      L::ReLU()(x),
      L::ReLU({.max_value = 2.0, .negative_slope = 0.1})(x),
      L::ReLU({.max_value = 6.0, .negative_slope = 0.2, .threshold = 0.5})(x),
      L::LeakyReLU()(x),
      L::LeakyReLU({.negative_slope = 0.2})(x),
      L::PReLU()(x),
      L::ELU()(x),
      L::ELU({.alpha = 0.5})(x),
      L::Softmax()(x),
      L::Softmax({.axis = 1})(x),
  };
  return Model({x}, ys);
}

inline Model rescaling_and_dropout() {
  return Sequential({Input({8, 8, 3}), L::Rescaling({.scale = 1.0 / 127.5, .offset = -1.0}),
                     L::Conv2D({.filters = 4, .kernel_size = 3, .padding = "same"}),
                     L::SpatialDropout2D({.rate = 0.3}), L::GaussianNoise({.stddev = 0.5}),
                     L::Flatten(), L::Dropout({.rate = 0.5}), L::Dense({.units = 4})});
}

inline Model nested_model() {
  auto inner = Sequential(
      {Input({8}), L::Dense({.units = 8, .activation = "relu"}), L::Dense({.units = 4})});
  Tensor x = Input({6});
  Tensor h = L::Dense({.units = 8, .activation = "tanh"})(x);
  h = inner(h);
  Tensor y = L::Dense({.units = 3})(h);
  return Model(x, y);
}

inline Model functional_multi_io() {
  Tensor a = Input({6}, {.name = "input_a"});
  Tensor b = Input({4}, {.name = "input_b"});
  Tensor pa = L::Dense({.units = 5, .activation = "tanh"})(a);
  Tensor pb = L::Dense({.units = 5, .activation = "tanh"})(b);
  auto shared = L::Dense({.units = 8, .activation = "relu"});
  Tensor sa = shared(pa);
  Tensor sb = shared(pb);
  Tensor c = L::Concatenate()({sa, sb});
  Tensor s = L::Subtract()({sa, sb});
  Tensor head_class = L::Dense({.units = 3, .activation = "softmax"})(c);
  Tensor head_reg = L::Dense({.units = 2})(s);
  return Model({a, b}, {head_class, head_reg});
}

inline Model merging() {
  Tensor a = Input({6}), b = Input({6}), c = Input({6});
  Tensor d = Input({3, 4}), e = Input({5, 4});
  std::vector<Tensor> ys = {
      L::Add()({a, b, c}),         L::Subtract()({a, b}),
      L::Multiply()({a, b, c}),    L::Average()({a, b, c}),
      L::Maximum()({a, b}),        L::Minimum()({b, c}),
      L::Concatenate()({a, b, c}), L::Concatenate({.axis = 1})({d, e}),
      L::Dot({.axes = 1})({a, b}), L::Dot({.axes = 1, .normalize = true})({b, c}),
      L::Dot({.axes = 2})({d, e}), L::Dot({.axes = {1, 1}})({d, d}),
  };
  return Model({a, b, c, d, e}, ys);
}

inline Model resnet_block() {
  Tensor x = Input({8, 8, 4});
  Tensor h = L::Conv2D({.filters = 8, .kernel_size = 3, .padding = "same"})(x);
  h = L::BatchNormalization()(h);
  h = L::ReLU()(h);
  h = L::Conv2D({.filters = 8, .kernel_size = 3, .padding = "same"})(h);
  Tensor skip = L::Conv2D({.filters = 8, .kernel_size = 1})(x);
  h = L::BatchNormalization()(h);
  skip = L::BatchNormalization()(skip);
  Tensor out = L::ReLU()(L::Add()({h, skip}));
  Tensor logits = L::Dense({.units = 3})(L::GlobalAveragePooling2D()(out));
  return Model({x}, {out, logits});
}

// Two stacked layers: the first returns sequences (output_0), the second its last step.
inline Model recurrent(const std::string& kind) {
  Tensor x = Input({7, 4});
  Tensor a, b;
  if (kind == "lstm") {
    a = L::LSTM({.units = 6, .return_sequences = true})(x);
    b = L::LSTM({.units = 5})(a);
  } else if (kind == "gru") {
    a = L::GRU({.units = 6, .return_sequences = true})(x);
    b = L::GRU({.units = 5})(a);
  } else {
    a = L::SimpleRNN({.units = 6, .return_sequences = true})(x);
    b = L::SimpleRNN({.units = 5})(a);
  }
  return Model({x}, {a, b});
}

inline Model bidirectional_lstm() {
  return Sequential({Input({6, 3}),
                     L::Bidirectional(L::LSTM({.units = 4, .return_sequences = true})),
                     L::Bidirectional(L::LSTM({.units = 3}), {.merge_mode = "sum"})});
}

inline Model multi_head_attention() {
  Tensor x = Input({5, 8});
  auto mha = L::MultiHeadAttention({.num_heads = 2, .key_dim = 4});
  return Model({x}, mha->attend(x, x, {.return_attention_scores = true}));
}

// Fixture name -> builder, for the fixtures whose layers keras-cpp has.
inline const std::map<std::string, std::function<Model()>>& fixture_models() {
  static const std::map<std::string, std::function<Model()>> models = {
      {"activations", activations},
      {"batchnorm", batchnorm},
      {"bidirectional_lstm", bidirectional_lstm},
      {"gru", [] { return recurrent("gru"); }},
      {"lstm", [] { return recurrent("lstm"); }},
      {"multi_head_attention", multi_head_attention},
      {"simple_rnn", [] { return recurrent("simple_rnn"); }},
      {"conv1d", conv1d},
      {"conv2d", conv2d},
      {"conv2d_transpose", conv2d_transpose},
      {"conv3d", conv3d},
      {"dense_mlp", dense_mlp},
      {"depthwise_conv2d", depthwise_conv2d},
      {"embedding", embedding},
      {"functional_multi_io", functional_multi_io},
      {"groupnorm", groupnorm},
      {"layernorm", layernorm},
      {"merging", merging},
      {"nested_model", nested_model},
      {"rescaling_and_dropout", rescaling_and_dropout},
      {"resnet_block", resnet_block},
      {"separable_conv2d", separable_conv2d},
  };
  return models;
}

inline std::vector<std::string> fixture_model_names() {
  std::vector<std::string> out;
  for (const auto& [name, fn] : fixture_models()) out.push_back(name);
  return out;
}

// ---- file structure ----

inline std::vector<saving::h5::TreeEntry> tree_of_file(const std::string& path) {
  std::lock_guard lock(saving::h5::lock());
  return saving::h5::describe(saving::h5::File::open(path));
}

inline std::vector<saving::h5::TreeEntry> tree_of_bytes(const std::string& bytes) {
  std::lock_guard lock(saving::h5::lock());
  return saving::h5::describe(saving::h5::File::open_image(bytes, "bytes"));
}

// One line per object: path, kind, shape, dtype, attributes (what two files must share).
inline std::string tree_text(const std::vector<saving::h5::TreeEntry>& tree) {
  std::string out;
  for (const auto& e : tree) {
    out += e.path + (e.is_group ? " group"
                                : " dataset " + e.shape.to_string() + " " +
                                      std::string(dtype_name(e.dtype)));
    for (const auto& [k, v] : e.attributes) out += " @" + k + "=" + v;
    out += "\n";
  }
  return out;
}

// The same, without the values of `name` attributes (layer names differ between a model
// built by Keras's generator and the same architecture built here; paths do not).
inline std::string tree_text_without_names(std::vector<saving::h5::TreeEntry> tree) {
  for (auto& e : tree)
    for (auto& [k, v] : e.attributes)
      if (k == "name") v = "*";
  return tree_text(tree);
}

}  // namespace keras::testing::weights
