#pragma once
// keras::initializers: everything (keras.initializers).
#include "keras/initializers/constant_initializers.hpp"
#include "keras/initializers/initializer.hpp"
#include "keras/initializers/random_initializers.hpp"
