// keras::data::Dataset: the handle, passes, and the sources (from_tensor_slices, from_tensors,
// from_generator, zip).
#include "keras/data/dataset.hpp"

#include <algorithm>
#include <numeric>
#include <thread>

#include "data/data_impl.hpp"
#include "data/rows.hpp"
#include "keras/ops/ops.hpp"

namespace keras::data {

namespace detail {

std::string shapes_of(const Element& element) {
  std::string s;
  for (const Tensor& t : element)
    s += (s.empty() ? "" : ", ") + (t.defined() ? t.shape().to_string() : std::string("None"));
  return s;
}

int resolve_autotune(int n) {
  return n == AUTOTUNE ? static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) : n;
}

void rethrow_for_element(const char* what, int64_t index) {
  auto where = [&](const std::exception& e) {
    // A keras error's message without its "keras::ValueError: " (the new error adds its own).
    std::string message = e.what();
    if (dynamic_cast<const Error*>(&e) && message.rfind("keras::", 0) == 0)
      if (size_t colon = message.find(": "); colon != std::string::npos)
        message = message.substr(colon + 2);
    return std::string(what) + ": element " + std::to_string(index) + ": " + message;
  };
  try {
    throw;
  } catch (const ValueError& e) {
    throw ValueError(where(e));
  } catch (const TypeError& e) {
    throw TypeError(where(e));
  } catch (const IndexError& e) {
    throw IndexError(where(e));
  } catch (const NotImplementedError& e) {
    throw NotImplementedError(where(e));
  } catch (const OSError& e) {
    throw OSError(where(e));
  } catch (const std::exception& e) {
    throw RuntimeError(where(e));
  }
}

}  // namespace detail

using detail::make_dataset;
using detail::make_iterator;

Dataset::Dataset(std::shared_ptr<const DatasetImpl> impl) : impl_(std::move(impl)) {
  if (!impl_) throw ValueError("Dataset: the implementation is null");
}

int64_t Dataset::cardinality() const { return impl_->cardinality(); }
std::unique_ptr<Iterator> Dataset::iterator() const { return impl_->iterate(); }

Dataset::PassIterator::PassIterator(std::shared_ptr<Iterator> pass) : pass_(std::move(pass)) {
  current_ = pass_->next();
}

Dataset::PassIterator& Dataset::PassIterator::operator++() {
  current_ = pass_->next();
  if (!current_) pass_.reset();
  return *this;
}

Dataset::PassIterator Dataset::begin() const { return PassIterator(iterator()); }

Dataset Dataset::from_tensor_slices(const Element& components) {
  if (components.empty())
    throw ValueError("Dataset.from_tensor_slices: expected at least one tensor, got none");
  int64_t n = -1;
  for (size_t i = 0; i < components.size(); ++i) {
    const Tensor& t = components[i];
    if (!t.defined() || t.is_symbolic() || t.ndim() == 0)
      throw ValueError("Dataset.from_tensor_slices: component " + std::to_string(i) +
                       " must be a concrete tensor of rank >= 1, got " +
                       (t.defined() ? t.to_string() : std::string("an undefined tensor")));
    if (n < 0) n = t.shape()[0];
    if (t.shape()[0] != n)
      throw ValueError("Dataset.from_tensor_slices: the components' first dimensions differ: " +
                       detail::shapes_of(components));
  }
  auto order = [n] {
    std::vector<int64_t> rows(static_cast<size_t>(n));
    std::iota(rows.begin(), rows.end(), int64_t{0});
    return rows;
  };
  return Dataset(std::make_shared<detail::RowsDataset>(components, order, n));
}

Dataset Dataset::from_tensors(const Element& components) {
  if (components.empty())
    throw ValueError("Dataset.from_tensors: expected at least one tensor, got none");
  auto make = [components]() {
    return make_iterator([components, done = false]() mutable -> std::optional<Element> {
      if (done) return std::nullopt;
      done = true;
      return components;
    });
  };
  return make_dataset(make, 1);
}

Dataset Dataset::from_generator(std::function<Generator()> make_generator) {
  if (!make_generator) throw ValueError("Dataset.from_generator: the generator function is empty");
  auto make = [make_generator]() {
    Generator g = make_generator();
    if (!g)
      throw ValueError("Dataset.from_generator: the generator function returned no generator");
    return make_iterator([g = std::move(g), i = int64_t{0}]() mutable -> std::optional<Element> {
      return detail::for_element("Dataset.from_generator", i++, [&] { return g(); });
    });
  };
  return make_dataset(make, UNKNOWN_CARDINALITY);
}

Dataset Dataset::zip(const std::vector<Dataset>& datasets) {
  if (datasets.empty()) throw ValueError("Dataset.zip: expected at least one dataset, got none");
  // As long as the shortest: unknown if any length is unknown, endless if all are.
  int64_t n = INFINITE_CARDINALITY;
  bool unknown = false;
  for (const Dataset& d : datasets) {
    int64_t c = d.cardinality();
    if (c == UNKNOWN_CARDINALITY)
      unknown = true;
    else if (c != INFINITE_CARDINALITY)
      n = n == INFINITE_CARDINALITY ? c : std::min(n, c);
  }
  if (unknown) n = UNKNOWN_CARDINALITY;
  auto make = [datasets]() {
    std::vector<std::shared_ptr<Iterator>> passes;
    for (const Dataset& d : datasets) passes.push_back(d.iterator());
    return make_iterator([passes]() -> std::optional<Element> {
      Element e;
      for (const auto& p : passes) {
        std::optional<Element> part = p->next();
        if (!part) return std::nullopt;
        e.insert(e.end(), part->begin(), part->end());
      }
      return e;
    });
  };
  return make_dataset(make, n);
}

}  // namespace keras::data
