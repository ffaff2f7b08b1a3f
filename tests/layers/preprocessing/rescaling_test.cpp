#include <gtest/gtest.h>

#include "keras/layers/layers.hpp"
#include "keras/layers/registration.hpp"
#include "keras/ops/ops.hpp"
#include "testing/backends.hpp"
#include "testing/layer_harness.hpp"

namespace keras::testing {
namespace {

class RescalingTest : public BackendTest {};

TEST_P(RescalingTest, Harness) {
  run_layer_test(
      {.make = [] { return Layer(layers::Rescaling({.scale = 1.0 / 127.5, .offset = -1.0})); },
       .input_shape = {2, 4, 4, 3},
       .expected_output_shape = {2, 4, 4, 3}});
}

TEST_P(RescalingTest, Values) {
  layers::Rescaling r({.scale = 0.5, .offset = 1.0});
  EXPECT_EQ(values_of(r(tensor_of({0, 2, 4}, {1, 3}))), (std::vector<double>{1, 2, 3}));
  // Integer inputs are cast to the layer's dtype.
  Tensor y = r(ops::cast(tensor_of({0, 2}, {1, 2}), DType::Int32));
  EXPECT_EQ(y.dtype(), DType::Float32);
  Config c = r->get_config();
  EXPECT_EQ(c["scale"], 0.5);
  EXPECT_EQ(c["offset"], 1.0);
}

KERAS_INSTANTIATE_BACKEND_TEST(RescalingTest);

}  // namespace
}  // namespace keras::testing
