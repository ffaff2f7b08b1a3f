#pragma once
// Everything in keras::ops.
#include "keras/ops/core.hpp"
#include "keras/ops/linalg.hpp"
#include "keras/ops/math.hpp"
#include "keras/ops/nn.hpp"
#include "keras/ops/numpy_creation.hpp"
#include "keras/ops/numpy_elementwise.hpp"
#include "keras/ops/numpy_linalg.hpp"
#include "keras/ops/numpy_reduction.hpp"
#include "keras/ops/numpy_shape.hpp"
#include "keras/ops/operators.hpp"
