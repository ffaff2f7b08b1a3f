#include "trainers/loaded_model_check.hpp"

#include "keras/core/limits.hpp"
#include "keras/models/model.hpp"
#include "serialization/activation_budget.hpp"

namespace keras::saving {

void check_loaded_model_activations(Trainer& trainer, const std::vector<Tensor>& x,
                                    int64_t batch_size, const char* method) {
  auto* model = dynamic_cast<ModelImpl*>(&trainer);
  // Models built in C++ are not checked: return before building a signature on every call.
  if (!model || x.empty() || !is_loaded(*model)) return;
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
  if (!activations_unchecked(*model, signature)) return;
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
  mark_activations_checked(*model, signature);
}

}  // namespace keras::saving
