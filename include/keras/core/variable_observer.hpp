#pragma once
// Watching which variables a piece of code uses. A compiled step (src/trainers/compiled_function.*)
// finds the state it reads and writes this way: while a VariableObserver is installed on a thread,
// each read of a Variable's value and each assignment on that thread is reported to it first.
namespace keras {

class Variable;

class VariableObserver {
 public:
  virtual ~VariableObserver() = default;
  // `variable` is about to be read (`assign` false) or assigned. May throw to refuse the use.
  // Uses made while this runs are not reported.
  virtual void used(const Variable& variable, bool assign) = 0;
};

namespace variable_detail {
extern thread_local VariableObserver* observer;
void report(const Variable& variable, bool assign);
}  // namespace variable_detail

// Installs `observer` (may be null: none) on this thread for the scope's lifetime.
class VariableObserverScope {
 public:
  explicit VariableObserverScope(VariableObserver* observer) : saved_(variable_detail::observer) {
    variable_detail::observer = observer;
  }
  ~VariableObserverScope() { variable_detail::observer = saved_; }
  VariableObserverScope(const VariableObserverScope&) = delete;
  VariableObserverScope& operator=(const VariableObserverScope&) = delete;

 private:
  VariableObserver* saved_;
};

}  // namespace keras
