// CSVLogger: the file's header and rows (Keras's column order, Python's float text, "NA",
// "\r\n"), appending, separators and bad options; on every backend.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "callbacks/callback_testing.hpp"
#include "callbacks/python_format.hpp"

namespace keras {
namespace {

using callbacks::CSVLogger;
using callbacks::detail::python_float;

class CSVLoggerTest : public testing::CallbackTest {
 protected:
  void SetUp() override {
    CallbackTest::SetUp();
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    test = test.substr(0, test.find('/'));  // "Name/cpu"
    path_ = ::testing::TempDir() + "keras_csv_logger_" + std::to_string(::getpid()) + "_" +
            backend_name() + "_" + test + ".csv";
    std::remove(path_.c_str());
  }
  void TearDown() override {
    std::remove(path_.c_str());
    CallbackTest::TearDown();
  }
  std::string read() const {
    std::ifstream in(path_, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string path_;
};

TEST_P(CSVLoggerTest, WritesSortedKeysAndValidationColumns) {
  auto model = make_model(0.01, {"mae"});
  auto csv = std::make_shared<CSVLogger>(path_);
  History h = model.fit(xs(), ys(),
                        {.batch_size = 8,
                         .epochs = 2,
                         .verbose = 0,
                         .callbacks = {csv},
                         .validation_data = std::make_pair(std::vector{xs()}, std::vector{ys()})});
  auto& hh = h.history;
  std::string expected = "epoch,loss,mae,val_loss,val_mae\r\n";
  for (int e = 0; e < 2; ++e)
    expected += std::to_string(e) + "," + python_float(hh["loss"][e]) + "," +
                python_float(hh["mae"][e]) + "," + python_float(hh["val_loss"][e]) + "," +
                python_float(hh["val_mae"][e]) + "\r\n";
  EXPECT_EQ(read(), expected);
}

TEST_P(CSVLoggerTest, NoValidationWritesNA) {
  auto model = make_model(0.01);
  auto csv =
      std::make_shared<CSVLogger>(callbacks::CSVLoggerOptions{.filename = path_, .separator = ";"});
  History h =
      model.fit(xs(), ys(), {.batch_size = 8, .epochs = 2, .verbose = 0, .callbacks = {csv}});
  EXPECT_EQ(read(), "epoch;loss;val_loss\r\n0;" + python_float(h.history["loss"][0]) + ";NA\r\n1;" +
                        python_float(h.history["loss"][1]) + ";NA\r\n");
}

TEST_P(CSVLoggerTest, FlushesEveryEpochAndAppends) {
  auto model = make_model(0.01);
  std::vector<std::string> seen;
  auto csv = std::make_shared<CSVLogger>(path_, ",", true);
  auto peek = std::make_shared<callbacks::LambdaCallback>(callbacks::LambdaCallbackOptions{
      .on_epoch_end = [&](int, Logs&) { seen.push_back(read()); }});
  History h1 =
      model.fit(xs(), ys(), {.batch_size = 8, .epochs = 2, .verbose = 0, .callbacks = {csv, peek}});
  ASSERT_EQ(seen.size(), 2u);
  std::string row0 = "0," + python_float(h1.history["loss"][0]) + ",NA\r\n";
  std::string row1 = "1," + python_float(h1.history["loss"][1]) + ",NA\r\n";
  EXPECT_EQ(seen[0], "epoch,loss,val_loss\r\n" + row0);
  EXPECT_EQ(seen[1], "epoch,loss,val_loss\r\n" + row0 + row1);
  // A second fit appends rows without a second header.
  History h2 =
      model.fit(xs(), ys(), {.batch_size = 8, .epochs = 1, .verbose = 0, .callbacks = {csv}});
  EXPECT_EQ(read(), "epoch,loss,val_loss\r\n" + row0 + row1 + "0," +
                        python_float(h2.history["loss"][0]) + ",NA\r\n");
  // Without append the file starts over.
  auto fresh = std::make_shared<CSVLogger>(path_);
  History h3 =
      model.fit(xs(), ys(), {.batch_size = 8, .epochs = 1, .verbose = 0, .callbacks = {fresh}});
  EXPECT_EQ(read(), "epoch,loss,val_loss\r\n0," + python_float(h3.history["loss"][0]) + ",NA\r\n");
}

TEST_P(CSVLoggerTest, QuotesKeysHoldingTheSeparator) {
  CSVLogger csv(path_);
  csv.on_train_begin(logs_ref({}));
  csv.on_epoch_end(0, logs_ref({{"a,b", 0.5}, {"val_c\"d", 1e-07}}));
  csv.on_epoch_end(1, logs_ref({{"a,b", 2.0}}));
  csv.on_train_end(logs_ref({}));
  EXPECT_EQ(read(), "epoch,\"a,b\",\"val_c\"\"d\"\r\n0,0.5,1e-07\r\n1,2.0,NA\r\n");
}

TEST_P(CSVLoggerTest, BadOptions) {
  auto expect_error = [](callbacks::CSVLoggerOptions o, const std::string& arg) {
    EXPECT_THROW_ALL(CSVLogger c(o), ValueError, "CSVLogger", arg);
  };
  expect_error({.filename = ""}, "`filename`");
  expect_error({.filename = "x.csv", .separator = ", "}, "`separator`");
  expect_error({.filename = "x.csv", .separator = ""}, "`separator`");
  expect_error({.filename = "x.csv", .separator = "\""}, "`separator`");
  CSVLogger unwritable("/nonexistent-dir/x/log.csv");
  EXPECT_THROW(unwritable.on_train_begin(logs_ref({})), OSError);
}

KERAS_INSTANTIATE_BACKEND_TEST(CSVLoggerTest);

TEST(PythonFloatTest, MatchesPythonRepr) {
  EXPECT_EQ(python_float(0.1), "0.1");
  EXPECT_EQ(python_float(2.0), "2.0");
  EXPECT_EQ(python_float(-1234.5), "-1234.5");
  EXPECT_EQ(python_float(1e-05), "1e-05");
  EXPECT_EQ(python_float(0.0001), "0.0001");
  EXPECT_EQ(python_float(0.00015), "0.00015");
  EXPECT_EQ(python_float(1.5e-05), "1.5e-05");
  EXPECT_EQ(python_float(1e16), "1e+16");
  EXPECT_EQ(python_float(1234567890123456.0), "1234567890123456.0");
  EXPECT_EQ(python_float(123456789012345680.0), "1.2345678901234568e+17");
  EXPECT_EQ(python_float(static_cast<double>(0.01f)), "0.009999999776482582");
  EXPECT_EQ(python_float(1e300 * 10), "1e+301");
  EXPECT_EQ(python_float(0.0), "0.0");
  EXPECT_EQ(python_float(-0.0), "-0.0");
  EXPECT_EQ(python_float(std::nan("")), "nan");
  EXPECT_EQ(python_float(-HUGE_VAL), "-inf");
  EXPECT_EQ(python_float(HUGE_VAL), "inf");
}

}  // namespace
}  // namespace keras
