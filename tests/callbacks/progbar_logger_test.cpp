// ProgbarLogger's line formats (Keras's keras/src/utils/progbar.py).
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "callbacks/callback_testing.hpp"
#include "keras/callbacks/history.hpp"

namespace keras::callbacks {
namespace {

TEST(ProgbarLoggerTest, VerboseTwoPrintsOneLinePerEpoch) {
  std::ostringstream out;
  ProgbarLogger bar(&out);
  bar.set_params(Params{.epochs = 2, .steps = 12, .verbose = 2});
  bar.on_train_begin(logs_ref({}));
  bar.on_epoch_begin(0, logs_ref({}));
  for (int64_t b = 0; b < 12; ++b) bar.on_train_batch_end(b, logs_ref({{"loss", 1.0}}));
  bar.on_epoch_end(0, logs_ref({{"loss", 0.5}, {"accuracy", 0.25}, {"val_loss", 0.00001}}));
  std::regex want(
      "Epoch 1/2\n12/12 - [0-9]+s - [0-9]+(us|ms|s)/step - accuracy: 0\\.2500 - loss: 0\\.5000 - "
      "val_loss: 1\\.0000e-05\n");
  EXPECT_TRUE(std::regex_match(out.str(), want)) << out.str();
}

TEST(ProgbarLoggerTest, VerboseOneOffTerminalPrintsTheFinalBar) {
  std::ostringstream out;
  ProgbarLogger bar(&out);
  bar.set_params(Params{.epochs = 1, .steps = 3, .verbose = 1});
  bar.on_train_begin(logs_ref({}));
  bar.on_epoch_begin(0, logs_ref({}));
  for (int64_t b = 0; b < 3; ++b) bar.on_train_batch_end(b, logs_ref({{"loss", 2.0}}));
  bar.on_epoch_end(0, logs_ref({{"loss", 2.0}}));
  std::regex want("3/3 (━){20} [0-9]+s [0-9]+(us|ms|s)/step - loss: 2\\.0000\n");
  EXPECT_TRUE(std::regex_match(out.str(), want)) << out.str();
}

}  // namespace
}  // namespace keras::callbacks
