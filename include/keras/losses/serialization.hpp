#pragma once
// Finding losses by name and (de)serializing them (keras/src/losses/__init__.py).
//
//   auto loss = keras::losses::get("sparse_categorical_crossentropy");
//   keras::Config envelope = keras::losses::serialize(*loss);   // module "keras.losses"
//   auto again = keras::losses::deserialize(envelope);
//
// Every built-in class is registered in saving::Registry<Loss> under its class name; users add
// their own with saving::Registry<losses::Loss>::instance().add("MyLoss", factory).
#include <memory>
#include <string>

#include "keras/core/shape.hpp"
#include "keras/losses/loss.hpp"
#include "keras/serialization/config.hpp"

namespace keras::losses {

// keras.losses.get: a class name ("MeanSquaredError") gives that class with its defaults; a
// function name or alias ("mse", "mean_squared_error", "bce", "kld", ...) gives a
// LossFunctionWrapper named after the identifier (what compile() makes of it). ValueError for
// unknown names.
std::shared_ptr<Loss> get(const std::string& identifier);
// Also accepts an envelope {"class_name": ..., "config": ...}.
std::shared_ptr<Loss> get(const Config& identifier);
inline std::shared_ptr<Loss> get(const char* identifier) { return get(std::string(identifier)); }

// {"module": "keras.losses", "class_name": ..., "config": get_config(), "registered_name": null}
// (registered_name is the class name for classes that are not built in).
Config serialize(const Loss& loss);
// An envelope or a name string.
std::shared_ptr<Loss> deserialize(const Config& config);

// The loss compile() uses for `identifier` given the shapes of the targets and predictions
// (keras/src/trainers/compile_utils.py get_loss): "crossentropy"/"ce" become binary, sparse or
// categorical cross-entropy from the shapes; everything else goes through get().
std::shared_ptr<Loss> get_compile_loss(const std::string& identifier, const Shape& y_true_shape,
                                       const Shape& y_pred_shape);

// (is_binary, is_sparse_categorical) as compile() decides them from the shapes.
std::pair<bool, bool> is_binary_or_sparse_categorical(const Shape& y_true_shape,
                                                      const Shape& y_pred_shape);

}  // namespace keras::losses
