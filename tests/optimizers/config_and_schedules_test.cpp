// get_config / from_config / get / serialize in Keras's keys and order, and the learning-rate
// schedules against their closed forms.
#include <cmath>
#include <numbers>

#include "optimizers/optimizer_testing.hpp"

namespace keras {
namespace {

using namespace optimizer_testing;
namespace schedules = optimizers::schedules;

class OptimizerConfigTest : public testing::BackendTest {};

TEST_P(OptimizerConfigTest, AdamConfigMatchesKeras) {
  optimizers::Adam adam({.name = "adam"});
  EXPECT_EQ(adam.get_config().dump(),
            R"({"name":"adam","learning_rate":0.0010000000474974513,"weight_decay":null,)"
            R"("clipnorm":null,"global_clipnorm":null,"clipvalue":null,"use_ema":false,)"
            R"("ema_momentum":0.99,"ema_overwrite_frequency":null,"loss_scale_factor":null,)"
            R"("gradient_accumulation_steps":null,"beta_1":0.9,"beta_2":0.999,"epsilon":1e-07,)"
            R"("amsgrad":false})");
  Config env = optimizers::serialize(adam);
  EXPECT_EQ(env["module"], "keras.optimizers");
  EXPECT_EQ(env["class_name"], "Adam");
  EXPECT_TRUE(env["registered_name"].is_null());
}

TEST_P(OptimizerConfigTest, DefaultNames) {
  auto prefix_ok = [](const std::string& name, const std::string& prefix) {
    return name == prefix || name.rfind(prefix + "_", 0) == 0;
  };
  EXPECT_TRUE(prefix_ok(optimizers::Adam().name(), "adam"));
  EXPECT_TRUE(prefix_ok(optimizers::AdamW().name(), "adam_w"));
  EXPECT_TRUE(prefix_ok(optimizers::RMSprop().name(), "rm_sprop"));
  EXPECT_TRUE(prefix_ok(optimizers::SGD().name(), "sgd"));
  std::string first = optimizers::Lion().name(), second = optimizers::Lion().name();
  EXPECT_NE(first, second);  // unique, like Keras's auto_name
}

TEST_P(OptimizerConfigTest, RoundTripEveryOptimizer) {
  for (const char* id : {"sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax",
                         "nadam", "ftrl", "lion", "lamb", "adafactor"}) {
    auto opt = optimizers::get(id);
    Config config = opt->get_config();
    auto again = optimizers::deserialize(optimizers::serialize(*opt));
    EXPECT_EQ(again->get_config(), config) << id;
    EXPECT_EQ(again->class_name(), opt->class_name());
  }
  EXPECT_EQ(optimizers::get("ADAM")->class_name(), "Adam");
  EXPECT_EQ(optimizers::get("RMSprop")->class_name(), "RMSprop");
}

TEST_P(OptimizerConfigTest, FromConfigWithOptionsAndSchedule) {
  optimizers::SGD sgd({.learning_rate = schedules::CosineDecay({.initial_learning_rate = 0.1,
                                                                .decay_steps = 100,
                                                                .warmup_target = 0.2,
                                                                .warmup_steps = 10}),
                       .momentum = 0.9,
                       .nesterov = true,
                       .clipnorm = 1.0,
                       .use_ema = true,
                       .gradient_accumulation_steps = 4,
                       .name = "my_sgd"});
  Config config = sgd.get_config();
  EXPECT_EQ(config["learning_rate"].dump(),
            R"({"module":"keras.optimizers.schedules","class_name":"CosineDecay","config":)"
            R"({"initial_learning_rate":0.1,"decay_steps":100,"alpha":0.0,"name":"CosineDecay",)"
            R"("warmup_target":0.2,"warmup_steps":10},"registered_name":null})");
  EXPECT_EQ(config["gradient_accumulation_steps"], 4);
  auto back = optimizers::deserialize(
      {{"class_name", "SGD"}, {"config", config}, {"module", "keras.optimizers"}});
  EXPECT_EQ(back->get_config(), config);
  EXPECT_TRUE(back->learning_rate_schedule() != nullptr);
  // Keras's legacy "decay" key is ignored; unknown keys are an error naming the class.
  Config with_decay = config;
  with_decay["decay"] = 0.1;
  EXPECT_NO_THROW(optimizers::SGD::from_config(with_decay));
  Config bad = config;
  bad["betta"] = 1;
  try {
    optimizers::SGD::from_config(bad);
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("SGD.from_config: argument(s) not recognized: betta"),
              std::string::npos);
  }
}

TEST_P(OptimizerConfigTest, UnknownNameListsKnownOnes) {
  try {
    optimizers::get("adamm");
    FAIL();
  } catch (const ValueError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("Unknown optimizer 'adamm'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Adam"), std::string::npos) << msg;
    EXPECT_NE(msg.find("RMSprop"), std::string::npos) << msg;
  }
}

