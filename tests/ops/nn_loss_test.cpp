// Cross-entropy ops: Keras's numbers (fixtures from losses.npz), clipping, stable logits paths,
// label shapes, dtypes, symbolic shapes, errors and gradients.
#include <cmath>

#include "ops/nn_testing.hpp"

namespace keras {
namespace {

using namespace nn_testing;

class NnLossTest : public testing::BackendTest {};

// losses.npz inputs (4, 5).
const std::vector<float> kBinaryTrue = {1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
const std::vector<float> kBinaryProbs = {0.0f,
                                         0.3453594148159027f,
                                         0.6984641551971436f,
                                         0.7038100361824036f,
                                         0.27930399775505066f,
                                         0.08106660097837448f,
                                         0.12072879821062088f,
                                         0.2868137061595917f,
                                         0.3179742395877838f,
                                         0.47376638650894165f,
                                         0.9456021785736084f,
                                         0.18455085158348083f,
                                         0.5242272615432739f,
                                         0.9182652235031128f,
                                         0.9850143790245056f,
                                         0.04723135381937027f,
                                         0.6551039814949036f,
                                         0.7225666642189026f,
                                         0.7517649531364441f,
                                         1.0f};
const std::vector<float> kBinaryLogits = {
    0.13334240019321442f, -4.5392961502075195f, 2.6277928352355957f,   0.9699694514274597f,
    -2.1122019290924072f, 5.419230937957764f,   1.6381235122680664f,   -1.1661478281021118f,
    -2.8398261070251465f, 2.5000360012054443f,  -2.885831117630005f,   0.1218210756778717f,
    -0.2904129922389984f, 4.662212371826172f,   -0.10085944831371307f, -0.7380303740501404f,
    1.8823367357254028f,  -1.30502450466156f,   -2.1520001888275146f,  -1.1353375911712646f};
const std::vector<float> kOneHot = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0};
const std::vector<float> kCatProbs = {
    0.27297258377075195f, 0.30363109707832336f,  0.3881603181362152f,  3.75984309357591e-05f,
    0.33519840240478516f, 0.46037253737449646f,  0.33225828409194946f, 0.2787413001060486f,
    0.08360954374074936f, 0.14501824975013733f,  0.15234768390655518f, 0.14393740892410278f,
    0.462873637676239f,   0.028470953926444054f, 0.5123702883720398f,  0.31483784317970276f,
    0.2593654990196228f,  0.30913057923316956f,  0.30864420533180237f, 0.1080218255519867f};
const std::vector<float> kCatLogits = {
    -0.946894645690918f,  3.5137810707092285f,  -0.9997025728225708f, 1.5053455829620361f,
    -1.1687235832214355f, -1.5077050924301147f, -0.4654480516910553f, -0.9021323323249817f,
    0.2145480066537857f,  -1.010442852973938f,  2.804584264755249f,   -1.5975810289382935f,
    0.7826501131057739f,  0.29220643639564514f, -2.601889133453369f,  2.0343997478485107f,
    1.2294113636016846f,  1.4840970039367676f,  2.9781060218811035f,  -0.5841624140739441f};
const std::vector<float> kSparseProbs = {
    0.23508521914482117f, 0.22407831251621246f, 0.21101729571819305f,  0.23093797266483307f,
    0.09888119995594025f, 0.03451113402843475f, 0.20930598676204681f,  0.21251073479652405f,
    0.28141364455223083f, 0.26225849986076355f, 0.1314230114221573f,   0.3082680404186249f,
    0.23497478663921356f, 0.3136380910873413f,  0.011696042492985725f, 0.2969256043434143f,
    0.21419976651668549f, 0.33987125754356384f, 0.0926804468035698f,   0.05632290989160538f};

TEST_P(NnLossTest, BinaryCrossentropyMatchesKeras) {
  Tensor t = f32(kBinaryTrue, {4, 5});
  // Keras's BinaryCrossentropy per-sample value is the mean of the op over the last axis.
  Tensor probs = ops::binary_crossentropy(t, f32(kBinaryProbs, {4, 5}));
  EXPECT_EQ(probs.shape(), (Shape{4, 5}));
  expect_close(ops::mean(probs, {.axis = -1}),
               {3.5158839225769043, 0.8859177827835083, 1.628839135169983, 3.9461669921875}, 2e-6,
               "probabilities");
  Tensor logits = ops::binary_crossentropy(t, f32(kBinaryLogits, {4, 5}), true);
  expect_close(ops::mean(logits, {.axis = -1}),
               {0.22893831133842468, 1.7695963382720947, 0.4044109284877777, 0.6086605787277222},
               2e-6, "logits");
}

TEST_P(NnLossTest, BinaryCrossentropyClipsAndStaysStable) {
  // Probability 0 with target 1 costs -log(epsilon); logits far out stay exact.
  double eps = config::epsilon();
  Tensor y = ops::binary_crossentropy(f64({1, 0}), f64({0, 1}));
  expect_close(y, {-std::log(eps), -std::log(eps)}, 1e-9);
  Tensor z = ops::binary_crossentropy(f64({1, 0, 1}), f64({-100, 100, 100}), true);
  expect_close(z, {100, 100, 0}, 1e-12);
  Tensor w = ops::binary_crossentropy(f32({1, 0, 0.3f}), f32({-1e4f, 1e4f, 0}), true);
  expect_close(w, {1e4, 1e4, std::log(2.0)}, 1e-6);
}

TEST_P(NnLossTest, CategoricalCrossentropyMatchesKeras) {
  Tensor t = f32(kOneHot, {4, 5});
  expect_close(ops::categorical_crossentropy(t, f32(kCatProbs, {4, 5})),
               {1.5607481002807617, 1.0380833148956299, 2.2007410526275635, 1.4379303455352783},
               2e-6, "probabilities");
  expect_close(ops::categorical_crossentropy(t, f32(kCatLogits, {4, 5}), true),
               {4.614228248596191, 2.5579440593719482, 4.6093525886535645, 0.5966522693634033},
               2e-6, "logits");
  // Probabilities are renormalized, then clipped; axis 0.
  Tensor p = f64({2, 0, 2, 4}, {2, 2});
  Tensor q = f64({1, 0, 0, 1}, {2, 2});
  expect_close(ops::categorical_crossentropy(q, p, false, 0), {-std::log(0.5), -std::log(1 - 1e-7)},
               1e-9, "axis 0");
}

TEST_P(NnLossTest, SparseCategoricalCrossentropyMatchesKeras) {
  Tensor labels = i32({0, 0, 1, 3});
  expect_close(ops::sparse_categorical_crossentropy(labels, f32(kSparseProbs, {4, 5})),
               {1.4478071928024292, 3.3664731979370117, 1.1767855882644653, 2.3785977363586426},
               2e-6, "probabilities");
  std::vector<double> logits_ref = {4.614228248596191, 2.5579440593719482, 4.6093525886535645,
                                    0.5966522693634033};
  expect_close(ops::sparse_categorical_crossentropy(labels, f32(kCatLogits, {4, 5}), true),
               logits_ref, 2e-6, "logits");
  Tensor y = ops::sparse_categorical_crossentropy(i32({0, 0, 1, 3}, {4, 1}),
                                                  f32(kCatLogits, {4, 5}), true);
  EXPECT_EQ(y.shape(), (Shape{4}));
  expect_close(y, logits_ref, 2e-6, "labels (batch, 1)");
  // Float labels are cast to int32; an out-of-range label has zero loss (JAX's one_hot rule).
  Tensor f = ops::sparse_categorical_crossentropy(f32({0, 0, 1, 3}), f32(kCatLogits, {4, 5}), true);
  expect_close(f, logits_ref, 2e-6, "float labels");
  Tensor o = ops::sparse_categorical_crossentropy(i32({7}), f32({1, 2}, {1, 2}), true);
  expect_close(o, {0.0});
  // Class axis 0.
  Tensor logits_t = ops::transpose(f32(kCatLogits, {4, 5}));
  expect_close(ops::sparse_categorical_crossentropy(labels, logits_t, true, 0), logits_ref, 2e-6,
               "axis 0");
}

TEST_P(NnLossTest, DtypesAndSymbolic) {
  Tensor h = ops::cast(f32({0.2f, 0.7f}), DType::Float16);
  EXPECT_EQ(ops::binary_crossentropy(ops::cast(f32({0, 1}), DType::Float16), h).dtype(),
            DType::Float16);
  EXPECT_EQ(ops::binary_crossentropy(f32({0, 1}), f64({0.2, 0.7})).dtype(), DType::Float64);
  Tensor so = Tensor::symbolic({Shape::kNone, 10}, DType::Float32);
  EXPECT_EQ(ops::categorical_crossentropy(so, so).shape(), (Shape{Shape::kNone}));
  EXPECT_EQ(ops::binary_crossentropy(so, so).shape(), so.shape());
  EXPECT_EQ(ops::sparse_categorical_crossentropy(Tensor::symbolic({Shape::kNone}, DType::Int32), so)
                .shape(),
            (Shape{Shape::kNone}));
  EXPECT_EQ(
      ops::sparse_categorical_crossentropy(Tensor::symbolic({Shape::kNone, 1}, DType::Int32), so)
          .shape(),
      (Shape{Shape::kNone}));
}

TEST_P(NnLossTest, Errors) {
  expect_error<ValueError>(
      [] {
        ops::binary_crossentropy(f32({1, 0}), f32({0.5f, 0.5f, 0.5f}));
      },
      {"ops::binary_crossentropy", "same shape", "target.shape=(2,)", "output.shape=(3,)"});
  expect_error<ValueError>(
      [] {
        ops::categorical_crossentropy(f32({1, 0}, {1, 2}), f32({1, 0}, {2, 1}));
      },
      {"ops::categorical_crossentropy", "target.shape=(1, 2)", "output.shape=(2, 1)"});
  expect_error<ValueError>([] { ops::categorical_crossentropy(Tensor(1.0f), Tensor(1.0f)); },
                           {"ops::categorical_crossentropy", "at least rank 1"});
  expect_error<ValueError>(
      [] {
        ops::sparse_categorical_crossentropy(i32({1, 0, 1}), f32({1, 0, 0, 1}, {2, 2}));
      },
      {"ops::sparse_categorical_crossentropy", "target.shape=(3,)", "output.shape=(2, 2)"});
  expect_error<ValueError>(
      [] {
        ops::sparse_categorical_crossentropy(i32({1}), f32({1, 0}), false, 2);
      },
      {"ops::sparse_categorical_crossentropy", "axis 2"});
}

TEST_P(NnLossTest, Gradients) {
  Tensor t = ops::cast(f32(kBinaryTrue, {4, 5}), DType::Float64);
  Tensor p = testing::test_values({4, 5}, 0.05, 0.95, 41);
  Tensor z = testing::test_values({4, 5}, -3, 3, 42);
  testing::expect_gradients_match(
      [](const auto& in) { return ops::binary_crossentropy(in[0], in[1]); }, {t, p}, "bce");
  testing::expect_gradients_match(
      [](const auto& in) { return ops::binary_crossentropy(in[0], in[1], true); }, {t, z},
      "bce logits");
  Tensor soft = ops::softmax(testing::test_values({4, 5}, -1, 1, 43));
  testing::expect_gradients_match(
      [](const auto& in) { return ops::categorical_crossentropy(in[0], in[1]); }, {soft, p}, "cce");
  testing::expect_gradients_match(
      [](const auto& in) { return ops::categorical_crossentropy(in[0], in[1], true); }, {soft, z},
      "cce logits");
  Tensor labels = i32({0, 4, 2, 1});
  testing::expect_gradients_match(
      [&](const auto& in) { return ops::sparse_categorical_crossentropy(labels, in[0]); }, {p},
      "scce");
  testing::expect_gradients_match(
      [&](const auto& in) { return ops::sparse_categorical_crossentropy(labels, in[0], true); },
      {z}, "scce logits");
  testing::expect_second_gradients_match(
      [](const auto& in) { return ops::categorical_crossentropy(in[0], in[1], true); }, {soft, z},
      "cce logits");
}

KERAS_INSTANTIATE_BACKEND_TEST(NnLossTest);

}  // namespace
}  // namespace keras
