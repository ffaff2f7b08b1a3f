#include "serialization/activation_budget.hpp"

#include <algorithm>
#include <mutex>

#include "keras/core/limits.hpp"
#include "keras/models/model.hpp"

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

void charge_activation(const LayerImpl& layer, const Shape& shape, DType dtype) {
  const ActivationBudget* b = current_budget;
  if (!b) return;
  uint64_t bytes = activation_bytes(shape, dtype);
  if (bytes <= b->limit_) return;
  throw ActivationLimitError(
      layer.class_name() + " '" + layer.name() + "': its output of shape " + shape.to_string() +
      " and dtype " + std::string(dtype_name(dtype)) + " needs " +
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

void check_loaded_model_activations(Trainer& trainer, const std::vector<Tensor>& x,
                                    int64_t batch_size, const char* method) {
  auto* model = dynamic_cast<ModelImpl*>(&trainer);
  if (!model || x.empty()) return;
  uint64_t limit = config::max_activation_bytes();
  std::vector<Tensor> symbolic;
  std::string signature = std::to_string(limit);
  for (const Tensor& t : x) {
    if (!t.defined()) return;
    Shape s = t.shape();
    if (s.rank() > 0 && batch_size > 0) s[0] = batch_size;
    signature += " " + s.to_string() + std::string(dtype_name(t.dtype()));
    symbolic.push_back(Tensor::symbolic(s, t.dtype()));
  }
  {
    std::lock_guard lock(loaded_mutex());
    const LoadedModel* loaded = find_loaded(*model);
    if (!loaded || std::find(loaded->checked.begin(), loaded->checked.end(), signature) !=
                       loaded->checked.end())
      return;
  }
  const Shape& first = symbolic[0].shape();
  std::string batch = first.rank() > 0 ? std::to_string(first[0]) : std::string("1");
  ActivationBudget budget(limit, "at batch size " + batch + " (" + method + ")");
  try {
    // Inference mode: a symbolic training call could touch training-only state.
    model->forward(symbolic, /*training=*/false);
  } catch (const ActivationLimitError&) {
    throw;
  } catch (const Error&) {
    // Anything else (incompatible inputs, ...) is for the real batch to report, as it would
    // without this check; nothing is remembered.
    return;
  }
  std::lock_guard lock(loaded_mutex());
  if (LoadedModel* loaded = find_loaded(*model)) {
    if (loaded->checked.size() == kMaxCheckedSignatures)
      loaded->checked.erase(loaded->checked.begin());
    loaded->checked.push_back(signature);
  }
}

}  // namespace keras::saving
