// A user-written train_step (through fit) and a user-written GradientTape loop train the same
// model, reach the known solution, and give the same weights on every built backend when started
// from the same weights (plain SGD, no shuffling, so the runs are deterministic).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keras/keras.hpp"
#include "models/custom_step_model.hpp"
#include "testing/backends.hpp"
#include "testing/fresh_session.hpp"
#include "testing/layer_harness.hpp"
#include "testing/run_mode.hpp"

namespace keras {
namespace {

namespace L = keras::layers;
using testing::CustomStep;
using testing::values_of;

// y = 3 x0 - 2 x1 + 1.
std::pair<Tensor, Tensor> linear_data() {
  Tensor x = random::uniform({128, 2}, {.minval = -1.0, .maxval = 1.0, .seed = 11});
  Tensor w = ops::convert_to_tensor(std::vector<float>{3.0f, -2.0f}, {2, 1});
  return {x, ops::add(ops::matmul(x, w), 1.0)};
}

// The Dense's (kernel, bias) after training with a custom train_step, from `init`.
std::vector<Tensor> train_with_custom_step(const std::vector<Tensor>& init, const Tensor& x,
                                           const Tensor& y, std::vector<double>* losses) {
  CustomStep model;
  model(ops::slice(x, {0, 0}, {1, 2}));  // builds
  model.set_weights(init);
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.2}), .loss = "mse"});
  History h = model.fit(x, y, {.batch_size = 16, .epochs = 15, .verbose = 0, .shuffle = false});
  // Eagerly the step's C++ runs once per batch; compiled (the default) only on the calls that run
  // it eagerly or trace it, as Python code in a Keras jit-compiled step.
  if (testing::steps_run_eagerly())
    EXPECT_EQ(model->steps, 15 * 8) << "fit did not run the custom train_step once per batch";
  else
    EXPECT_LT(model->steps, 5) << "fit did not compile the custom train_step";
  if (losses) *losses = h.history["loss"];
  return model.get_weights();
}

// The same with a GradientTape loop over full batches.
std::vector<Tensor> train_with_tape(const std::vector<Tensor>& init, const Tensor& x,
                                    const Tensor& y, std::vector<double>* losses) {
  auto model = Sequential({Input({2}), L::Dense({.units = 1})});
  model.set_weights(init);
  auto optimizer = optimizers::SGD({.learning_rate = 0.2});
  auto loss_fn = losses::MeanSquaredError();
  for (int step = 0; step < 120; ++step) {
    std::vector<Variable> vars = model.trainable_variables();
    std::vector<Tensor> grads;
    {
      GradientTape tape;
      Tensor loss = loss_fn(y, model(x, {.training = true}));
      grads = tape.gradient(loss, vars);
      if (losses) losses->push_back(loss.item<double>());
    }
    optimizer.apply(grads, vars);
  }
  return model.get_weights();
}

class TrainingLoopsTest : public testing::FreshSessionTest<5> {
 protected:
  // Starting weights far from the solution.
  static std::vector<Tensor> init_weights() {
    return {ops::convert_to_tensor(std::vector<float>{-1.0f, 1.0f}, {2, 1}),
            ops::convert_to_tensor(std::vector<float>{0.5f}, {1})};
  }
  static void expect_solution(const std::vector<Tensor>& w, const std::string& what) {
    ASSERT_EQ(w.size(), 2u) << what;
    std::vector<double> k = values_of(w[0]), b = values_of(w[1]);
    EXPECT_NEAR(k[0], 3.0, 0.1) << what << ": kernel[0]";
    EXPECT_NEAR(k[1], -2.0, 0.1) << what << ": kernel[1]";
    EXPECT_NEAR(b[0], 1.0, 0.1) << what << ": bias";
  }
  // Trains with `train` from init_weights() on linear_data(): `num_losses` losses recorded, the
  // last under 1e-3 of the first, the known solution reached, and the same weights on every
  // built backend.
  template <class Train>
  void expect_trains_everywhere(Train train, size_t num_losses, const std::string& what) {
    auto [x, y] = linear_data();
    std::vector<double> losses;
    std::vector<Tensor> w = train(init_weights(), x, y, &losses);
    ASSERT_EQ(losses.size(), num_losses) << what;
    EXPECT_LT(losses.back(), 1e-3 * losses.front()) << what;
    expect_solution(w, what);
    expect_same_on_every_backend(train, w, x, y);
  }
  // Runs `train` on every built backend from the same data and weights; each must match this
  // backend's result.
  template <class Train>
  void expect_same_on_every_backend(Train train, const std::vector<Tensor>& reference,
                                    const Tensor& x, const Tensor& y) {
    const std::string here = config::backend();
    for (const std::string& b : backend::available_backends()) {
      config::set_backend(b);
      try {
        std::vector<Tensor> init;
        for (const Tensor& t : init_weights()) init.push_back(ops::convert_to_tensor(t, b));
        std::vector<Tensor> w =
            train(init, ops::convert_to_tensor(x, b), ops::convert_to_tensor(y, b), nullptr);
        ASSERT_EQ(w.size(), reference.size());
        for (size_t i = 0; i < w.size(); ++i) {
          EXPECT_EQ(w[i].backend_name(), b);
          EXPECT_LE(testing::max_abs_diff(ops::convert_to_tensor(w[i], here), reference[i]), 1e-4)
              << "weight " << i << " on backend " << b << " differs from " << here;
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << "backend " << b << ": " << e.what();
      }
      config::set_backend(here);
    }
  }
};

TEST_P(TrainingLoopsTest, CustomTrainStepTrainsAndMatchesAcrossBackends) {
  expect_trains_everywhere(train_with_custom_step, 15, "custom train_step");
}

TEST_P(TrainingLoopsTest, GradientTapeLoopTrainsAndMatchesAcrossBackends) {
  expect_trains_everywhere(train_with_tape, 120, "GradientTape loop");
}

KERAS_INSTANTIATE_BACKEND_TEST(TrainingLoopsTest);

}  // namespace
}  // namespace keras
