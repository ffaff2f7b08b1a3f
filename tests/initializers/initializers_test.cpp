// keras::initializers on every backend: values, statistics, fans, seeds, configs and the registry.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "keras/initializers/initializers.hpp"
#include "keras/keras.hpp"
#include "keras/random/random.hpp"
#include "keras/serialization/object_registry.hpp"
#include "testing/backends.hpp"
#include "testing/expect_error.hpp"
#include "testing/statistics.hpp"

namespace keras {
namespace {

using testing::expect_throws_with;
using testing::Moments;
using testing::moments;

using namespace initializers;

class InitializersTest : public testing::BackendTest {};

TEST_P(InitializersTest, ConstantInitializers) {
  Tensor z = Zeros()({2, 3});
  EXPECT_EQ(z.shape(), Shape({2, 3}));
  EXPECT_EQ(z.dtype(), config::floatx());
  EXPECT_EQ(z.backend_name(), backend_name());
  EXPECT_EQ(z.to_vector<float>(), std::vector<float>(6, 0.0f));
  Tensor o = Ones()({4}, int32);
  EXPECT_EQ(o.dtype(), int32);
  EXPECT_EQ(o.to_vector<int32_t>(), std::vector<int32_t>(4, 1));
  EXPECT_EQ(Constant(2.5)({2, 2}).to_vector<float>(), std::vector<float>(4, 2.5f));
  EXPECT_EQ(Constant(2.5)({3}, float64).dtype(), float64);
  EXPECT_EQ(Constant(2.7)({2}, int32).to_vector<int32_t>(), std::vector<int32_t>(2, 2));
}

TEST_P(InitializersTest, IdentityIsTwoDimensionalOnly) {
  EXPECT_EQ(Identity()({2, 3}).to_vector<float>(), (std::vector<float>{1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(Identity(3.0)({2, 2}, float64).to_vector<double>(), (std::vector<double>{3, 0, 0, 3}));
  expect_throws_with(
      [] {
        Identity()({2, 2, 2});
      },
      "Identity matrix initializer can only be used for 2D matrices. Received: "
      "shape=(2, 2, 2) of rank 3.");
}

TEST(InitializerFans, ComputeFansFollowsKeras) {
  EXPECT_EQ(compute_fans({}), std::make_pair(int64_t{1}, int64_t{1}));
  EXPECT_EQ(compute_fans({7}), std::make_pair(int64_t{7}, int64_t{7}));
  EXPECT_EQ(compute_fans({784, 64}), std::make_pair(int64_t{784}, int64_t{64}));
  // Conv kernels (*spatial, in, out): each fan times the receptive field size.
  EXPECT_EQ(compute_fans({5, 8, 4}), std::make_pair(int64_t{40}, int64_t{20}));
  EXPECT_EQ(compute_fans({3, 3, 16, 32}), std::make_pair(int64_t{144}, int64_t{288}));
  EXPECT_EQ(compute_fans({2, 3, 3, 4, 6}), std::make_pair(int64_t{72}, int64_t{108}));
  // Explicit axes (EinsumDense-style kernels); negative axes count from the end.
  EXPECT_EQ(compute_fans({4, 5, 6}, std::vector<int64_t>{0, 1}, std::vector<int64_t>{-1}),
            std::make_pair(int64_t{20}, int64_t{6}));
  // Only one of the two given: the default rule.
  EXPECT_EQ(compute_fans({4, 5, 6}, std::vector<int64_t>{0}),
            std::make_pair(int64_t{20}, int64_t{24}));
  expect_throws_with(
      [] {
        compute_fans({4, 5}, std::vector<int64_t>{2}, std::vector<int64_t>{0});
      },
      "input_axes contains axis 2");
}

TEST_P(InitializersTest, RandomDistributionsStatistics) {
  Moments n = moments(RandomNormal({.mean = 1.0, .stddev = 2.0, .seed = 1})({200, 500}));
  EXPECT_NEAR(n.mean, 1.0, 0.03);
  EXPECT_NEAR(n.stddev, 2.0, 0.03);
  Moments u = moments(RandomUniform({.minval = -3.0, .maxval = 1.0, .seed = 2})({100000}));
  EXPECT_GE(u.min, -3.0);
  EXPECT_LT(u.max, 1.0);
  EXPECT_NEAR(u.mean, -1.0, 0.02);
  EXPECT_NEAR(u.stddev, 4.0 / std::sqrt(12.0), 0.02);
  Moments t = moments(TruncatedNormal({.mean = 0.5, .stddev = 0.1, .seed = 3})({100000}));
  EXPECT_GE(t.min, 0.5 - 0.2);
  EXPECT_LE(t.max, 0.5 + 0.2);
  EXPECT_NEAR(t.mean, 0.5, 0.003);
  EXPECT_NEAR(t.stddev, 0.1 * 0.87962566103423978, 0.002);
  // Defaults: stddev 0.05, [-0.05, 0.05).
  EXPECT_NEAR(moments(RandomNormal({.seed = 4})({100000})).stddev, 0.05, 0.001);
  Moments du = moments(RandomUniform({.seed = 5})({100000}));
  EXPECT_GE(du.min, -0.05);
  EXPECT_LT(du.max, 0.05);
  EXPECT_EQ(RandomNormal({.seed = 1})({3}, float64).dtype(), float64);
}

TEST_P(InitializersTest, VarianceScalingScales) {
  // Glorot uniform on a Dense kernel: limit sqrt(6 / (fan_in + fan_out)).
  double limit = std::sqrt(6.0 / 500.0);
  Moments g = moments(GlorotUniform({.seed = 1})({300, 200}));
  EXPECT_GE(g.min, -limit);
  EXPECT_LE(g.max, limit);
  EXPECT_GT(g.max, 0.99 * limit);
  EXPECT_NEAR(g.stddev, limit / std::sqrt(3.0), 0.002);
  // He normal on a conv kernel: fan_in = 3 * 3 * 64; the truncation correction makes the
  // samples' stddev sqrt(2 / fan_in).
  double he = std::sqrt(2.0 / 576.0);
  Moments h = moments(HeNormal({.seed = 2})({3, 3, 64, 128}));
  EXPECT_NEAR(h.stddev, he, 0.01 * he);
  EXPECT_LE(h.max, 2.0 * he / 0.87962566103423978 + 1e-6);
  // Lecun uniform: limit sqrt(3 / fan_in).
  Moments lu = moments(LecunUniform({.seed = 3})({400, 50}));
  EXPECT_LE(lu.max, std::sqrt(3.0 / 400.0));
  EXPECT_NEAR(lu.stddev, std::sqrt(1.0 / 400.0), 0.002 * 1.0);
  // Untruncated normal, fan_out, scale 2.
  Moments vs = moments(VarianceScaling(
      {.scale = 2.0, .mode = "fan_out", .distribution = "untruncated_normal", .seed = 4})(
      {100, 400}));
  EXPECT_NEAR(vs.stddev, std::sqrt(2.0 / 400.0), 0.002);
  // fan_avg with explicit axes.
  Moments ax = moments(VarianceScaling({.mode = "fan_avg",
                                        .distribution = "uniform",
                                        .seed = 5,
                                        .input_axes = std::vector<int64_t>{0},
                                        .output_axes = std::vector<int64_t>{1, 2}})({100, 20, 10}));
  EXPECT_LE(ax.max, std::sqrt(3.0 / 150.0));
  EXPECT_GT(ax.max, 0.99 * std::sqrt(3.0 / 150.0));
  // Presets on other shapes: GlorotNormal and LecunNormal and HeUniform.
  EXPECT_NEAR(moments(GlorotNormal({.seed = 6})({300, 300})).stddev, std::sqrt(1.0 / 300.0), 0.002);
  EXPECT_NEAR(moments(LecunNormal({.seed = 7})({300, 300})).stddev, std::sqrt(1.0 / 300.0), 0.002);
  EXPECT_LE(moments(HeUniform({.seed = 8})({600, 10})).max, std::sqrt(6.0 / 600.0));
}

TEST(VarianceScalingArguments, ValidatesLikeKeras) {
  expect_throws_with([] { VarianceScaling({.scale = 0.0}); },
                     "argument `scale` must be positive float");
  expect_throws_with([] { VarianceScaling({.mode = "fan"}); }, "invalid `mode` argument: 'fan'");
  expect_throws_with([] { VarianceScaling({.distribution = "gamma"}); },
                     "invalid `distribution` argument: 'gamma'");
  // "normal" means truncated normal; case does not matter.
  EXPECT_EQ(VarianceScaling({.distribution = "Normal"}).distribution(), "truncated_normal");
}

TEST_P(InitializersTest, SeedsFollowKerasSemantics) {
  // An integer seed: every call and every instance gives the same values.
  GlorotUniform a({.seed = 42});
  EXPECT_EQ(a({4, 5}).to_vector<float>(), a({4, 5}).to_vector<float>());
  EXPECT_EQ(a({4, 5}).to_vector<float>(), GlorotUniform({.seed = 42})({4, 5}).to_vector<float>());
  EXPECT_NE(a({4, 5}).to_vector<float>(), GlorotUniform({.seed = 43})({4, 5}).to_vector<float>());
  // No seed: one is picked at construction, so calls repeat but instances differ.
  RandomNormal b;
  EXPECT_EQ(b({16}).to_vector<float>(), b({16}).to_vector<float>());
  EXPECT_NE(b({16}).to_vector<float>(), RandomNormal()({16}).to_vector<float>());
  // ... and set_random_seed makes seedless instances reproducible.
  random::set_random_seed(7);
  auto first = GlorotUniform()({8, 8}).to_vector<float>();
  random::set_random_seed(7);
  EXPECT_EQ(GlorotUniform()({8, 8}).to_vector<float>(), first);
  // A SeedGenerator: each call draws a new seed; the sequence is reproducible.
  random::SeedGenerator gen(3);
  RandomUniform c({.seed = gen});
  auto c1 = c({16}).to_vector<float>();
  auto c2 = c({16}).to_vector<float>();
  EXPECT_NE(c1, c2);
  RandomUniform d({.seed = random::SeedGenerator(3)});
  EXPECT_EQ(d({16}).to_vector<float>(), c1);
  // Copies share the generator, as Python references would.
  RandomUniform e = d;
  EXPECT_EQ(e({16}).to_vector<float>(), c2);
}

void expect_orthonormal(const Tensor& q, int64_t rows, int64_t cols, double gain) {
  std::vector<double> v = q.to_vector<double>();
  bool by_cols = rows >= cols;
  int64_t n = by_cols ? cols : rows, len = by_cols ? rows : cols;
  for (int64_t a = 0; a < n; ++a)
    for (int64_t b = 0; b < n; ++b) {
      double dot = 0;
      for (int64_t k = 0; k < len; ++k) {
        double x = by_cols ? v[k * cols + a] : v[a * cols + k];
        double y = by_cols ? v[k * cols + b] : v[b * cols + k];
        dot += x * y;
      }
      EXPECT_NEAR(dot, a == b ? gain * gain : 0.0, 1e-5) << a << "," << b;
    }
}

TEST_P(InitializersTest, OrthogonalGivesOrthonormalMatrices) {
  expect_orthonormal(Orthogonal({.seed = 1})({6, 4}), 6, 4, 1.0);
  expect_orthonormal(Orthogonal({.seed = 1})({4, 6}), 4, 6, 1.0);
  expect_orthonormal(Orthogonal({.seed = 2})({5, 5}, float64), 5, 5, 1.0);
  // Conv kernel: flattened to (3 * 3 * 4, 8).
  Tensor k = Orthogonal({.gain = 2.0, .seed = 3})({3, 3, 4, 8});
  EXPECT_EQ(k.shape(), Shape({3, 3, 4, 8}));
  EXPECT_EQ(k.dtype(), config::floatx());
  EXPECT_EQ(k.backend_name(), backend_name());
  expect_orthonormal(k, 36, 8, 2.0);
  // Deterministic with an int seed, as every random initializer.
  EXPECT_EQ(Orthogonal({.seed = 9})({3, 3}).to_vector<float>(),
            Orthogonal({.seed = 9})({3, 3}).to_vector<float>());
  // sign(diag(R)) makes Q unique: the first column has a positive dot product with the draw.
  Tensor draw = random::normal({6, 4}, {.seed = 11});
  Tensor q = Orthogonal({.seed = 11})({6, 4});
  auto dv = draw.to_vector<double>(), qv = q.to_vector<double>();
  double dot = 0;
  for (int i = 0; i < 6; ++i) dot += dv[i * 4] * qv[i * 4];
  EXPECT_GT(dot, 0);
  expect_throws_with([] { Orthogonal()({5}); },
                     "must be at least two-dimensional. Received: shape=(5,) of rank 1");
}

TEST(InitializerConfigs, MatchKeras) {
  EXPECT_EQ(serialize(GlorotUniform()).dump(),
            R"({"module":"keras.initializers","class_name":"GlorotUniform","config":)"
            R"({"seed":null,"input_axes":null,"output_axes":null},"registered_name":null})");
  EXPECT_EQ(Zeros().get_config().dump(), "{}");
  EXPECT_EQ(Constant(3.0).get_config().dump(), R"({"value":3.0})");
  EXPECT_EQ(Identity().get_config().dump(), "{}");
  EXPECT_EQ(Identity(2.0).get_config().dump(), R"({"gain":2.0})");
  EXPECT_EQ(RandomNormal({.seed = 42}).get_config().dump(),
            R"({"seed":42,"mean":0.0,"stddev":0.05})");
  EXPECT_EQ(TruncatedNormal().get_config().dump(), R"({"seed":null,"mean":0.0,"stddev":0.05})");
  EXPECT_EQ(RandomUniform().get_config().dump(), R"({"seed":null,"minval":-0.05,"maxval":0.05})");
  EXPECT_EQ(VarianceScaling({.scale = 2.0, .mode = "fan_out", .distribution = "uniform"})
                .get_config()
                .dump(),
            R"({"seed":null,"scale":2.0,"mode":"fan_out","distribution":"uniform",)"
            R"("input_axes":null,"output_axes":null})");
  EXPECT_EQ(HeNormal({.seed = 1,
                      .input_axes = std::vector<int64_t>{0},
                      .output_axes = std::vector<int64_t>{1, 2}})
                .get_config()
                .dump(),
            R"({"seed":1,"input_axes":[0],"output_axes":[1,2]})");
  EXPECT_EQ(Orthogonal().get_config().dump(), R"({"seed":null,"gain":1.0})");
  EXPECT_EQ(RandomNormal({.seed = random::SeedGenerator(5, "gen")}).get_config().dump(),
            R"({"seed":{"module":"keras.random","class_name":"SeedGenerator","config":)"
            R"({"seed":5,"name":"gen"},"registered_name":null},"mean":0.0,"stddev":0.05})");
}

TEST(InitializerRegistry, AliasesAndRoundTrips) {
  const std::vector<std::pair<std::string, std::string>> aliases = {
      {"zeros", "Zeros"},
      {"zero", "Zeros"},
      {"ones", "Ones"},
      {"one", "Ones"},
      {"constant", "Constant"},
      {"identity", "Identity"},
      {"IdentityInitializer", "Identity"},
      {"random_normal", "RandomNormal"},
      {"normal", "RandomNormal"},
      {"random_uniform", "RandomUniform"},
      {"uniform", "RandomUniform"},
      {"truncated_normal", "TruncatedNormal"},
      {"variance_scaling", "VarianceScaling"},
      {"glorot_uniform", "GlorotUniform"},
      {"glorot_normal", "GlorotNormal"},
      {"he_uniform", "HeUniform"},
      {"he_normal", "HeNormal"},
      {"lecun_uniform", "LecunUniform"},
      {"lecun_normal", "LecunNormal"},
      {"orthogonal", "Orthogonal"},
      {"OrthogonalInitializer", "Orthogonal"},
  };
  for (const auto& [alias, cls] : aliases) {
    EXPECT_EQ(get(alias)->class_name(), cls) << alias;
    EXPECT_EQ(get(cls)->class_name(), cls) << cls;
    auto obj = get(alias);
    Config env = serialize(*obj);
    auto back = deserialize(env);
    EXPECT_EQ(back->class_name(), cls);
    EXPECT_EQ(serialize(*back), env) << alias;
    EXPECT_EQ(deserialize(Config(alias))->class_name(), cls);
  }
  // Non-default arguments survive the round trip.
  Config vs = serialize(VarianceScaling(
      {.scale = 0.5, .mode = "fan_avg", .seed = 3, .output_axes = std::vector<int64_t>{1}}));
  EXPECT_EQ(serialize(*deserialize(vs)), vs);
  Config gen = serialize(RandomUniform({.minval = 1, .seed = random::SeedGenerator(5, "g")}));
  EXPECT_EQ(serialize(*deserialize(gen)), gen);
  Config id = serialize(Identity(0.5));
  EXPECT_EQ(serialize(*deserialize(id)), id);
}

TEST(InitializerRegistry, ReadsKerasFiles) {
  // Envelopes as Keras 3.15 writes them in .keras files (fixtures/keras3/*.keras), with the
  // shared_object_id Keras adds, and the pre-3.15 form without input_axes / output_axes.
  for (
      const char* text : {
          R"({"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null, "input_axes": null, "output_axes": null}, "registered_name": null, "shared_object_id": 140063177131984})",
          R"({"module": "keras.initializers", "class_name": "Orthogonal", "config": {"seed": null, "gain": 1.0}, "registered_name": null, "shared_object_id": 140063177138448})",
          R"({"module": "keras.initializers", "class_name": "RandomUniform", "config": {"seed": null, "minval": -0.05, "maxval": 0.05}, "registered_name": null})",
          R"({"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null})",
          R"({"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null})",
      }) {
    Config env = Config::parse(text);
    Config expected = env;
    expected.erase("shared_object_id");
    EXPECT_EQ(serialize(*deserialize(env)), expected) << text;
  }
  Config old = Config::parse(
      R"({"module": "keras.initializers", "class_name": "HeNormal", "config": {"seed": 7}, "registered_name": null})");
  EXPECT_EQ(deserialize(old)->get_config().dump(),
            R"({"seed":7,"input_axes":null,"output_axes":null})");
}

