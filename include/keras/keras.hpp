#pragma once
// The whole public API: #include <keras/keras.hpp>.
#include "keras/autodiff/gradient_tape.hpp"
#include "keras/backend/backend.hpp"
#include "keras/core/config.hpp"
#include "keras/core/dtype.hpp"
#include "keras/core/errors.hpp"
#include "keras/core/ints.hpp"
#include "keras/core/shape.hpp"
#include "keras/core/tensor.hpp"
#include "keras/core/variable.hpp"
#include "keras/ops/ops.hpp"
#include "keras/version.hpp"
