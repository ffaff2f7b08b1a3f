#pragma once
// Member groups that many layer options structs share, expanded in place so that the structs
// stay plain aggregates: designated initializers (`layers::Dense({.units = 10, .name = "fc"})`)
// see the same members in the same order as if they were written out. Each group follows
// Keras's signature order; a struct whose order differs writes its members out.
#include <optional>
#include <string>

#include "keras/constraints/constraints.hpp"
#include "keras/core/dtype.hpp"
#include "keras/initializers/initializer.hpp"
#include "keras/regularizers/regularizers.hpp"
#include "keras/serialization/object_ref.hpp"

// name, dtype and trainable: the base keywords every layer's options end with.
#define KERAS_BASE_LAYER_OPTIONS \
  std::string name{};            \
  std::optional<DType> dtype{};  \
  bool trainable = true

// The weight arguments of Dense, EinsumDense, the convolutions and the attention layers.
#define KERAS_KERNEL_BIAS_OPTIONS                                                     \
  saving::ObjectRef<initializers::Initializer> kernel_initializer = "glorot_uniform"; \
  saving::ObjectRef<initializers::Initializer> bias_initializer = "zeros";            \
  saving::ObjectRef<regularizers::Regularizer> kernel_regularizer{};                  \
  saving::ObjectRef<regularizers::Regularizer> bias_regularizer{};                    \
  saving::ObjectRef<regularizers::Regularizer> activity_regularizer{};                \
  saving::ObjectRef<constraints::Constraint> kernel_constraint{};                     \
  saving::ObjectRef<constraints::Constraint> bias_constraint {}

// The initializers of the recurrent layers and cells (LSTM puts unit_forget_bias after them).
#define KERAS_RECURRENT_INITIALIZER_OPTIONS                                           \
  saving::ObjectRef<initializers::Initializer> kernel_initializer = "glorot_uniform"; \
  saving::ObjectRef<initializers::Initializer> recurrent_initializer = "orthogonal";  \
  saving::ObjectRef<initializers::Initializer> bias_initializer = "zeros"

// Their regularizers and constraints: the cells' form, and the layers' with activity_regularizer.
#define KERAS_RECURRENT_CELL_REGULARIZER_OPTIONS                        \
  saving::ObjectRef<regularizers::Regularizer> kernel_regularizer{};    \
  saving::ObjectRef<regularizers::Regularizer> recurrent_regularizer{}; \
  saving::ObjectRef<regularizers::Regularizer> bias_regularizer{};      \
  saving::ObjectRef<constraints::Constraint> kernel_constraint{};       \
  saving::ObjectRef<constraints::Constraint> recurrent_constraint{};    \
  saving::ObjectRef<constraints::Constraint> bias_constraint {}
#define KERAS_RECURRENT_REGULARIZER_OPTIONS                             \
  saving::ObjectRef<regularizers::Regularizer> kernel_regularizer{};    \
  saving::ObjectRef<regularizers::Regularizer> recurrent_regularizer{}; \
  saving::ObjectRef<regularizers::Regularizer> bias_regularizer{};      \
  saving::ObjectRef<regularizers::Regularizer> activity_regularizer{};  \
  saving::ObjectRef<constraints::Constraint> kernel_constraint{};       \
  saving::ObjectRef<constraints::Constraint> recurrent_constraint{};    \
  saving::ObjectRef<constraints::Constraint> bias_constraint {}

// keras.layers.RNN's own arguments, shared by RNN and the recurrent layers.
#define KERAS_RNN_OPTIONS        \
  bool return_sequences = false; \
  bool return_state = false;     \
  bool go_backwards = false;     \
  bool stateful = false;         \
  bool unroll = false;           \
  bool zero_output_for_mask = false
