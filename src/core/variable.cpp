#include "keras/core/variable.hpp"

#include "keras/core/variable_observer.hpp"
#include "keras/ops/ops.hpp"

namespace keras {

namespace variable_detail {

thread_local VariableObserver* observer = nullptr;

void report(const Variable& variable, bool assign) {
  VariableObserver* o = observer;
  VariableObserverScope quiet(nullptr);  // the observer's own uses are not reported
  o->used(variable, assign);
}

}  // namespace variable_detail

Variable::Variable(const Tensor& initial_value, VariableOptions options)
    : state_(std::make_shared<State>()) {
  if (!initial_value.defined())
    throw ValueError("Variable: the initial value is an undefined Tensor");
  if (initial_value.is_symbolic())
    throw ValueError("Variable: the initial value must be concrete, got symbolic " +
                     initial_value.to_string());
  state_->name = options.name.empty() ? "variable" : options.name;
  state_->path = state_->name;
  state_->trainable = options.trainable;
  set_value(initial_value);
}

Variable::State& Variable::checked() const {
  if (!state_) throw ValueError("Variable: the variable is undefined (default-constructed)");
  return *state_;
}

const Tensor& Variable::value() const {
  State& s = checked();
  if (variable_detail::observer) variable_detail::report(*this, /*assign=*/false);
  return s.value;
}

void Variable::set_value(Tensor value) {
  // A fresh identity, so tapes can tell this value from the tensor it was made from.
  auto impl = std::make_shared<TensorImpl>(*value.impl());
  impl->id = TensorImpl::next_id();
  impl->weak = false;
  impl->trainable_variable = state_->trainable;
  state_->value = Tensor(std::move(impl));
}

void Variable::assign(const Tensor& value) {
  State& s = checked();
  if (variable_detail::observer) variable_detail::report(*this, /*assign=*/true);
  if (!value.defined()) throw ValueError("Variable '" + s.path + "'.assign: value is undefined");
  if (value.shape() != s.value.shape())
    throw ValueError("Variable '" + s.path + "'.assign: value has shape " +
                     value.shape().to_string() + ", the variable has shape " +
                     s.value.shape().to_string());
  Tensor v = value;
  if (v.is_symbolic()) throw ValueError("Variable '" + s.path + "'.assign: value is symbolic");
  if (v.backend_name() != s.value.backend_name())
    v = ops::convert_to_tensor(v, std::string(s.value.backend_name()));
  if (v.dtype() != s.value.dtype()) v = ops::cast(v, s.value.dtype());
  set_value(ops::stop_gradient(v));
}

void Variable::assign_add(const Tensor& delta) { assign(ops::add(value(), delta)); }
void Variable::assign_sub(const Tensor& delta) { assign(ops::subtract(value(), delta)); }

const std::string& Variable::name() const { return checked().name; }
const std::string& Variable::path() const { return checked().path; }
void Variable::set_path(std::string path) { checked().path = std::move(path); }
bool Variable::trainable() const { return checked().trainable; }

void Variable::set_trainable(bool trainable) {
  State& s = checked();
  s.trainable = trainable;
  set_value(s.value);
}

}  // namespace keras
