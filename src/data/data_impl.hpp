#pragma once
// Helpers shared by the dataset sources and transformations (src/data/*.cpp).
#include <functional>
#include <memory>
#include <string>

#include "keras/core/errors.hpp"
#include "keras/data/dataset.hpp"

namespace keras::data::detail {

// A DatasetImpl whose passes are made by a function: the common shape of every source and
// transformation here.
class FunctionDataset final : public DatasetImpl {
 public:
  using Make = std::function<std::unique_ptr<Iterator>()>;
  FunctionDataset(Make make, int64_t cardinality)
      : make_(std::move(make)), cardinality_(cardinality) {}
  std::unique_ptr<Iterator> iterate() const override { return make_(); }
  int64_t cardinality() const override { return cardinality_; }

 private:
  Make make_;
  int64_t cardinality_;
};

// An Iterator over a function that returns the next element or nullopt.
class FunctionIterator final : public Iterator {
 public:
  explicit FunctionIterator(std::function<std::optional<Element>()> next)
      : next_(std::move(next)) {}
  std::optional<Element> next() override { return next_(); }

 private:
  std::function<std::optional<Element>()> next_;
};

inline Dataset make_dataset(FunctionDataset::Make make, int64_t cardinality) {
  return Dataset(std::make_shared<FunctionDataset>(std::move(make), cardinality));
}
inline std::unique_ptr<Iterator> make_iterator(std::function<std::optional<Element>()> next) {
  return std::make_unique<FunctionIterator>(std::move(next));
}

// "(28, 28), (1,)": the components' shapes, for messages.
std::string shapes_of(const Element& element);

// Threads for num_parallel_calls / buffer sizes: AUTOTUNE is the machine's cores.
int resolve_autotune(int n);

// Inside a catch block: throws the exception being handled again, as the same kind of keras
// error (a ValueError stays a ValueError; anything else becomes a RuntimeError), its message
// prefixed with `what` and the element's index.
[[noreturn]] void rethrow_for_element(const char* what, int64_t index);

// `f()`, with its exceptions naming `what` and element `index`.
template <class F>
auto for_element(const char* what, int64_t index, F&& f) {
  try {
    return f();
  } catch (...) {
    rethrow_for_element(what, index);
  }
}

}  // namespace keras::data::detail