double at(const schedules::LearningRateSchedule& s, int step) {
  return s(ops::cast(Tensor(step), int32)).item<double>();
}

TEST_P(OptimizerConfigTest, ExponentialAndInverseTimeDecay) {
  schedules::ExponentialDecay e(
      {.initial_learning_rate = 0.1, .decay_steps = 10, .decay_rate = 0.5});
  schedules::ExponentialDecay es(
      {.initial_learning_rate = 0.1, .decay_steps = 10, .decay_rate = 0.5, .staircase = true});
  schedules::InverseTimeDecay it(
      {.initial_learning_rate = 0.1, .decay_steps = 10, .decay_rate = 0.5});
  schedules::InverseTimeDecay its(
      {.initial_learning_rate = 0.1, .decay_steps = 10, .decay_rate = 0.5, .staircase = true});
  for (int step : {0, 1, 7, 10, 25, 100}) {
    EXPECT_NEAR(at(e, step), 0.1 * std::pow(0.5, step / 10.0), 1e-7) << step;
    EXPECT_NEAR(at(es, step), 0.1 * std::pow(0.5, std::floor(step / 10.0)), 1e-7) << step;
    EXPECT_NEAR(at(it, step), 0.1 / (1 + 0.5 * step / 10.0), 1e-7) << step;
    EXPECT_NEAR(at(its, step), 0.1 / (1 + 0.5 * std::floor(step / 10.0)), 1e-7) << step;
  }
  EXPECT_THROW(schedules::ExponentialDecay({.decay_steps = 0}), ValueError);
}

TEST_P(OptimizerConfigTest, PiecewiseConstantDecay) {
  schedules::PiecewiseConstantDecay p({.boundaries = {10, 20}, .values = {1.0, 0.5, 0.1}});
  for (auto [step, want] : std::vector<std::pair<int, double>>{
           {0, 1.0}, {10, 1.0}, {11, 0.5}, {20, 0.5}, {21, 0.1}, {1000, 0.1}})
    EXPECT_NEAR(at(p, step), want, 1e-7) << step;
  EXPECT_THROW(schedules::PiecewiseConstantDecay({.boundaries = {1}, .values = {1.0}}), ValueError);
}

TEST_P(OptimizerConfigTest, PolynomialDecay) {
  schedules::PolynomialDecay p(
      {.initial_learning_rate = 0.1, .decay_steps = 10, .end_learning_rate = 0.01, .power = 0.5});
  schedules::PolynomialDecay pc({.initial_learning_rate = 0.1, .decay_steps = 10, .cycle = true});
  for (int step : {0, 3, 10, 15, 25}) {
    double s = std::min(step, 10);
    EXPECT_NEAR(at(p, step), 0.09 * std::pow(1 - s / 10.0, 0.5) + 0.01, 1e-7) << step;
    double ds = step == 0 ? 10.0 : 10.0 * std::ceil(step / 10.0);
    EXPECT_NEAR(at(pc, step), (0.1 - 0.0001) * (1 - step / ds) + 0.0001, 1e-7) << step;
  }
}

