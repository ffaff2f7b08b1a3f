// keras::result_type against Keras's promotion table (keras/src/backend/common/dtypes.py, the
// JAX lattice) and the weak-scalar rules as ops apply them. Unlike Keras's JAX-aligned default we
// do not map 64-bit results to 32 bits: float64 + float64 stays float64, int64 stays int64.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "keras/keras.hpp"
#include "testing/backends.hpp"

namespace keras {
namespace {

namespace ops = keras::ops;

// RAII floatx override.
class FloatxScope {
 public:
  explicit FloatxScope(DType d) : saved_(config::floatx()) { config::set_floatx(d); }
  ~FloatxScope() { config::set_floatx(saved_); }

 private:
  DType saved_;
};

const DType kOrder[] = {bool_, uint8, uint16,   uint32,  uint64,  int8,   int16,
                        int32, int64, bfloat16, float16, float32, float64};

DType parse(const std::string& s) {
  if (s == "b1") return bool_;
  if (s == "u1") return uint8;
  if (s == "u2") return uint16;
  if (s == "u4") return uint32;
  if (s == "u8") return uint64;
  if (s == "i1") return int8;
  if (s == "i2") return int16;
  if (s == "i4") return int32;
  if (s == "i8") return int64;
  if (s == "bf") return bfloat16;
  if (s == "f2") return float16;
  if (s == "f4") return float32;
  if (s == "f8") return float64;
  if (s == "f*") return float32;  // a weak float resolves to floatx (float32 here)
  ADD_FAILURE() << "bad table entry " << s;
  return bool_;
}

// JAX's type promotion table (jax.numpy with 64-bit types enabled), rows and columns in kOrder.
// "f*" marks a weak float (no integer type holds both operands).
const char* kTable[] = {
    "b1 u1 u2 u4 u8 i1 i2 i4 i8 bf f2 f4 f8",  // b1
    "u1 u1 u2 u4 u8 i2 i2 i4 i8 bf f2 f4 f8",  // u1
    "u2 u2 u2 u4 u8 i4 i4 i4 i8 bf f2 f4 f8",  // u2
    "u4 u4 u4 u4 u8 i8 i8 i8 i8 bf f2 f4 f8",  // u4
    "u8 u8 u8 u8 u8 f* f* f* f* bf f2 f4 f8",  // u8
    "i1 i2 i4 i8 f* i1 i2 i4 i8 bf f2 f4 f8",  // i1
    "i2 i2 i4 i8 f* i2 i2 i4 i8 bf f2 f4 f8",  // i2
    "i4 i4 i4 i8 f* i4 i4 i4 i8 bf f2 f4 f8",  // i4
    "i8 i8 i8 i8 f* i8 i8 i8 i8 bf f2 f4 f8",  // i8
    "bf bf bf bf bf bf bf bf bf bf f4 f4 f8",  // bf
    "f2 f2 f2 f2 f2 f2 f2 f2 f2 f4 f2 f4 f8",  // f2
    "f4 f4 f4 f4 f4 f4 f4 f4 f4 f4 f4 f4 f8",  // f4
    "f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 f8",  // f8
};

TEST(DTypeTest, ResultTypeMatchesTheKerasTable) {
  FloatxScope scope(float32);
  for (int r = 0; r < 13; ++r) {
    std::istringstream row(kTable[r]);
    for (int c = 0; c < 13; ++c) {
      std::string cell;
      row >> cell;
      DType want = parse(cell);
      EXPECT_EQ(result_type(kOrder[r], kOrder[c]), want)
          << dtype_name(kOrder[r]) << " + " << dtype_name(kOrder[c]);
      EXPECT_EQ(result_type(kOrder[c], kOrder[r]), want) << "symmetry";
    }
  }
}

TEST(DTypeTest, SixtyFourBitResultsStaySixtyFourBit) {
  EXPECT_EQ(result_type(float64, float64), float64);
  EXPECT_EQ(result_type(int64, int64), int64);
  EXPECT_EQ(result_type(int64, int32), int64);
  EXPECT_EQ(result_type(uint64, uint32), uint64);
  EXPECT_EQ(result_type(float64, int64), float64);
}

// A weak int (a C++ int literal) adopts the other operand's type; bool + int gives the weak int,
// resolved to floatx's width. A weak float adopts floating types and turns ints into floatx.
TEST(DTypeTest, WeakScalarRules) {
  FloatxScope scope(float32);
  struct Case {
    DType strong, weak_int, weak_float;
  };
  const Case cases[] = {
      {bool_, int32, float32},        {uint8, uint8, float32},     {uint16, uint16, float32},
      {uint32, uint32, float32},      {uint64, uint64, float32},   {int8, int8, float32},
      {int16, int16, float32},        {int32, int32, float32},     {int64, int64, float32},
      {bfloat16, bfloat16, bfloat16}, {float16, float16, float16}, {float32, float32, float32},
      {float64, float64, float64},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(result_type(c.strong, int32, false, true), c.weak_int)
        << dtype_name(c.strong) << " + int";
    EXPECT_EQ(result_type(int32, c.strong, true, false), c.weak_int)
        << "int + " << dtype_name(c.strong);
    EXPECT_EQ(result_type(c.strong, float32, false, true), c.weak_float)
        << dtype_name(c.strong) << " + float";
  }
  // Two weak scalars: int with int stays int, anything with a float is floatx.
  EXPECT_EQ(result_type(int32, int32, true, true), int32);
  EXPECT_EQ(result_type(int32, float32, true, true), float32);
  // A C++ bool is not weak (Python's bool is not a weak type in Keras either).
  EXPECT_EQ(result_type(int8, bool_, false, true), int8);
  EXPECT_EQ(result_type(float16, bool_, false, true), float16);
}

TEST(DTypeTest, WeakTypesResolveWithFloatxPrecision) {
  {
    FloatxScope scope(float64);
    EXPECT_EQ(result_type(int32, float32, true, true), float64);
    EXPECT_EQ(result_type(int32, int32, true, true), int64);
    EXPECT_EQ(result_type(bool_, int32, false, true), int64);
    EXPECT_EQ(result_type(int8, float32, false, true), float64);
    EXPECT_EQ(result_type(uint64, int64), float64);  // no integer holds both
    EXPECT_EQ(result_type(float16, float32, false, true), float16);
    EXPECT_EQ(float_result_type(int32), float64);
  }
  {
    FloatxScope scope(float16);
    EXPECT_EQ(result_type(bool_, int32, false, true), int16);
    EXPECT_EQ(result_type(int32, float32, false, true), float16);
    EXPECT_EQ(result_type(uint64, int8), float16);
  }
}

TEST(DTypeTest, FloatResultType) {
  FloatxScope scope(float32);
  EXPECT_EQ(float_result_type(bool_), float32);
  EXPECT_EQ(float_result_type(int64), float32);
  EXPECT_EQ(float_result_type(uint8), float32);
  EXPECT_EQ(float_result_type(bfloat16), bfloat16);
  EXPECT_EQ(float_result_type(float64), float64);
}

TEST(DTypeTest, NamesRoundTrip) {
  for (DType d : kOrder) EXPECT_EQ(dtype_from_name(dtype_name(d)), d);
  try {
    dtype_from_name("float8");
    ADD_FAILURE() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("float8"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("bfloat16"), std::string::npos);
  }
}

// The same rules as the ops apply them to tensors and C++ scalars.
class WeakScalarOpsTest : public testing::BackendTest {};

TEST_P(WeakScalarOpsTest, ScalarOperandsAdoptTheTensorType) {
  auto t = [](DType d) { return ops::convert_to_tensor(std::vector<double>{1, 2}, {.dtype = d}); };
  Tensor a = t(int32) * 2.5;
  EXPECT_EQ(a.dtype(), float32);
  EXPECT_EQ(a.to_vector<double>(), (std::vector<double>{2.5, 5}));
  Tensor b = t(float16) + 1.0;
  EXPECT_EQ(b.dtype(), float16);
  EXPECT_EQ(b.to_vector<double>(), (std::vector<double>{2, 3}));
  Tensor c = t(uint8) + 1;
  EXPECT_EQ(c.dtype(), uint8);
  EXPECT_EQ(c.to_vector<double>(), (std::vector<double>{2, 3}));
  Tensor d = t(bool_) + 1;
  EXPECT_EQ(d.dtype(), int32);
  EXPECT_EQ(d.to_vector<double>(), (std::vector<double>{2, 2}));
  EXPECT_EQ((t(int8) + 1.0).dtype(), float32);
  EXPECT_EQ((t(int64) * 3).dtype(), int64);
  EXPECT_EQ((t(bfloat16) * 3).dtype(), bfloat16);
  EXPECT_EQ((t(float64) + 1.0f).dtype(), float64);
  EXPECT_EQ((t(bool_) * true).dtype(), bool_);
  EXPECT_EQ((2 - t(uint16)).dtype(), uint16);
  EXPECT_EQ((1.5 / t(int16)).dtype(), float32);
  EXPECT_EQ((t(int32) / 2).dtype(), float32);
  // A double literal keeps its full precision when the tensor is float64.
  Tensor p = t(float64) * 0.1;
  EXPECT_DOUBLE_EQ(p.to_vector<double>()[1], 0.2);
  // Two scalars: both weak, so the result is floatx or int32.
  EXPECT_EQ((Tensor(2) + Tensor(3)).dtype(), int32);
  EXPECT_EQ((Tensor(2) * Tensor(1.5)).dtype(), float32);
  EXPECT_EQ((Tensor(2) + Tensor(3)).item<int>(), 5);
}

TEST_P(WeakScalarOpsTest, FloatxChangesHowScalarsResolve) {
  FloatxScope scope(float64);
  auto t = ops::convert_to_tensor(std::vector<int32_t>{1, 2});
  EXPECT_EQ((t * 0.5).dtype(), float64);
  EXPECT_EQ((t + 1).dtype(), int32);
  EXPECT_EQ(ops::divide(t, t).dtype(), float64);
}

KERAS_INSTANTIATE_BACKEND_TEST(WeakScalarOpsTest);

}  // namespace
}  // namespace keras
