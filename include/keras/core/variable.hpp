#pragma once
// keras::Variable: a named, mutable slot holding a tensor value (keras/src/backend/common/
// variables.py). Copies share the slot (reference semantics, like a Python object). Reading a
// trainable variable while a GradientTape records makes the tape track it, so
// tape.gradient(loss, {v}) works without watch(). assign() replaces the value; tensors read
// before keep the old value (values are immutable).
#include <memory>
#include <string>

#include "keras/core/tensor.hpp"

namespace keras {

struct VariableOptions {
  bool trainable = true;
  std::string name;  // default: "variable"
};

class Variable {
 public:
  Variable() = default;
  // The variable takes a copy of `initial_value` (its dtype and shape are the variable's).
  explicit Variable(const Tensor& initial_value, VariableOptions options = {});

  bool defined() const { return state_ != nullptr; }
  // The current value. Implicit so a Variable can be used wherever a Tensor is expected.
  const Tensor& value() const;
  operator const Tensor&() const { return value(); }  // NOLINT

  // Replaces the value; shape must match and the value is cast to the variable's dtype.
  void assign(const Tensor& value);
  void assign_add(const Tensor& delta);
  void assign_sub(const Tensor& delta);

  const Shape& shape() const { return value().shape(); }
  DType dtype() const { return value().dtype(); }
  int ndim() const { return value().ndim(); }
  const std::string& name() const;
  // Layers set the full path ("dense/kernel") when they create their variables.
  const std::string& path() const;
  void set_path(std::string path);
  bool trainable() const;
  void set_trainable(bool trainable);

  // Two Variable handles are the same variable when they share the slot.
  bool is(const Variable& other) const { return state_ == other.state_; }

 private:
  struct State {
    Tensor value;
    std::string name;
    std::string path;
    bool trainable = true;
  };
  State& checked() const;
  void set_value(Tensor value);

  std::shared_ptr<State> state_;
};

}  // namespace keras
