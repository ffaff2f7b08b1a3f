#pragma once
// A generic test for layers (in the spirit of Keras's testing.run_layer_test).
//
//   TEST_P(DenseTest, Harness) {
//     keras::testing::run_layer_test({
//         .make = [] { return keras::Layer(layers::Dense({.units = 3})); },
//         .input_shape = {2, 4},
//         .expected_output_shape = {2, 3},
//         .expected_weights = {{"kernel", {4, 3}}, {"bias", {3}}},
//     });
//   }
//
// What it checks, in order (each with a message naming the layer):
//  1. eager call: output shape and dtype;
//  2. symbolic call on keras::Input (batch dimension None): output shape (batch None) and dtype,
//     and compute_output_shape;
//  3. weights: count, order, names and shapes (and trainable / non-trainable counts if given);
//  4. config round trip: layers::serialize -> layers::deserialize gives a layer whose serialized
//     config is identical; with the weights copied (set_weights) it gives the same outputs;
//  5. training: if the layer has trainable weights, a GradientTape + plain SGD step on
//     mean((y - target)^2) lowers the loss, and every gradient has its variable's shape;
//  6. backends: a fresh layer on every built backend, given the reference weights through
//     set_weights, gives the same outputs (within `tolerance`).
// Any of these can be switched off by the flags below.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/layers/layer.hpp"
#include "testing/expect_error.hpp"

namespace keras::testing {

struct LayerTestSpec {
  // Makes a fresh, unbuilt layer (called several times).
  std::function<Layer()> make;
  // Concrete input shape (batch included).
  Shape input_shape;
  DType input_dtype = DType::Float32;
  // Concrete expected output shape (batch included).
  Shape expected_output_shape;
  // Default: the layer's compute dtype.
  std::optional<DType> expected_output_dtype{};
  // Expected weights, in order, as (name, shape).
  std::vector<std::pair<std::string, Shape>> expected_weights{};
  int expected_trainable_weights = -1;      // -1: not checked
  int expected_non_trainable_weights = -1;  // -1: not checked
  // Optional input maker; default: uniform in [-1, 1) (floats) or randint [0, int_input_max).
  std::function<Tensor(const Shape&, DType)> make_input{};
  int64_t int_input_max = 10;
  // Arguments for every call (e.g. {.training = true} for deterministic-in-training layers).
  CallArgs call_args{};
  double tolerance = 1e-5;
  bool check_symbolic = true;
  bool check_config = true;
  bool check_training = true;  // only if the layer has trainable weights
  bool check_backends = true;
  // The output is deterministic for given weights and inputs (false for Dropout in training).
  bool deterministic = true;
  // Multi-input layers (merging layers): the concrete shapes of each input (batch included); when
  // set, the layer is called on a list of inputs and `input_shape` is ignored.
  std::vector<Shape> input_shapes{};
};

void run_layer_test(const LayerTestSpec& spec);

// Helpers used by layer tests.
// Max |a - b| after casting both to float64 (shapes must match, else +inf).
double max_abs_diff(const Tensor& a, const Tensor& b);
// A deterministic input: uniform [-1, 1) or integers [0, int_max).
Tensor layer_test_input(const Shape& shape, DType dtype, int64_t int_max = 10, int64_t seed = 1234);
// A tensor from values (float32 unless given), on the current backend.
Tensor tensor_of(const std::vector<double>& values, const Shape& shape,
                 DType dtype = DType::Float32);
std::vector<double> values_of(const Tensor& x);
// Expects the same size and |got[i] - want[i]| <= tol for every i; `what` names the check.
void expect_near_all(const std::vector<double>& got, const std::vector<double>& want,
                     double tol = 1e-6, const std::string& what = "");

// The keys of a layer's config (get_config()), in order.
std::vector<std::string> config_keys(const Config& config);
// The key lists one after the other (to spell a layer's expected config keys from the groups
// below and its own keys).
std::vector<std::string> joined(const std::vector<std::vector<std::string>>& parts);
// Keys Keras's layers share, in Keras's order.
// Every layer's: name, trainable, dtype.
inline const std::vector<std::string> kBaseLayerKeys = {"name", "trainable", "dtype"};
// A kernel-and-bias layer's (Dense, Conv*, MultiHeadAttention): initializers, regularizers (with
// activity_regularizer where the layer lists it) and constraints.
std::vector<std::string> kernel_bias_keys(bool with_activity_regularizer);
// Every RNN layer's (keras/src/layers/rnn/rnn.py), after the base keys.
inline const std::vector<std::string> kRnnKeys = {"return_sequences", "return_state",
                                                  "go_backwards",     "stateful",
                                                  "unroll",           "zero_output_for_mask"};
// An LSTM cell's (LSTM, ConvLSTM*), after its size arguments.
inline const std::vector<std::string> kLstmCellKeys = {"activation",
                                                       "recurrent_activation",
                                                       "use_bias",
                                                       "kernel_initializer",
                                                       "recurrent_initializer",
                                                       "bias_initializer",
                                                       "unit_forget_bias",
                                                       "kernel_regularizer",
                                                       "recurrent_regularizer",
                                                       "bias_regularizer",
                                                       "activity_regularizer",
                                                       "kernel_constraint",
                                                       "recurrent_constraint",
                                                       "bias_constraint",
                                                       "dropout",
                                                       "recurrent_dropout",
                                                       "seed"};

}  // namespace keras::testing

// EXPECT that `statement` throws `Exception` whose message contains `substring`.
#define KERAS_EXPECT_THROW_WITH(statement, Exception, substring) \
  EXPECT_THROW_ALL(statement, Exception, substring)
