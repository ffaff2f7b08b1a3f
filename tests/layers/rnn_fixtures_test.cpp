// The recurrent and embedding fixtures written by Python Keras 3.15.1: the architectures of their
// config.json are rebuilt here in C++, the weights come from their .weights.h5 (our HDF5 loader),
// and predict() must give Keras's outputs within 1e-5.
#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"
#include "keras/ops/ops.hpp"
#include "keras/saving/saving.hpp"
#include "keras/saving/weights.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"
#include "testing/npz.hpp"

namespace keras {
namespace {

class RNNFixturesTest : public testing::BackendTest {};

std::string fixture(const std::string& name, const std::string& ext) {
  return std::string(KERAS_FIXTURES_DIR) + "/" + name + ext;
}

void expect_outputs(ModelImpl& model, const std::string& name, size_t n_outputs) {
  saving::load_weights(model, fixture(name, ".weights.h5"));
  auto npz = testing::load_npz(fixture(name, ".npz"));
  Tensor x = testing::to_tensor(npz.at("input_0"));
  std::vector<Tensor> y = model.predict(std::vector<Tensor>{x}, {.verbose = 0});
  ASSERT_EQ(y.size(), n_outputs) << name;
  for (size_t i = 0; i < n_outputs; ++i) {
    Tensor want = testing::to_tensor(npz.at("output_" + std::to_string(i)));
    ASSERT_EQ(y[i].shape(), want.shape()) << name << " output " << i;
    EXPECT_LE(testing::max_abs_diff(y[i], want), 1e-5) << name << " output " << i;
  }
}

// Functional on (7, 4): Layer(6, return_sequences) -> Layer(5); both outputs.
template <class Make>
void two_layer_functional(const std::string& name, Make make) {
  Tensor in = Input({7, 4});
  Tensor a = make(6, true)(in);
  Tensor b = make(5, false)(a);
  Model model({in}, {a, b});
  expect_outputs(*model, name, 2);
}

TEST_P(RNNFixturesTest, SimpleRNN) {
  two_layer_functional("simple_rnn", [](int64_t u, bool seq) {
    return Layer(layers::SimpleRNN({.units = u, .return_sequences = seq}));
  });
}

TEST_P(RNNFixturesTest, LSTM) {
  two_layer_functional("lstm", [](int64_t u, bool seq) {
    return Layer(layers::LSTM({.units = u, .return_sequences = seq}));
  });
}

TEST_P(RNNFixturesTest, GRU) {
  two_layer_functional("gru", [](int64_t u, bool seq) {
    return Layer(layers::GRU({.units = u, .return_sequences = seq}));
  });
}

TEST_P(RNNFixturesTest, BidirectionalLSTM) {
  auto model =
      Sequential({Input({6, 3}),
                  layers::Bidirectional(layers::LSTM({.units = 4, .return_sequences = true}),
                                        {.merge_mode = "concat"}),
                  layers::Bidirectional(layers::LSTM({.units = 3}), {.merge_mode = "sum"})});
  expect_outputs(*model, "bidirectional_lstm", 1);
}

TEST_P(RNNFixturesTest, Embedding) {
  auto model = Sequential({Input({6}, {.dtype = DType::Int32}),
                           layers::Embedding({.input_dim = 20, .output_dim = 8}),
                           layers::Dense({.units = 4, .activation = "tanh"})});
  expect_outputs(*model, "embedding", 1);
}

// The .keras archives: our registry rebuilds Keras's configs (SimpleRNN / LSTM / GRU with their
// cells, Bidirectional with forward_layer / backward_layer, Embedding) and the outputs match.
TEST_P(RNNFixturesTest, LoadKerasArchives) {
  for (std::string name : {"simple_rnn", "lstm", "gru", "bidirectional_lstm", "embedding"}) {
    SCOPED_TRACE(name);
    Model model = saving::load_model(fixture(name, ".keras"));
    auto npz = testing::load_npz(fixture(name, ".npz"));
    Tensor x = testing::to_tensor(npz.at("input_0"));
    std::vector<Tensor> y = model->predict(std::vector<Tensor>{x}, {.verbose = 0});
    for (size_t i = 0; i < y.size(); ++i) {
      Tensor want = testing::to_tensor(npz.at("output_" + std::to_string(i)));
      ASSERT_EQ(y[i].shape(), want.shape()) << name << " output " << i;
      EXPECT_LE(testing::max_abs_diff(y[i], want), 1e-5) << name << " output " << i;
    }
  }
}

KERAS_INSTANTIATE_BACKEND_TEST(RNNFixturesTest);

}  // namespace
}  // namespace keras
