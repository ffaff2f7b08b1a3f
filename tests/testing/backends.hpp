#pragma once
// Parametrizes a test suite over every built backend:
//   class MyTest : public keras::testing::BackendTest {};
//   TEST_P(MyTest, Works) { auto x = ops::ones({2}, {}, backend()); ... }
//   KERAS_INSTANTIATE_BACKEND_TEST(MyTest);
// Each test runs with keras::config::set_backend(name) in effect, so tensors made without naming a
// backend land on the backend under test.
#include <gtest/gtest.h>

#include <string>

#include "keras/backend/backend.hpp"
#include "keras/core/config.hpp"

namespace keras::testing {

class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    previous_ = config::backend();
    config::set_backend(GetParam());
  }
  void TearDown() override { config::set_backend(previous_); }
  const std::string& backend_name() const { return GetParam(); }

 private:
  std::string previous_;
};

inline std::string backend_param_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace keras::testing

#define KERAS_INSTANTIATE_BACKEND_TEST(suite)                                           \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                             \
                           ::testing::ValuesIn(::keras::backend::available_backends()), \
                           ::keras::testing::backend_param_name)