TEST(InitializerRegistry, Errors) {
  expect_throws_with([] { get("glorot"); }, "Unknown initializer 'glorot'. Known initializers:");
  expect_throws_with([] { get("glorot"); }, "GlorotUniform");
  expect_throws_with(
      [] {
        deserialize(Config::parse(R"({"class_name": "RandomNormal", "config": {"sttdev": 1}})"));
      },
      "RandomNormal.__init__() got an unexpected keyword argument 'sttdev'");
  expect_throws_with(
      [] {
        deserialize(Config::parse(R"({"class_name": "RandomNormal", "config": {"seed": "x"}})"));
      },
      "`seed` argument should be an instance of `keras.random.SeedGenerator()` or an integer");
  expect_throws_with(
      [] { deserialize(Config::parse(R"({"class_name": "Constant", "config": {"value": "a"}})")); },
      "Constant.from_config: `value` must be a number");
}

// A user initializer, registered by class name.
class Twos : public Initializer {
 public:
  Tensor operator()(const Shape& shape, std::optional<DType> dtype = {}) const override {
    return ops::full(shape, Tensor(2.0), dtype.value_or(config::floatx()));
  }
  std::string class_name() const override { return "Twos"; }
};

TEST(InitializerRegistry, UserClasses) {
  saving::Registry<Initializer>::instance().add(
      "Twos", [](const Config&) { return std::make_shared<Twos>(); }, {"twos"});
  auto t = get("twos");
  EXPECT_EQ(t->class_name(), "Twos");
  EXPECT_EQ((*t)({2}).to_vector<float>(), (std::vector<float>{2, 2}));
  EXPECT_EQ(deserialize(serialize(Twos()))->class_name(), "Twos");
}

KERAS_INSTANTIATE_BACKEND_TEST(InitializersTest);

}  // namespace
}  // namespace keras