TEST_P(OptimizerConfigTest, CosineDecay) {
  const double pi = std::numbers::pi;
  schedules::CosineDecay c({.initial_learning_rate = 0.1, .decay_steps = 20, .alpha = 0.1});
  schedules::CosineDecay w(
      {.initial_learning_rate = 0.0, .decay_steps = 20, .warmup_target = 0.2, .warmup_steps = 10});
  for (int step : {0, 5, 10, 20, 29, 30, 50}) {
    double s = std::min(step, 20);
    EXPECT_NEAR(at(c, step), 0.1 * (0.9 * 0.5 * (1 + std::cos(pi * s / 20)) + 0.1), 1e-7) << step;
    double ws = std::min(step, 30);
    double want = ws < 10 ? 0.2 * ws / 10 : 0.2 * 0.5 * (1 + std::cos(pi * (ws - 10) / 20));
    EXPECT_NEAR(at(w, step), want, 1e-7) << step;
  }
}

TEST_P(OptimizerConfigTest, CosineDecayRestarts) {
  const double pi = std::numbers::pi;
  schedules::CosineDecayRestarts r(
      {.initial_learning_rate = 0.1, .first_decay_steps = 10, .m_mul = 0.5, .alpha = 0.0});
  schedules::CosineDecayRestarts r1(
      {.initial_learning_rate = 0.1, .first_decay_steps = 10, .t_mul = 1.0});
  for (int step : {0, 4, 9, 10, 15, 29, 30, 50}) {
    // t_mul = 2: periods of 10, 20, 40 steps starting at 0, 10, 30.
    double start = 0, len = 10, i = 0;
    while (step >= start + len) {
      start += len;
      len *= 2;
      ++i;
    }
    double frac = (step - start) / len;
    EXPECT_NEAR(at(r, step), 0.1 * std::pow(0.5, i) * 0.5 * (1 + std::cos(pi * frac)), 1e-6)
        << step;
    double frac1 = step / 10.0 - std::floor(step / 10.0);
    EXPECT_NEAR(at(r1, step), 0.1 * 0.5 * (1 + std::cos(pi * frac1)), 1e-6) << step;
  }
}

TEST_P(OptimizerConfigTest, ScheduleSerialization) {
  std::vector<std::shared_ptr<schedules::LearningRateSchedule>> all = {
      std::make_shared<schedules::ExponentialDecay>(schedules::ExponentialDecayOptions{
          .initial_learning_rate = 0.1, .decay_steps = 5, .decay_rate = 0.9}),
      std::make_shared<schedules::PiecewiseConstantDecay>(
          schedules::PiecewiseConstantDecayOptions{.boundaries = {3}, .values = {0.1, 0.01}}),
      std::make_shared<schedules::PolynomialDecay>(
          schedules::PolynomialDecayOptions{.initial_learning_rate = 0.1, .decay_steps = 5}),
      std::make_shared<schedules::InverseTimeDecay>(schedules::InverseTimeDecayOptions{
          .initial_learning_rate = 0.1, .decay_steps = 5, .decay_rate = 0.5}),
      std::make_shared<schedules::CosineDecay>(
          schedules::CosineDecayOptions{.initial_learning_rate = 0.1, .decay_steps = 5}),
      std::make_shared<schedules::CosineDecayRestarts>(schedules::CosineDecayRestartsOptions{
          .initial_learning_rate = 0.1, .first_decay_steps = 5})};
  for (const auto& s : all) {
    Config env = schedules::serialize(*s);
    EXPECT_EQ(env["module"], "keras.optimizers.schedules");
    auto back = schedules::deserialize(env);
    EXPECT_EQ(back->get_config(), s->get_config()) << env.dump();
    EXPECT_NEAR(at(*back, 7), at(*s, 7), 1e-9);
  }
  EXPECT_EQ(schedules::ExponentialDecay(
                {.initial_learning_rate = 0.1, .decay_steps = 5, .decay_rate = 0.9})
                .get_config()
                .dump(),
            R"({"initial_learning_rate":0.1,"decay_steps":5,"decay_rate":0.9,"staircase":false,)"
            R"("name":"ExponentialDecay"})");
}

KERAS_INSTANTIATE_BACKEND_TEST(OptimizerConfigTest);

}  // namespace
}  // namespace keras
