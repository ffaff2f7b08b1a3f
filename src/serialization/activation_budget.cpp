#include "serialization/activation_budget.hpp"

#include <algorithm>
#include <mutex>

#include "keras/core/errors.hpp"

namespace keras::saving {
namespace {

thread_local ActivationBudget* current_budget = nullptr;

// A model from a file and the input signatures (batch shapes, dtypes, limit) that already passed
// the check, so predict_on_batch in a loop pays for one symbolic pass, not one per call.
struct LoadedModel {
  std::weak_ptr<LayerImpl> model;  // weak: a later model at the same address is not taken for it
  std::vector<std::string> checked;
};
constexpr size_t kMaxCheckedSignatures = 16;

std::mutex& loaded_mutex() {
  static auto* m = new std::mutex();
  return *m;
}
std::vector<LoadedModel>& loaded_models() {
  static auto* v = new std::vector<LoadedModel>();
  return *v;
}
// The entry of `model`, or null; caller holds the mutex.
LoadedModel* find_loaded(const LayerImpl& model) {
  for (LoadedModel& m : loaded_models())
    if (auto p = m.model.lock(); p.get() == &model) return &m;
  return nullptr;
}

}  // namespace

ActivationBudget::ActivationBudget(uint64_t limit, std::string context)
    : limit_(limit), context_(std::move(context)), previous_(current_budget) {
  current_budget = this;
}

ActivationBudget::~ActivationBudget() { current_budget = previous_; }

uint64_t activation_bytes(const Shape& shape, DType dtype) {
  uint64_t n = dtype_size(dtype);
  for (int64_t d : shape) {
    uint64_t dim = d < 0 ? 1 : static_cast<uint64_t>(d);
    if (__builtin_mul_overflow(n, dim, &n)) return UINT64_MAX;
  }
  return n;
}

void charge_activation(const std::string& owner, const Shape& shape, DType dtype) {
  const ActivationBudget* b = current_budget;
  if (!b) return;
  uint64_t bytes = activation_bytes(shape, dtype);
  if (bytes <= b->limit_) return;
  throw ActivationLimitError(
      owner + ": its output of shape " + shape.to_string() + " and dtype " +
      std::string(dtype_name(dtype)) + " needs " +
      (bytes == UINT64_MAX ? std::string("more than 2**64 bytes")
                           : std::to_string(bytes) + " bytes") +
      " " + b->context_ + ", over the limit of " + std::to_string(b->limit_) +
      " bytes per intermediate tensor of a model loaded from a file. If the model is trusted, "
      "raise "
      "the limit with keras::config::set_max_activation_bytes() or the KERAS_MAX_ACTIVATION_BYTES "
      "environment variable");
}

void mark_loaded(const std::shared_ptr<LayerImpl>& model) {
  std::lock_guard lock(loaded_mutex());
  auto& v = loaded_models();
  v.erase(std::remove_if(v.begin(), v.end(), [](const auto& m) { return m.model.expired(); }),
          v.end());
  v.push_back({model, {}});
}

bool is_loaded(const LayerImpl& model) {
  std::lock_guard lock(loaded_mutex());
  return find_loaded(model) != nullptr;
}

bool activations_unchecked(const LayerImpl& model, const std::string& signature) {
  std::lock_guard lock(loaded_mutex());
  const LoadedModel* loaded = find_loaded(model);
  return loaded && std::find(loaded->checked.begin(), loaded->checked.end(), signature) ==
                       loaded->checked.end();
}

void mark_activations_checked(const LayerImpl& model, const std::string& signature) {
  std::lock_guard lock(loaded_mutex());
  if (LoadedModel* loaded = find_loaded(model)) {
    if (loaded->checked.size() == kMaxCheckedSignatures)
      loaded->checked.erase(loaded->checked.begin());
    loaded->checked.push_back(signature);
  }
}

}  // namespace keras::saving
