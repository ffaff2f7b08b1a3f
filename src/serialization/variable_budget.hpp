#pragma once
// A cap on the bytes of the variables a model config may create while load_model deserializes
// it. Every variable Keras saves is in `model.weights.h5`, so a config whose layers need more
// than that member holds (plus some slack for state Keras does not save) is a config bomb, e.g.
// Dense(units=10**12): it fails with a ValueError before anything is allocated, instead of
// bad_alloc or the OOM killer. LayerImpl::add_weight and Metric::add_variable (compile_config's
// metrics) charge each variable before allocating it. Optimizer slots are not charged: the
// optimizer builds them from the (charged) model variables, a small multiple of their size.
// Outside a VariableBudget nothing is checked.
#include <cstdint>
#include <string>

#include "keras/core/dtype.hpp"
#include "keras/core/shape.hpp"

namespace keras::saving {

// Bytes of non-saved state a loaded model may create beyond the weights file (seed generators,
// variables Keras rebuilds rather than stores).
inline constexpr uint64_t kVariableBudgetSlack = 64ull << 20;

class VariableBudget {
 public:
  // Active on this thread until destroyed (scopes nest; the innermost one counts). `source`
  // says where the limit comes from, e.g. "model.weights.h5 (1234 bytes) + 64 MiB".
  VariableBudget(uint64_t bytes, std::string source);
  ~VariableBudget();
  VariableBudget(const VariableBudget&) = delete;
  VariableBudget& operator=(const VariableBudget&) = delete;

  uint64_t limit() const { return limit_; }
  uint64_t used() const { return used_; }

 private:
  friend void charge_variable(const std::string&, const std::string&, const Shape&, DType);
  uint64_t limit_;
  uint64_t used_ = 0;
  std::string source_;
  VariableBudget* previous_;
};

// Counts a variable of `shape` and `dtype` about to be created by `owner` (e.g. "Dense 'dense'")
// against the current budget; throws ValueError naming the owner, variable, shape, dtype and
// budget when it does not fit. Nothing happens without an active budget.
void charge_variable(const std::string& owner, const std::string& name, const Shape& shape,
                     DType dtype);

}  // namespace keras::saving
