#pragma once
// Checking the exceptions bad input gets: the type and words of the message.
#include <gtest/gtest.h>

#include <string>

namespace keras::testing {

// The message of the exception of type E that `f` throws (fails the test if it throws none).
template <class E, class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "no exception of the expected type";
  return "";
}

}  // namespace keras::testing

#define EXPECT_CONTAINS(text, part) \
  EXPECT_NE(std::string(text).find(part), std::string::npos) << text
