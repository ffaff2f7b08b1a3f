// Installs each family's get() as the resolver of string identifiers in the API, so
// `.loss = "mse"` or `.kernel_initializer = "he_normal"` accept every alias Keras accepts.
#include "keras/constraints/constraints.hpp"
#include "keras/initializers/initializer.hpp"
#include "keras/losses/serialization.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/metrics/serialization.hpp"
#include "keras/optimizers/optimizers.hpp"
#include "keras/regularizers/regularizers.hpp"
#include "keras/serialization/object_registry.hpp"

namespace keras::saving {
namespace {

template <class Base, class Get>
void install(Get get) {
  Registry<Base>::instance().set_resolver(
      [get](const std::string& identifier) -> std::shared_ptr<Base> { return get(identifier); });
}

const bool installed = [] {
  install<initializers::Initializer>([](const std::string& id) { return initializers::get(id); });
  install<regularizers::Regularizer>([](const std::string& id) { return regularizers::get(id); });
  install<constraints::Constraint>([](const std::string& id) { return constraints::get(id); });
  install<losses::Loss>([](const std::string& id) { return losses::get(id); });
  install<metrics::Metric>([](const std::string& id) { return metrics::get(id); });
  install<optimizers::Optimizer>([](const std::string& id) { return optimizers::get(id); });
  return true;
}();

}  // namespace
}  // namespace keras::saving
