// Python str.format as ModelCheckpoint's file paths use it; expected strings are what CPython
// prints for the same pattern and values.
#include <gtest/gtest.h>

#include "callbacks/python_format.hpp"
#include "keras/core/errors.hpp"
#include "testing/expect_error.hpp"

namespace keras::callbacks::detail {
namespace {

TEST(PythonFormatTest, MatchesPython) {
  std::map<std::string, FormatValue> v = {{"epoch", {3, true}},
                                          {"loss", {0.123456789, false}},
                                          {"val_loss", {12.5, false}},
                                          {"neg", {-0.5, false}},
                                          {"big", {1234567.0, false}}};
  EXPECT_EQ(python_format("w{epoch:02d}-{loss:.2f}.keras", v), "w03-0.12.keras");
  EXPECT_EQ(python_format("{epoch}", v), "3");
  EXPECT_EQ(python_format("{loss}", v), "0.123456789");
  EXPECT_EQ(python_format("{val_loss}", v), "12.5");
  EXPECT_EQ(python_format("{epoch:.3f}", v), "3.000");
  EXPECT_EQ(python_format("{loss:.3e}", v), "1.235e-01");
  EXPECT_EQ(python_format("{big:g}", v), "1.23457e+06");
  EXPECT_EQ(python_format("{val_loss:.3}", v), "12.5");
  EXPECT_EQ(python_format("{neg:+.1f}|{loss:+.1f}", v), "-0.5|+0.1");
  EXPECT_EQ(python_format("[{epoch:>4d}][{epoch:<4d}][{epoch:^5d}]", v), "[   3][3   ][  3  ]");
  EXPECT_EQ(python_format("{neg:08.3f}", v), "-000.500");
  EXPECT_EQ(python_format("{loss:.1%}", v), "12.3%");
  EXPECT_EQ(python_format("{{literal}} {epoch}", v), "{literal} 3");
}

TEST(PythonFormatTest, ErrorsNameThePattern) {
  std::map<std::string, FormatValue> v = {{"epoch", {1, true}}, {"loss", {0.5, false}}};
  EXPECT_THROW_ALL(python_format("m-{val_auc:.2f}.keras", v), ValueError, "'val_auc'");
  EXPECT_THROW(python_format("{loss:d}", v), ValueError);  // Python: Unknown format code 'd'
  EXPECT_THROW(python_format("{epoch", v), ValueError);
  EXPECT_THROW(python_format("epoch}", v), ValueError);
  EXPECT_THROW(python_format("{epoch:.f}", v), ValueError);
  EXPECT_THROW(python_format("{epoch:q}", v), ValueError);
  EXPECT_THROW(python_format("{epoch:.3}", v), ValueError);  // Python: precision not allowed
}

}  // namespace
}  // namespace keras::callbacks::detail
