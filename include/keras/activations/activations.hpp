#pragma once
// keras::activations (keras/src/activations/activations.py, __init__.py).
//
//   Tensor y = activations::relu(x, {.max_value = 6.0});
//   activations::Activation act = activations::get("gelu");   // or just: Activation act = "gelu";
//   Tensor z = act(x);
//   std::string s = activations::serialize(act);              // "gelu", as layer configs write it
//
// The functions follow Keras's definitions, which sometimes differ from keras::ops: the gelu
// activation is exact by default (approximate = false), ops::gelu approximates by default.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/core/tensor.hpp"
#include "keras/serialization/config.hpp"

namespace keras::activations {

// ---- the activation functions ----

struct ReluOptions {
  double negative_slope = 0.0;        // slope below the threshold
  std::optional<double> max_value{};  // saturation value
  double threshold = 0.0;             // values at or below are damped or zeroed
};
Tensor relu(const Tensor& x, ReluOptions options = {});
Tensor leaky_relu(const Tensor& x, double negative_slope = 0.2);
Tensor relu6(const Tensor& x);
Tensor softmax(const Tensor& x, int64_t axis = -1);
Tensor elu(const Tensor& x, double alpha = 1.0);
Tensor selu(const Tensor& x);
Tensor softplus(const Tensor& x);
Tensor softsign(const Tensor& x);
// x - threshold above threshold, x + threshold below -threshold, 0 between.
Tensor soft_shrink(const Tensor& x, double threshold = 0.5);
// 0 for x <= -1, (x + 1)^2 / 4 for -1 < x < 1, x for x >= 1.
Tensor sparse_plus(const Tensor& x);
Tensor silu(const Tensor& x);
Tensor swish(const Tensor& x);  // = silu
// (x + sqrt(x^2 + b)) / 2.
Tensor squareplus(const Tensor& x, double b = 4);
Tensor gelu(const Tensor& x, bool approximate = false);
Tensor celu(const Tensor& x, double alpha = 1.0);
Tensor glu(const Tensor& x, int64_t axis = -1);
Tensor tanh(const Tensor& x);
Tensor tanh_shrink(const Tensor& x);  // x - tanh(x)
Tensor hard_tanh(const Tensor& x);
Tensor hard_shrink(const Tensor& x, double threshold = 0.5);  // x where |x| > threshold, else 0
// x where x > threshold, else default_value. (No defaults, as in Keras: get("threshold") gives an
// activation that throws TypeError when called with x alone.)
Tensor threshold(const Tensor& x, double threshold, double default_value);
Tensor sigmoid(const Tensor& x);
Tensor exponential(const Tensor& x);
Tensor hard_sigmoid(const Tensor& x);
Tensor log_sigmoid(const Tensor& x);
// 0.5 * clip(x + 1, 0, 2).
Tensor sparse_sigmoid(const Tensor& x);
Tensor hard_silu(const Tensor& x);
Tensor hard_swish(const Tensor& x);  // = hard_silu
Tensor linear(const Tensor& x);
Tensor mish(const Tensor& x);  // x * tanh(softplus(x))
Tensor log_softmax(const Tensor& x, int64_t axis = -1);
// Euclidean projection onto the probability simplex along `axis` (Martins & Astudillo, 2016),
// with the threshold fix of keras-team/keras#23469 (Keras 3.15 and earlier return values that do
// not sum to 1 when more than one element is in the support).
Tensor sparsemax(const Tensor& x, int64_t axis = -1);

// ---- Activation: a named callable, what layers hold ----

using ActivationFn = std::function<Tensor(const Tensor&)>;

class Activation {
 public:
  // linear (Keras: get(None) is linear).
  Activation();
  // get(name): implicit, so options read `.activation = "relu"`.
  Activation(const char* name);         // NOLINT
  Activation(const std::string& name);  // NOLINT
  // A user function. `name` is what serialize writes; register it (register_activation) so that
  // deserialize finds it again.
  Activation(std::string name, ActivationFn fn);

  Tensor operator()(const Tensor& x) const { return fn_(x); }
  const std::string& name() const { return name_; }
  bool is_linear() const { return name_ == "linear"; }

 private:
  std::string name_;
  ActivationFn fn_;
};

// keras.activations.get: a built-in name (every name in Keras's ALL_OBJECTS_DICT, with the
// aliases "swish" and "hard_swish") or a registered user function. An empty string is linear.
// Unknown names throw ValueError listing the known ones.
Activation get(const std::string& identifier);
// Registers (or replaces) a user activation under `name`, e.g. "my_package>my_act".
void register_activation(const std::string& name, ActivationFn fn);
// The names get() accepts, sorted.
std::vector<std::string> names();

// keras.activations.serialize: the bare name for built-ins ("relu"); for any other function the
// envelope {"module": "__main__", "class_name": "function", "config": name, "registered_name":
// name}, which deserializes only where that name is registered.
Config serialize(const Activation& activation);
// keras.activations.deserialize: a name string or a {"class_name": "function", ...} envelope.
Activation deserialize(const Config& config);

}  // namespace keras::activations
