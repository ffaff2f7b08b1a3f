#include "testing/layer_harness.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "keras/autodiff/gradient_tape.hpp"
#include "keras/backend/backend.hpp"
#include "keras/core/config.hpp"
#include "keras/layers/core/input_layer.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "keras/random/random.hpp"

namespace keras::testing {

std::vector<double> values_of(const Tensor& x) {
  return ops::cast(x, DType::Float64).to_vector<double>();
}

void expect_near_all(const std::vector<double>& got, const std::vector<double>& want, double tol,
                     const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], tol) << what << " element " << i;
}

std::vector<std::string> config_keys(const Config& config) {
  std::vector<std::string> keys;
  for (auto it = config.begin(); it != config.end(); ++it) keys.push_back(it.key());
  return keys;
}

std::vector<std::string> joined(const std::vector<std::vector<std::string>>& parts) {
  std::vector<std::string> out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

std::vector<std::string> kernel_bias_keys(bool with_activity_regularizer) {
  std::vector<std::string> keys = {"kernel_initializer", "bias_initializer", "kernel_regularizer",
                                   "bias_regularizer"};
  if (with_activity_regularizer) keys.push_back("activity_regularizer");
  keys.insert(keys.end(), {"kernel_constraint", "bias_constraint"});
  return keys;
}

Tensor tensor_of(const std::vector<double>& values, const Shape& shape, DType dtype) {
  return ops::cast(ops::convert_to_tensor(values, shape), dtype);
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  if (!a.defined() || !b.defined() || a.shape() != b.shape())
    return std::numeric_limits<double>::infinity();
  std::vector<double> va = values_of(a), vb = values_of(b);
  double m = 0;
  for (size_t i = 0; i < va.size(); ++i) {
    if (std::isnan(va[i]) && std::isnan(vb[i])) continue;
    double d = std::fabs(va[i] - vb[i]);
    if (std::isnan(d)) return std::numeric_limits<double>::infinity();
    m = std::max(m, d);
  }
  return m;
}

Tensor layer_test_input(const Shape& shape, DType dtype, int64_t int_max, int64_t seed) {
  if (is_floating(dtype))
    return random::uniform(shape, {.minval = -1.0, .maxval = 1.0, .dtype = dtype, .seed = seed});
  if (dtype == DType::Bool) return ops::cast(random::randint(shape, 0, 2, {.seed = seed}), dtype);
  return random::randint(shape, 0, int_max, {.dtype = dtype, .seed = seed});
}

namespace {

std::vector<Tensor> to_backend(const std::vector<Tensor>& xs, const std::string& backend) {
  std::vector<Tensor> out;
  for (const Tensor& x : xs) out.push_back(ops::convert_to_tensor(x, backend));
  return out;
}

Shape with_none_batch(const Shape& s) {
  Shape out = s;
  if (!out.empty()) out[0] = Shape::kNone;
  return out;
}

// Calls `layer` on one input, or on the list for multi-input specs.
Tensor call_on(const Layer& layer, const std::vector<Tensor>& xs, bool multi,
               const CallArgs& args) {
  return multi ? layer(xs, args) : layer(xs.at(0), args);
}
Tensor call_on(LayerImpl& layer, const std::vector<Tensor>& xs, bool multi, const CallArgs& args) {
  return multi ? layer(xs, args) : layer(xs.at(0), args);
}

}  // namespace

void run_layer_test(const LayerTestSpec& spec) {
  ASSERT_TRUE(spec.make) << "LayerTestSpec.make is required";
  const bool multi = !spec.input_shapes.empty();
  const std::vector<Shape> input_shapes =
      multi ? spec.input_shapes : std::vector<Shape>{spec.input_shape};
  std::vector<Tensor> xs;
  for (size_t i = 0; i < input_shapes.size(); ++i) {
    // A different seed per input, so merging layers see different tensors.
    xs.push_back(spec.make_input ? spec.make_input(input_shapes[i], spec.input_dtype)
                                 : layer_test_input(input_shapes[i], spec.input_dtype,
                                                    spec.int_input_max, 1234 + 7 * int64_t(i)));
  }

  // 1. eager call
  Layer layer = spec.make();
  const std::string what = layer->class_name() + " '" + layer->name() + "'";
  SCOPED_TRACE(what);
  Tensor y = call_on(layer, xs, multi, spec.call_args);
  ASSERT_TRUE(y.defined());
  EXPECT_EQ(y.shape(), spec.expected_output_shape)
      << what << ": eager output shape " << y.shape().to_string() << ", expected "
      << spec.expected_output_shape.to_string();
  DType expected_dtype = spec.expected_output_dtype.value_or(layer->compute_dtype());
  EXPECT_EQ(y.dtype(), expected_dtype) << what << ": output dtype " << dtype_name(y.dtype())
                                       << ", expected " << dtype_name(expected_dtype);
  if (spec.deterministic) {
    Tensor y_again = call_on(layer, xs, multi, spec.call_args);
    EXPECT_LE(max_abs_diff(y, y_again), 0.0) << what << ": two calls on the same input differ";
  }

  // 2. symbolic call
  if (spec.check_symbolic) {
    Layer sym_layer = spec.make();
    std::vector<Tensor> sxs;
    for (const Shape& s : input_shapes) {
      Shape inner(s.begin() + 1, s.end());
      sxs.push_back(Input(inner, {.dtype = spec.input_dtype}));
    }
    Tensor sy = call_on(sym_layer, sxs, multi, spec.call_args);
    EXPECT_TRUE(sy.is_symbolic()) << what << ": symbolic call returned a concrete tensor";
    EXPECT_EQ(sy.shape(), with_none_batch(spec.expected_output_shape))
        << what << ": symbolic output shape " << sy.shape().to_string();
    EXPECT_EQ(sy.dtype(), expected_dtype) << what << ": symbolic output dtype";
    Layer shape_layer = spec.make();
    std::vector<Shape> computed = shape_layer->compute_output_shape(input_shapes);
    EXPECT_EQ(computed.size(), 1u) << what << ": compute_output_shape gave several outputs";
    if (!computed.empty()) {
      EXPECT_EQ(computed[0], spec.expected_output_shape) << what << ": compute_output_shape";
    }
  }

  // 3. weights
  std::vector<Variable> ws = layer->weights();
  EXPECT_EQ(ws.size(), spec.expected_weights.size()) << what << ": number of weights";
  for (size_t i = 0; i < std::min(ws.size(), spec.expected_weights.size()); ++i) {
    EXPECT_EQ(ws[i].name(), spec.expected_weights[i].first) << what << ": weight " << i << " name";
    EXPECT_EQ(ws[i].shape(), spec.expected_weights[i].second)
        << what << ": weight " << i << " ('" << ws[i].name() << "') shape "
        << ws[i].shape().to_string();
  }
  if (spec.expected_trainable_weights >= 0) {
    EXPECT_EQ(static_cast<int>(layer->trainable_weights().size()), spec.expected_trainable_weights)
        << what << ": trainable weights";
  }
  if (spec.expected_non_trainable_weights >= 0) {
    EXPECT_EQ(static_cast<int>(layer->non_trainable_weights().size()),
              spec.expected_non_trainable_weights)
        << what << ": non-trainable weights";
  }

  // 4. config round trip
  if (spec.check_config) {
    Config envelope = layers::serialize(*layer);
    std::shared_ptr<LayerImpl> restored;
    try {
      restored = layers::deserialize(envelope);
    } catch (const std::exception& e) {
      ADD_FAILURE() << what << ": deserialize failed: " << e.what()
                    << "\nconfig: " << envelope.dump();
    }
    if (restored) {
      Config again = layers::serialize(*restored);
      EXPECT_EQ(again.dump(), envelope.dump()) << what << ": config round trip differs";
      EXPECT_EQ(restored->class_name(), layer->class_name());
      EXPECT_EQ(restored->weights().size(), ws.size()) << what << ": restored layer's weights";
      if (restored->weights().size() == ws.size() && spec.deterministic) {
        restored->set_weights(layer->get_weights());
        Tensor yr = call_on(*restored, xs, multi, spec.call_args);
        EXPECT_LE(max_abs_diff(y, yr), spec.tolerance)
            << what << ": restored layer's output differs";
      }
    }
  }

  // 5. one SGD step lowers a loss
  std::vector<Variable> trainable = layer->trainable_weights();
  if (spec.check_training && !trainable.empty() && is_floating(y.dtype())) {
    Tensor target = layer_test_input(y.shape(), y.dtype(), 10, 99);
    auto loss_of = [&](const Tensor& out) {
      return ops::mean(ops::square(ops::subtract(out, target)));
    };
    std::vector<Tensor> grads;
    double loss0 = 0;
    {
      GradientTape tape;
      Tensor out = call_on(layer, xs, multi, spec.call_args);
      Tensor loss = loss_of(out);
      loss0 = values_of(loss)[0];
      grads = tape.gradient(loss, trainable);
    }
    ASSERT_EQ(grads.size(), trainable.size());
    double grad_norm = 0;
    for (size_t i = 0; i < grads.size(); ++i) {
      ASSERT_TRUE(grads[i].defined())
          << what << ": no gradient for '" << trainable[i].name() << "'";
      EXPECT_EQ(grads[i].shape(), trainable[i].shape())
          << what << ": gradient shape of '" << trainable[i].name() << "'";
      for (double g : values_of(grads[i])) grad_norm += g * g;
    }
    EXPECT_GT(grad_norm, 0.0) << what << ": all gradients are zero";
    std::vector<Tensor> before = layer->get_weights();
    const double lr = 0.01;
    for (size_t i = 0; i < grads.size(); ++i)
      trainable[i].assign_sub(ops::multiply(grads[i], ops::cast(Tensor(lr), grads[i].dtype())));
    double loss1 = values_of(loss_of(call_on(layer, xs, multi, spec.call_args)))[0];
    if (spec.deterministic) {
      EXPECT_LT(loss1, loss0) << what << ": an SGD step did not lower the loss";
    }
    layer->set_weights(before);
  }

  // 6. every backend gives the same outputs
  if (spec.check_backends && spec.deterministic) {
    std::vector<Tensor> weights = layer->get_weights();
    const std::string previous = config::backend();
    for (const std::string& b : backend::available_backends()) {
      config::set_backend(b);
      try {
        Layer other = spec.make();
        std::vector<Tensor> xbs = to_backend(xs, b);
        other->maybe_build(input_shapes);
        other->set_weights(to_backend(weights, b));
        Tensor yb = call_on(other, xbs, multi, spec.call_args);
        EXPECT_EQ(yb.backend_name(), b);
        EXPECT_LE(max_abs_diff(ops::convert_to_tensor(yb, previous), y), spec.tolerance)
            << what << ": outputs on backend " << b << " differ from " << previous;
      } catch (const std::exception& e) {
        ADD_FAILURE() << what << " on backend " << b << ": " << e.what();
      }
      config::set_backend(previous);
    }
  }
}

}  // namespace keras::testing
