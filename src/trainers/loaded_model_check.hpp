#pragma once
// The activation check of models loaded from a file (src/serialization/activation_budget.hpp),
// run by the trainers before the first batch.
#include <cstdint>
#include <vector>

#include "keras/core/tensor.hpp"

namespace keras {
class Trainer;
}  // namespace keras

namespace keras::saving {

// When `trainer` is a model from a file, a symbolic pass of `x` with `batch_size` rows (<= 0:
// the rows x has) under an ActivationBudget, before anything runs. `method` ("predict", "fit",
// ...) names the call in the message.
void check_loaded_model_activations(Trainer& trainer, const std::vector<Tensor>& x,
                                    int64_t batch_size, const char* method);

}  // namespace keras::saving
