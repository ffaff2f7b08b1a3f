#include "serialization/variable_budget.hpp"

#include "keras/core/errors.hpp"

namespace keras::saving {
namespace {

thread_local VariableBudget* current_budget = nullptr;

// shape.num_elements() * itemsize, saturating at UINT64_MAX (config shapes can be anything).
uint64_t variable_bytes(const Shape& shape, DType dtype) {
  uint64_t n = dtype_size(dtype);
  for (int64_t d : shape) {
    if (d < 0) return UINT64_MAX;  // add_weight rejects unknown dimensions itself
    if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n)) return UINT64_MAX;
  }
  return n;
}

std::string bytes_text(uint64_t n) {
  return n == UINT64_MAX ? "more than 2**64 bytes" : std::to_string(n) + " bytes";
}

}  // namespace

VariableBudget::VariableBudget(uint64_t bytes, std::string source)
    : limit_(bytes), source_(std::move(source)), previous_(current_budget) {
  current_budget = this;
}

VariableBudget::~VariableBudget() { current_budget = previous_; }

void charge_variable(const std::string& owner, const std::string& name, const Shape& shape,
                     DType dtype) {
  VariableBudget* b = current_budget;
  if (!b) return;
  uint64_t bytes = variable_bytes(shape, dtype);
  if (bytes <= b->limit_ && b->used_ <= b->limit_ - bytes) {
    b->used_ += bytes;
    return;
  }
  throw ValueError(owner +
                   ": the config declares more weights than model.weights.h5 can hold: "
                   "variable '" +
                   name + "' of shape " + shape.to_string() + " and dtype " +
                   std::string(dtype_name(dtype)) + " needs " + bytes_text(bytes) + ", with " +
                   std::to_string(b->used_) +
                   " bytes of variables created before it, over the "
                   "budget of " +
                   std::to_string(b->limit_) + " bytes (" + b->source_ + ")");
}

}  // namespace keras::saving
