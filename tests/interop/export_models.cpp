// export_models OUT_DIR: builds, briefly trains and saves with keras-cpp the kinds of models users
// save, for tests/interop/keras_load.py to load in real Python Keras 3 (the ctest entry
// keras_python_interop). The backend is keras::config::backend() (KERAS_BACKEND).
//
// For each model NAME it writes into OUT_DIR:
//   NAME.keras          model->save()
//   NAME.weights.h5     model->save_weights()
//   NAME_in.npz         input_0 .. input_k
//   NAME_out.npz        keras-cpp's predictions output_0 .. output_m
// and for compiled models:
//   NAME_train.npz      x_0.., y_0.. the data fit used (one batch per step, no shuffling)
//   NAME_opt.npz        var_0 .. var_n: the optimizer's variables, in keras-cpp's order
//   NAME_after.npz      predictions after one more fit step on NAME_train.npz (models without
//                       dropout only: the step must be deterministic)
// and manifest.json describing them (file names, optimizer steps, tolerances).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "keras/keras.hpp"
#include "keras/saving/numpy.hpp"
#include "keras/serialization/config.hpp"

namespace {

namespace L = keras::layers;
namespace ops = keras::ops;
using keras::Config;
using keras::Model;
using keras::Tensor;

std::string out_dir;
Config manifest = Config::array();

std::vector<std::pair<std::string, Tensor>> numbered(const std::string& prefix,
                                                     const std::vector<Tensor>& xs) {
  std::vector<std::pair<std::string, Tensor>> entries;
  for (size_t i = 0; i < xs.size(); ++i) entries.emplace_back(prefix + std::to_string(i), xs[i]);
  return entries;
}

std::string path(const std::string& file) { return out_dir + "/" + file; }

struct Training {
  std::vector<Tensor> x, y;
  int steps = 0;        // fit steps before saving (one batch = all samples per step)
  bool after = false;   // record predictions after one more step
  std::string about{};  // what the model checks, printed by keras_load.py
};

// Saves NAME.keras, NAME.weights.h5 and the .npz files, and adds NAME to the manifest.
void export_model(const std::string& name, Model model, const std::vector<Tensor>& inputs,
                  const Training& training = {}) {
  Config entry = Config::object();
  entry["name"] = name;
  entry["compiled"] = model->compiled();
  if (!training.about.empty()) entry["about"] = training.about;
  if (model->compiled()) {
    int64_t n = training.x[0].shape()[0];
    for (int s = 0; s < training.steps; ++s)
      model.fit(training.x, training.y,
                {.batch_size = n, .epochs = 1, .verbose = 0, .shuffle = false});
    entry["steps"] = model->optimizer()->iterations().item<int64_t>();
    keras::saving::save_npz(path(name + "_train.npz"), [&] {
      auto e = numbered("x_", training.x);
      for (auto& p : numbered("y_", training.y)) e.push_back(p);
      return e;
    }());
    std::vector<Tensor> opt;
    for (const keras::Variable& v : model->optimizer()->variables()) opt.push_back(v.value());
    keras::saving::save_npz(path(name + "_opt.npz"), numbered("var_", opt));
  }
  keras::saving::save_npz(path(name + "_in.npz"), numbered("input_", inputs));
  keras::saving::save_npz(path(name + "_out.npz"), numbered("output_", model.predict(inputs)));
  model.save(path(name + ".keras"));
  model.save_weights(path(name + ".weights.h5"));
  if (training.after) {
    int64_t n = training.x[0].shape()[0];
    model.fit(training.x, training.y,
              {.batch_size = n, .epochs = 1, .verbose = 0, .shuffle = false});
    keras::saving::save_npz(path(name + "_after.npz"), numbered("output_", model.predict(inputs)));
    entry["after"] = true;
  }
  manifest.push_back(entry);
  std::cout << "exported " << name << "\n";
}

Tensor normal(keras::Shape shape, uint64_t seed) {
  return keras::random::normal(shape, {.seed = seed});
}
Tensor labels(int64_t n, int64_t classes, uint64_t seed) {
  return ops::cast(keras::random::randint({n}, 0, classes, {.seed = seed}), keras::int32);
}

// Sequential MLP, RMSprop with categorical cross-entropy (one-hot targets).
void mlp() {
  auto model = keras::Sequential({keras::Input({8}), L::Dense({.units = 16, .activation = "relu"}),
                                  L::Dense({.units = 8, .activation = "tanh", .use_bias = false}),
                                  L::Dense({.units = 3, .activation = "softmax"})},
                                 {.name = "mlp"});
  model.compile(
      {.optimizer = "rmsprop", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  Tensor x = normal({16, 8}, 1);
  Tensor y = ops::one_hot(labels(16, 3, 2), 3);
  export_model("mlp", model, {normal({5, 8}, 3)}, {.x = {x}, .y = {y}, .steps = 3, .after = true});
}

// The Fashion-MNIST convnet shape (smaller images), with BatchNormalization, Adam.
void convnet() {
  auto model = keras::Sequential(
      {keras::Input({12, 12, 1}), L::Conv2D({.filters = 8, .kernel_size = 3, .activation = "relu"}),
       L::BatchNormalization(), L::MaxPooling2D({.pool_size = 2}),
       L::Conv2D({.filters = 16, .kernel_size = 3, .padding = "same", .activation = "relu"}),
       L::MaxPooling2D({.pool_size = 2}), L::Flatten(), L::Dropout({.rate = 0.5}),
       L::Dense({.units = 10, .activation = "softmax"})},
      {.name = "convnet"});
  model.compile(
      {.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  Tensor x = keras::random::uniform({32, 12, 12, 1}, {.seed = 4});
  export_model("convnet", model, {keras::random::uniform({4, 12, 12, 1}, {.seed = 5})},
               {.x = {x}, .y = {labels(32, 10, 6)}, .steps = 4});
}

// Two inputs, a Dense shared by both branches, a nested Functional model and a nested
// Sequential, two outputs with their own losses; Adam with a learning rate.
void multi_io() {
  Tensor a = keras::Input({4}, {.name = "in_a"});
  Tensor b = keras::Input({3}, {.name = "in_b"});
  Tensor inner_in = keras::Input({5});
  Model inner(inner_in, L::Dense({.units = 5, .activation = "tanh"})(inner_in),
              keras::ModelOptions{.name = "inner"});
  auto tower = keras::Sequential(
      {keras::Input({5}), L::Dense({.units = 4, .activation = "relu"}), L::Dense({.units = 5})},
      {.name = "tower"});
  auto shared = L::Dense({.units = 5, .activation = "relu", .name = "shared"});
  Tensor ha = shared(L::Dense({.units = 5, .name = "proj_a"})(a));
  Tensor hb = shared(L::Dense({.units = 5, .name = "proj_b"})(b));
  Tensor h = inner(ha);
  Tensor joined = L::Concatenate()({h, tower(hb)});
  Tensor out_a = L::Dense({.units = 2, .name = "out_a"})(joined);
  Tensor out_b =
      L::Dense({.units = 1, .activation = "sigmoid", .name = "out_b"})(L::Add()({hb, h}));
  Model model({a, b}, {out_a, out_b}, keras::ModelOptions{.name = "two_tower"});
  // keras-cpp applies a metrics list to every output; the file lists it once per output, as
  // Keras 3 expects for a model with two outputs (it refuses a flat ["mae"] when fitting).
  model.compile({.optimizer = keras::optimizers::Adam({.learning_rate = 0.01}),
                 .loss = {{"out_a", "mse"}, {"out_b", keras::losses::BinaryCrossentropy()}},
                 .loss_weights = {{"out_a", 1.0}, {"out_b", 0.5}},
                 .metrics = {"mae"}});
  std::vector<Tensor> x = {normal({16, 4}, 7), normal({16, 3}, 8)};
  std::vector<Tensor> y = {
      normal({16, 2}, 9),
      ops::cast(keras::random::randint({16, 1}, 0, 2, {.seed = 10}), keras::float32)};
  export_model("multi_io", model, {normal({6, 4}, 11), normal({6, 3}, 12)},
               {.x = x, .y = y, .steps = 2, .after = true});
}

// Integer sequences of lengths 2..7, zero-padded at the end (a fully padded one would give 0 in
// Keras and here alike: not interesting).
Tensor padded_ids(int64_t n, uint64_t seed) {
  Tensor t = keras::random::randint({n, 7}, 1, 20, {.seed = seed});
  Tensor pos = ops::arange(7);
  Tensor len = ops::expand_dims(ops::add(ops::mod(ops::arange(n), 6), 2), 1);
  return ops::cast(ops::where(ops::less(pos, len), t, ops::zeros_like(t)), keras::int32);
}

// Embedding(mask_zero) feeding Bidirectional(LSTM) and GRU, which both skip the padding; AdamW
// with an ExponentialDecay schedule.
void rnn() {
  Tensor ids = keras::Input({7}, {.dtype = keras::int32, .name = "tokens"});
  Tensor e = L::Embedding({.input_dim = 20, .output_dim = 8, .mask_zero = true})(ids);
  Tensor a = L::Bidirectional(L::LSTM({.units = 6}), {.merge_mode = "sum"})(e);
  Tensor b = L::GRU({.units = 5, .go_backwards = true})(e);
  Tensor out = L::Dense({.units = 3})(L::Concatenate()({a, b}));
  Model model(ids, out, keras::ModelOptions{.name = "rnn"});
  keras::optimizers::schedules::ExponentialDecay lr(
      {.initial_learning_rate = 0.01, .decay_steps = 2, .decay_rate = 0.5});
  model.compile({.optimizer = keras::optimizers::AdamW({.learning_rate = lr}), .loss = "mse"});
  export_model("rnn", model, {padded_ids(5, 13)},
               {.x = {padded_ids(12, 14)}, .y = {normal({12, 3}, 15)}, .steps = 3, .after = true});
}

// Stacked recurrent layers after Embedding(mask_zero): in Keras 3.15.1 the mask goes on from
// Bidirectional / LSTM (return_sequences) to the next recurrent layer (RNN.supports_masking is
// True there; keras-team/keras#23235, after 3.15.1, turns that off).
void stacked_rnn_mask() {
  Tensor ids = keras::Input({7}, {.dtype = keras::int32});
  Tensor h = L::Embedding({.input_dim = 20, .output_dim = 8, .mask_zero = true})(ids);
  h = L::Bidirectional(L::LSTM({.units = 6, .return_sequences = true}))(h);
  h = L::LSTM({.units = 4, .return_sequences = true})(h);
  Tensor out = L::GRU({.units = 3})(h);
  Model model(ids, out, keras::ModelOptions{.name = "stacked_rnn_mask"});
  export_model("stacked_rnn_mask", model, {padded_ids(5, 23)},
               {.about = "Keras 3.15.1 passes the Embedding mask on through Bidirectional and "
                         "LSTM(return_sequences) to the next recurrent layer "
                         "(keras/src/layers/rnn/rnn.py, bidirectional.py: supports_masking = "
                         "True)"});
}

// A transformer encoder block: causal self-attention, residual, LayerNormalization,
// feed-forward, then cross-attention returning its scores (a second output), pooling.
void attention() {
  Tensor inputs = keras::Input({6, 8});
  Tensor context = keras::Input({4, 8});
  auto mha = L::MultiHeadAttention({.num_heads = 2, .key_dim = 4});
  Tensor att = mha->attend(inputs, inputs, {.use_causal_mask = true})[0];
  Tensor x = L::LayerNormalization({.epsilon = 1e-6})(L::Add()({inputs, att}));
  Tensor ffn = L::Dense({.units = 16, .activation = "gelu"})(x);
  ffn = L::Dense({.units = 8})(ffn);
  x = L::LayerNormalization({.epsilon = 1e-6})(L::Add()({x, ffn}));
  auto cross = L::MultiHeadAttention({.num_heads = 2, .key_dim = 3, .value_dim = 5});
  auto xa = cross->attend(x, context, {.return_attention_scores = true});
  x = L::GlobalAveragePooling1D()(xa[0]);
  Tensor out = L::Dense({.units = 4, .activation = "softmax"})(x);
  Model model({inputs, context}, {out, xa[1]}, keras::ModelOptions{.name = "attention"});
  export_model("attention", model, {normal({3, 6, 8}, 16), normal({3, 4, 8}, 24)});
}

// MultiHeadAttention with use_causal_mask and return_attention_scores (or dropout) together.
void causal_attention_scores() {
  Tensor inputs = keras::Input({5, 8});
  auto mha = L::MultiHeadAttention({.num_heads = 2, .key_dim = 4});
  auto att =
      mha->attend(inputs, inputs, {.return_attention_scores = true, .use_causal_mask = true});
  Model model({inputs}, {att[0], att[1]}, keras::ModelOptions{.name = "causal_attention_scores"});
  export_model("causal_attention_scores", model, {normal({2, 5, 8}, 25)},
               {.about = "use_causal_mask with return_attention_scores: Keras's scores are "
                         "lower-triangular"});
}

// TimeDistributed, SimpleRNN, a generic RNN over an LSTMCell run backwards, EinsumDense, and a
// Conv1D branch with GlobalMaxPooling1D; SGD with momentum and Nesterov.
void sequence_misc() {
  Tensor inputs = keras::Input({6, 4});
  Tensor h = L::TimeDistributed(L::Dense({.units = 6, .activation = "relu"}))(inputs);
  h = L::SimpleRNN({.units = 5, .return_sequences = true})(h);
  h = L::RNN(L::LSTMCell({.units = 4}), {.go_backwards = true})(h);
  Tensor c = L::Conv1D({.filters = 3, .kernel_size = 2, .padding = "causal"})(inputs);
  c = L::GlobalMaxPooling1D()(c);
  Tensor joined = L::Concatenate()({h, c});
  Tensor out =
      L::EinsumDense({.equation = "ab,bc->ac", .output_shape = {2}, .bias_axes = "c"})(joined);
  Model model(inputs, out, keras::ModelOptions{.name = "sequence_misc"});
  model.compile({.optimizer = keras::optimizers::SGD(
                     {.learning_rate = 0.05, .momentum = 0.9, .nesterov = true}),
                 .loss = "mae"});
  export_model(
      "sequence_misc", model, {normal({3, 6, 4}, 17)},
      {.x = {normal({10, 6, 4}, 18)}, .y = {normal({10, 2}, 19)}, .steps = 2, .after = true});
}

// Separable, depthwise and transposed convolutions, GroupNormalization, UpSampling2D,
// ZeroPadding2D, AveragePooling2D, GlobalAveragePooling2D; Nadam.
void conv_misc() {
  auto model = keras::Sequential(
      {keras::Input({8, 8, 3}),
       L::SeparableConv2D(
           {.filters = 8, .kernel_size = 3, .padding = "same", .activation = "relu"}),
       L::DepthwiseConv2D({.kernel_size = 3, .depth_multiplier = 2}),
       L::GroupNormalization({.groups = 4}), L::AveragePooling2D({.pool_size = 2}),
       L::Conv2DTranspose({.filters = 4, .kernel_size = 3, .strides = 2, .padding = "same"}),
       L::UpSampling2D({.size = 2}), L::ZeroPadding2D({.padding = 1}), L::GlobalAveragePooling2D(),
       L::Dense({.units = 3})},
      {.name = "conv_misc"});
  model.compile({.optimizer = "nadam", .loss = "mse"});
  export_model(
      "conv_misc", model, {normal({2, 8, 8, 3}, 20)},
      {.x = {normal({8, 8, 8, 3}, 21)}, .y = {normal({8, 3}, 22)}, .steps = 2, .after = true});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: export_models OUT_DIR | --list-backends\n";
    return 2;
  }
  // interop_test.sh runs every built backend; this keeps that list out of the build files.
  if (std::string(argv[1]) == "--list-backends") {
    for (const std::string& name : keras::backend::available_backends()) std::cout << name << "\n";
    return 0;
  }
  out_dir = argv[1];
  try {
    std::filesystem::create_directories(out_dir);
    keras::random::set_random_seed(42);
    std::cout << "backend: " << keras::config::backend() << "\n";
    mlp();
    convnet();
    multi_io();
    rnn();
    stacked_rnn_mask();
    attention();
    causal_attention_scores();
    sequence_misc();
    conv_misc();
    std::ofstream(path("manifest.json")) << manifest.dump(2) << "\n";
  } catch (const std::exception& e) {
    std::cerr << "export_models: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
