#pragma once
// keras::optimizers: every optimizer plus Keras's get / serialize / deserialize
// (keras/src/optimizers/__init__.py).
#include <memory>
#include <string>

#include "keras/optimizers/adadelta.hpp"
#include "keras/optimizers/adafactor.hpp"
#include "keras/optimizers/adagrad.hpp"
#include "keras/optimizers/adam.hpp"
#include "keras/optimizers/adamax.hpp"
#include "keras/optimizers/adamw.hpp"
#include "keras/optimizers/ftrl.hpp"
#include "keras/optimizers/lamb.hpp"
#include "keras/optimizers/lion.hpp"
#include "keras/optimizers/nadam.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/optimizers/rmsprop.hpp"
#include "keras/optimizers/schedules/learning_rate_schedule.hpp"
#include "keras/optimizers/sgd.hpp"

namespace keras::optimizers {

// A new optimizer with default arguments from a name: "adam", "Adam", "rmsprop", ... (class
// names, case-insensitive for the built-ins, like Keras). Unknown names are a ValueError listing
// the known ones.
std::shared_ptr<Optimizer> get(const std::string& identifier);
// From an envelope {"class_name": ..., "config": {...}} (or a bare name).
std::shared_ptr<Optimizer> deserialize(const Config& config);
// {"module": "keras.optimizers", "class_name": ..., "config": get_config(), "registered_name"}.
Config serialize(const Optimizer& optimizer);

}  // namespace keras::optimizers
