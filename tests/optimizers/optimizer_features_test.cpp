// Base-optimizer behaviour: clipping, weight decay, EMA, gradient accumulation, loss scaling,
// variable layout (file-format §5.4), aliasing copies, stateless_apply, tapes and errors.
#include <regex>

#include "keras/autodiff/gradient_tape.hpp"
#include "optimizers/optimizer_testing.hpp"

namespace keras {
namespace {

using namespace optimizer_testing;

class OptimizerFeaturesTest : public testing::BackendTest {};

TEST_P(OptimizerFeaturesTest, ClipNorm) {
  optimizers::SGD opt({.learning_rate = 0.1, .clipnorm = 0.5});
  run_and_compare(opt, {.update = [](size_t, Vec& w, const Vec& g, int) {
                    double n = 0;
                    for (double e : g) n += e * e;
                    n = std::sqrt(n);
                    for (size_t i = 0; i < w.size(); ++i)
                      w[i] -= 0.1 * g[i] * 0.5 / std::max(n, 0.5);
                  }});
}

TEST_P(OptimizerFeaturesTest, ClipValue) {
  optimizers::SGD opt({.learning_rate = 0.1, .clipvalue = 0.3});
  run_and_compare(opt, {.update = [](size_t, Vec& w, const Vec& g, int) {
                    for (size_t i = 0; i < w.size(); ++i) w[i] -= 0.1 * std::clamp(g[i], -0.3, 0.3);
                  }});
}

TEST_P(OptimizerFeaturesTest, GlobalClipNorm) {
  // The global norm couples the variables, so the reference gathers both gradients first.
  optimizers::SGD opt({.learning_rate = 0.1, .global_clipnorm = 1.0});
  Problem p;
  auto vars = p.make_variables();
  std::vector<Vec> w = p.init;
  for (int t = 0; t < 4; ++t) {
    std::vector<Vec> g = {Problem::grad(w[0], 0), Problem::grad(w[1], 1)};
    std::vector<Tensor> grads = {tensor(Problem::grad(values(vars[0].value()), 0), p.shapes[0]),
                                 tensor(Problem::grad(values(vars[1].value()), 1), p.shapes[1])};
    opt.apply(grads, vars);
    double n = 0;
    for (auto& gk : g)
      for (double e : gk) n += e * e;
    n = std::sqrt(n);
    double scale = 1.0 * std::min(1.0 / n, 1.0 / 1.0);
    for (size_t k = 0; k < 2; ++k)
      for (size_t i = 0; i < w[k].size(); ++i) w[k][i] -= 0.1 * g[k][i] * scale;
    for (size_t k = 0; k < 2; ++k)
      expect_near_vec(values(vars[k].value()), w[k], 1e-5, 1e-6, "global");
  }
}

TEST_P(OptimizerFeaturesTest, OnlyOneClipArgument) {
  try {
    optimizers::SGD({.clipnorm = 1.0, .clipvalue = 1.0});
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("only one of `clipnorm`, `clipvalue`"), std::string::npos);
  }
}

TEST_P(OptimizerFeaturesTest, WeightDecayWithExclusion) {
  optimizers::SGD opt({.learning_rate = 0.1, .weight_decay = 0.5});
  opt.exclude_from_weight_decay({}, {"bia"});  // regex search in the name: excludes "bias"
  run_and_compare(opt, {.update = [](size_t k, Vec& w, const Vec& g, int) {
                    for (size_t i = 0; i < w.size(); ++i) {
                      if (k == 1) w[i] -= w[i] * 0.5 * 0.1;
                      w[i] -= 0.1 * g[i];
                    }
                  }});
  EXPECT_THROW(opt.exclude_from_weight_decay({}, {"x"}), ValueError);
}

TEST_P(OptimizerFeaturesTest, WeightDecayExcludeByVariable) {
  optimizers::SGD opt({.learning_rate = 0.1, .weight_decay = 0.5});
  Problem p;
  auto vars = p.make_variables();
  opt.exclude_from_weight_decay({vars[1]});
  std::vector<Tensor> zero = {ops::zeros({3}), ops::zeros({2, 2})};
  opt.apply(zero, vars);
  expect_near_vec(values(vars[0].value()), {0.95, -1.9, 0.475}, 1e-6, 1e-7, "decayed");
  expect_near_vec(values(vars[1].value()), p.init[1], 1e-6, 1e-7, "excluded");
}

TEST_P(OptimizerFeaturesTest, LossScaleFactor) {
  optimizers::SGD opt({.learning_rate = 0.1, .loss_scale_factor = 4.0});
  EXPECT_FLOAT_EQ(opt.scale_loss(Tensor(2.0f)).item<float>(), 8.0f);
  run_and_compare(opt, {.update = [](size_t, Vec& w, const Vec& g, int) {
                    for (size_t i = 0; i < w.size(); ++i) w[i] -= 0.1 * g[i] / 4.0;
                  }});
}

TEST_P(OptimizerFeaturesTest, EmaAndFinalize) {
  optimizers::SGD opt({.learning_rate = 0.1, .use_ema = true, .ema_momentum = 0.9});
  auto avg = std::make_shared<std::vector<Vec>>(2);
  Problem p;
  run_and_compare(opt,
                  {.update =
                       [avg](size_t k, Vec& w, const Vec& g, int t) {
                         for (size_t i = 0; i < w.size(); ++i) w[i] -= 0.1 * g[i];
                         Vec& a = (*avg)[k];
                         if (t == 0)
                           a = w;  // first step: the average starts at the value
                         else
                           for (size_t i = 0; i < w.size(); ++i) a[i] = 0.9 * a[i] + 0.1 * w[i];
                       }},
                  4);
  // run_and_compare made its own variables; the averages are variables 2 and 3.
  auto ov = opt.variables();
  ASSERT_EQ(ov.size(), 4u);
  EXPECT_EQ(ov[2].name(), "dense_bias_average");
  expect_near_vec(values(ov[2].value()), (*avg)[0], 2e-5, 2e-6, "average 0");
  expect_near_vec(values(ov[3].value()), (*avg)[1], 2e-5, 2e-6, "average 1");
  Variable target(ops::zeros({3}));
  Variable target2(ops::zeros({2, 2}));
  opt.finalize_variable_values({target, target2});
  expect_near_vec(values(target.value()), (*avg)[0], 2e-5, 2e-6, "finalized");
}

TEST_P(OptimizerFeaturesTest, EmaOverwriteFrequency) {
  optimizers::SGD opt(
      {.learning_rate = 0.1, .use_ema = true, .ema_momentum = 0.5, .ema_overwrite_frequency = 2});
  Variable w(ops::convert_to_tensor(std::vector<float>{1.0f}));
  Tensor g = ops::convert_to_tensor(std::vector<float>{1.0f});
  opt.apply({g}, {w});  // w = 0.9, avg = 0.9
  EXPECT_NEAR(w.value().item<double>(), 0.9, 1e-6);
  opt.apply({g}, {w});  // w = 0.8, avg = 0.85, then (1 + 1) % 2 == 0: w = avg
  EXPECT_NEAR(w.value().item<double>(), 0.85, 1e-6);
}

TEST_P(OptimizerFeaturesTest, GradientAccumulation) {
  optimizers::Adam opt({.learning_rate = 0.1, .gradient_accumulation_steps = 2});
  Variable w(ops::convert_to_tensor(std::vector<float>{1.0f, 2.0f}));
  opt.apply({ops::convert_to_tensor(std::vector<float>{1.0f, -2.0f})}, {w});
  expect_near_vec(values(w.value()), {1.0, 2.0}, 0, 0, "no update on the first step");
  EXPECT_EQ(opt.iterations().item<int64_t>(), 0);
  auto ov = opt.variables();
  ASSERT_EQ(ov.size(), 5u);  // iteration, learning_rate, accumulator, momentum, velocity
  EXPECT_EQ(ov[2].name(), "variable_gradient_accumulator");
  expect_near_vec(values(ov[2].value()), {1.0, -2.0}, 0, 0, "accumulated");
  opt.apply({ops::convert_to_tensor(std::vector<float>{3.0f, 0.0f})}, {w});
  // Averaged gradient (2, -1); Adam's first step moves each weight by ~lr * sign(g).
  Vec g = {2.0, -1.0}, expected(2);
  double alpha = 0.1 * std::sqrt(1 - 0.999) / (1 - 0.9);
  for (int i = 0; i < 2; ++i) {
    double m = g[i] * 0.1, v = g[i] * g[i] * 0.001;
    expected[i] = (i == 0 ? 1.0 : 2.0) - m * alpha / (std::sqrt(v) + 1e-7);
  }
  expect_near_vec(values(w.value()), expected, 1e-5, 1e-6, "update");
  expect_near_vec(values(ov[2].value()), {0.0, 0.0}, 0, 0, "reset");
  EXPECT_EQ(opt.iterations().item<int64_t>(), 1);
  EXPECT_EQ(opt.iterations_variable().value().item<int64_t>(), 2);
  EXPECT_THROW(optimizers::SGD({.gradient_accumulation_steps = 1}), ValueError);
}

TEST_P(OptimizerFeaturesTest, VariableLayout) {
  Problem p;
  auto names = [](const optimizers::Optimizer& o) {
    std::vector<std::string> out;
    for (const Variable& v : o.variables()) out.push_back(v.name());
    return out;
  };
  auto build = [&](optimizers::Optimizer& o) {
    o.build(p.make_variables());
    return names(o);
  };
  using S = std::vector<std::string>;
  optimizers::Adam adam({.amsgrad = true});
  EXPECT_EQ(build(adam), (S{"iteration", "learning_rate", "dense_bias_momentum",
                            "dense_bias_velocity", "dense_kernel_momentum", "dense_kernel_velocity",
                            "dense_bias_velocity_hat", "dense_kernel_velocity_hat"}));
  EXPECT_EQ(adam.variables()[0].dtype(), int32);
  EXPECT_EQ(adam.variables()[1].dtype(), float32);
  EXPECT_EQ(adam.variables()[0].path(), adam.name() + "/iteration");
  optimizers::RMSprop rms({.momentum = 0.9, .centered = true});
  EXPECT_EQ(build(rms), (S{"iteration", "learning_rate", "dense_bias_velocity",
                           "dense_kernel_velocity", "dense_bias_momentum", "dense_kernel_momentum",
                           "dense_bias_average_gradient", "dense_kernel_average_gradient"}));
  optimizers::SGD sgd;
  EXPECT_EQ(build(sgd), (S{"iteration", "learning_rate"}));
  optimizers::Nadam nadam;
  EXPECT_EQ(build(nadam).size(), 7u);
  EXPECT_EQ(nadam.variables()[6].shape(), Shape{});
  optimizers::Adafactor adafactor;
  EXPECT_EQ(build(adafactor),
            (S{"iteration", "learning_rate", "bias", "bias", "dense_bias_velocity", "kernel",
               "kernel", "dense_kernel_velocity"}));
  EXPECT_EQ(adafactor.variables()[5].shape(), Shape{2});
  optimizers::Ftrl ftrl;
  EXPECT_EQ(build(ftrl),
            (S{"iteration", "learning_rate", "dense_bias_accumulator", "dense_bias_linear",
               "dense_kernel_accumulator", "dense_kernel_linear"}));
  expect_near_vec(values(ftrl.variables()[2].value()), {0.1, 0.1, 0.1}, 1e-7, 0, "init");
  optimizers::Adamax adamax({.use_ema = true, .gradient_accumulation_steps = 2});
  EXPECT_EQ(build(adamax), (S{"iteration", "learning_rate", "dense_bias_average",
                              "dense_kernel_average", "dense_bias_gradient_accumulator",
                              "dense_kernel_gradient_accumulator", "dense_bias_momentum",
                              "dense_bias_norm", "dense_kernel_momentum", "dense_kernel_norm"}));
  optimizers::SGD scheduled(
      {.learning_rate = optimizers::schedules::ExponentialDecay(
           {.initial_learning_rate = 0.1, .decay_steps = 10, .decay_rate = 0.5})});
  EXPECT_EQ(build(scheduled), (S{"iteration"}));
}

TEST_P(OptimizerFeaturesTest, CopiesAliasState) {
  optimizers::Adam a;
  std::shared_ptr<optimizers::Optimizer> b = std::make_shared<optimizers::Adam>(a);
  Problem p;
  auto vars = p.make_variables();
  b->apply({ops::ones({3}), ops::ones({2, 2})}, vars);
  EXPECT_TRUE(a.built());
  EXPECT_EQ(a.iterations().item<int64_t>(), 1);
  a.apply({ops::ones({3}), ops::ones({2, 2})}, vars);
  EXPECT_EQ(b->iterations().item<int64_t>(), 2);
  EXPECT_EQ(a.variables().size(), 6u);
}

TEST_P(OptimizerFeaturesTest, LearningRateAndSchedule) {
  optimizers::SGD opt({.learning_rate = 0.5});
  EXPECT_FLOAT_EQ(opt.learning_rate().item<float>(), 0.5f);
  opt.set_learning_rate(0.25);
  EXPECT_FLOAT_EQ(opt.learning_rate().item<float>(), 0.25f);
  optimizers::SGD sched({.learning_rate = optimizers::schedules::PiecewiseConstantDecay(
                             {.boundaries = {1}, .values = {1.0, 0.5}})});
  Variable w(ops::convert_to_tensor(std::vector<float>{0.0f}));
  Tensor g = ops::convert_to_tensor(std::vector<float>{1.0f});
  sched.apply({g}, {w});  // step 0: lr 1
  sched.apply({g}, {w});  // step 1: lr 1 (step <= boundary)
  sched.apply({g}, {w});  // step 2: lr 0.5
  EXPECT_NEAR(w.value().item<double>(), -2.5, 1e-6);
  EXPECT_FLOAT_EQ(sched.learning_rate().item<float>(), 0.5f);
  EXPECT_THROW(sched.set_learning_rate(0.1), TypeError);
  opt.set_learning_rate(optimizers::schedules::ExponentialDecay(
      {.initial_learning_rate = 1.0, .decay_steps = 1, .decay_rate = 0.5}));
  EXPECT_EQ(opt.variables().size(), 1u);  // learning_rate untracked
}

TEST_P(OptimizerFeaturesTest, StatelessApplyMatchesApply) {
  Problem p;
  auto vars_a = p.make_variables();
  auto vars_b = p.make_variables();
  optimizers::Adam a({.learning_rate = 0.1});
  optimizers::Adam b({.learning_rate = 0.1});
  a.build(vars_a);
  b.build(vars_b);
  std::vector<Tensor> grads = {tensor({0.1, -0.2, 0.3}, {3}), tensor({1, 2, 3, 4}, {2, 2})};
  std::vector<Tensor> opt_values, train_values;
  for (const Variable& v : a.variables()) opt_values.push_back(v.value());
  for (const Variable& v : vars_a) train_values.push_back(v.value());
  auto [new_train, new_opt] = a.stateless_apply(opt_values, grads, train_values);
  b.apply(grads, vars_b);
  for (size_t k = 0; k < 2; ++k) {
    expect_near_vec(values(new_train[k]), values(vars_b[k].value()), 0, 0, "trainable");
    expect_near_vec(values(vars_a[k].value()), p.init[k], 1e-7, 0, "unchanged");
  }
  auto b_vars = b.variables();
  ASSERT_EQ(new_opt.size(), b_vars.size());
  for (size_t i = 0; i < new_opt.size(); ++i)
    expect_near_vec(values(new_opt[i]), values(b_vars[i].value()), 0, 0, "optimizer variable");
  EXPECT_EQ(a.iterations().item<int64_t>(), 0);
  EXPECT_THROW(a.stateless_apply({}, grads, train_values), ValueError);
  optimizers::Adam unbuilt;
  EXPECT_THROW(unbuilt.stateless_apply(opt_values, grads, train_values), ValueError);
}

TEST_P(OptimizerFeaturesTest, MinimizesWithGradientTape) {
  Variable w(ops::convert_to_tensor(std::vector<float>{5.0f, -3.0f}));
  Tensor target = ops::convert_to_tensor(std::vector<float>{1.0f, 2.0f});
  optimizers::Adam opt({.learning_rate = 0.1});
  for (int step = 0; step < 300; ++step) {
    GradientTape tape;
    Tensor loss = ops::sum(ops::square(w.value() - target));
    auto grads = tape.gradient(loss, std::vector<Variable>{w});
    opt.apply(grads, {w});  // with the tape still alive: the update must not be recorded
  }
  expect_near_vec(values(w.value()), {1.0, 2.0}, 0, 2e-2, "minimum");
}

TEST_P(OptimizerFeaturesTest, Errors) {
  Problem p;
  auto vars = p.make_variables();
  optimizers::SGD opt;
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(
      message([&] { opt.apply({ops::ones({3})}, vars); }).find("got 1 gradients for 2 variables"),
      std::string::npos);
  EXPECT_NE(message([&] {
              opt.apply({ops::ones({3}), ops::ones({4})}, vars);
            })
                .find("the gradient for variable 'dense/kernel' has shape (4,), the variable has "
                      "shape (2, 2)"),
            std::string::npos);
  EXPECT_NE(message([&] {
              opt.apply({Tensor(), Tensor()}, vars);
            }).find("no gradients provided for any variable"),
            std::string::npos);
  // A missing gradient skips its variable.
  opt.apply({Tensor(), ops::ones({2, 2})}, vars);
  expect_near_vec(values(vars[0].value()), p.init[0], 0, 0, "skipped");
  Variable other(ops::ones({3}));
  EXPECT_NE(message([&] { opt.apply({ops::ones({3})}, {other}); }).find("unknown variable"),
            std::string::npos);
  EXPECT_THROW(optimizers::AdamW({.weight_decay = std::nullopt}), ValueError);
  EXPECT_THROW(optimizers::SGD({.momentum = 1.5}), ValueError);
  EXPECT_THROW(optimizers::Lion({.beta_1 = 0.0}), ValueError);
  EXPECT_THROW(optimizers::Ftrl({.learning_rate_power = 0.5}), ValueError);
  EXPECT_THROW(optimizers::Adam({.use_ema = true, .ema_momentum = 2.0}), ValueError);
  // No gradients at all: a no-op that leaves the counter alone.
  int64_t before = opt.iterations().item<int64_t>();
  opt.apply({}, {});
  EXPECT_EQ(opt.iterations().item<int64_t>(), before);
}

KERAS_INSTANTIATE_BACKEND_TEST(OptimizerFeaturesTest);

}  // namespace
}  // namespace keras
