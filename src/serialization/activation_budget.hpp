#pragma once
// The activation budget: a cap on the bytes of every intermediate tensor (layer output) of a
// model that came from a file (keras::config::max_activation_bytes, include/keras/core/limits.hpp).
// Layers without weights can still declare outputs of any size (RepeatVector(n=10**8),
// UpSampling2D(size=5000), ZeroPadding1D(padding=10**9)); the variable budget does not see them.
// While an ActivationBudget is active on a thread, LayerImpl::invoke charges each symbolic output
// (shape inference only, nothing allocated): deserialize_model runs under one at batch size 1
// (the Functional graph and Sequential-with-Input models are built symbolically there), and the
// trainers run a symbolic pass under one at the real batch size before the first batch of a
// loaded model (src/trainers/loaded_model_check.cpp).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "keras/core/dtype.hpp"
#include "keras/core/errors.hpp"
#include "keras/core/shape.hpp"

namespace keras {
class LayerImpl;
}  // namespace keras

namespace keras::saving {

// A layer output over the limit (a ValueError; its own type so the trainers' symbolic pass can
// tell it from other errors, which the real batch reports itself).
class ActivationLimitError : public ValueError {
 public:
  explicit ActivationLimitError(const std::string& message) : ValueError(message) {}
};

class ActivationBudget {
 public:
  // Active on this thread until destroyed (scopes nest; the innermost one counts). `context`
  // says what is checked, e.g. "at batch size 1 (load_model; unknown dimensions counted as 1)".
  ActivationBudget(uint64_t limit, std::string context);
  ~ActivationBudget();
  ActivationBudget(const ActivationBudget&) = delete;
  ActivationBudget& operator=(const ActivationBudget&) = delete;

 private:
  friend void charge_activation(const std::string&, const Shape&, DType);
  uint64_t limit_;
  std::string context_;
  ActivationBudget* previous_;
};

// Bytes of a tensor of `shape` and `dtype` with unknown dimensions counted as 1; UINT64_MAX when
// the product does not fit in 64 bits.
uint64_t activation_bytes(const Shape& shape, DType dtype);

// Checks one output of a layer against the active budget (nothing without one); throws
// ActivationLimitError naming the layer (`owner`: class and name), the shape, the bytes, the
// limit and how to raise it.
void charge_activation(const std::string& owner, const Shape& shape, DType dtype);

// Models from a file (deserialize_model marks them; the mark dies with the model).
void mark_loaded(const std::shared_ptr<LayerImpl>& model);
bool is_loaded(const LayerImpl& model);
// Whether `model` is from a file and the input `signature` (batch shapes, dtypes, limit) has not
// passed the check yet; remembering the last few that did (mark_activations_checked) makes
// predict_on_batch in a loop pay for one symbolic pass, not one per call.
bool activations_unchecked(const LayerImpl& model, const std::string& signature);
void mark_activations_checked(const LayerImpl& model, const std::string& signature);

}  // namespace keras::saving
