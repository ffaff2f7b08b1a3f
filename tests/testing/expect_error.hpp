#pragma once
// Checking the exceptions bad input gets: the type and words of the message.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keras/core/errors.hpp"

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

// Expects `f` to throw a keras::Error whose message contains `text`.
template <class F>
void expect_throws_with(F&& f, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "expected an exception containing: " << text;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

}  // namespace keras::testing

#define EXPECT_CONTAINS(text, part) \
  EXPECT_NE(std::string(text).find(part), std::string::npos) << text

// Expects `statement` to throw `Exception` whose message contains every string in the rest of the
// arguments; another exception fails the test and names its message.
#define EXPECT_THROW_ALL(statement, Exception, ...)                                    \
  do {                                                                                 \
    try {                                                                              \
      statement;                                                                       \
      ADD_FAILURE() << "expected " #Exception " from: " #statement;                    \
    } catch (const Exception& e) {                                                     \
      for (const std::string& part : std::vector<std::string>{__VA_ARGS__})            \
        EXPECT_NE(std::string(e.what()).find(part), std::string::npos)                 \
            << "message: " << e.what() << "\nexpected to contain: " << part;           \
    } catch (const std::exception& e) {                                                \
      ADD_FAILURE() << "expected " #Exception ", got another exception: " << e.what(); \
    }                                                                                  \
  } while (0)
