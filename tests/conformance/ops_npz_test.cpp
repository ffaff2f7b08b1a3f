// Every case of the Keras fixture ops.npz, on every built backend: the call string is parsed,
// mapped to the keras::ops call (ops_npz_table.cpp) and the outputs are compared with the
// fixture's README rule: shapes and dtypes exact; integer and bool values exact; float outputs
// max|ours - keras| <= 1e-5 * max(1, max|keras|), with inf/-inf/NaN where Keras has them.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <sstream>

#include "conformance/ops_npz_table.hpp"
#include "keras/backend/backend.hpp"
#include "keras/core/config.hpp"
#include "testing/npz.hpp"

namespace keras::testing {
namespace {

const char* const kOpsNpz = KERAS_FIXTURES_DIR "/ops.npz";

struct Fixture {
  std::map<std::string, NpyArray> arrays;
  std::string error;  // why loading failed, if it did
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture out;
    try {
      out.arrays = load_npz(kOpsNpz);
    } catch (const std::exception& e) {
      out.error = e.what();
    }
    return out;
  }();
  return f;
}

// "OP__CASE" for every case (keys OP__CASE__call), or one "LOAD_ERROR" entry that fails.
std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& [key, _] : fixture().arrays) {
    const std::string suffix = "__call";
    if (key.size() > suffix.size() &&
        key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0)
      names.push_back(key.substr(0, key.size() - suffix.size()));
  }
  if (names.empty()) names.push_back("LOAD_ERROR");
  return names;
}

// Compares one output with the fixture rule; returns "" or what differs.
std::string compare(const Tensor& ours, const NpyArray& keras) {
  std::ostringstream why;
  if (ours.shape() != keras.shape) {
    why << "shape " << ours.shape().to_string() << ", Keras " << keras.shape.to_string();
    return why.str();
  }
  if (ours.dtype() != *keras.dtype) {
    why << "dtype " << dtype_name(ours.dtype()) << ", Keras " << dtype_name(*keras.dtype);
    return why.str();
  }
  std::vector<double> a = ours.to_vector<double>(), b = keras.to_doubles();
  bool exact = !is_floating(*keras.dtype);
  double scale = 1.0;
  for (double v : b)
    if (std::isfinite(v)) scale = std::max(scale, std::fabs(v));
  double tol = exact ? 0.0 : 1e-5 * scale, worst = 0.0;
  size_t worst_at = 0, bad = 0;
  for (size_t k = 0; k < b.size(); ++k) {
    bool ok;
    if (std::isnan(b[k]))
      ok = std::isnan(a[k]);
    else if (std::isinf(b[k]))
      ok = a[k] == b[k];
    else
      ok = std::isfinite(a[k]) && std::fabs(a[k] - b[k]) <= tol;
    if (!ok) {
      double d = std::isfinite(a[k]) ? std::fabs(a[k] - b[k]) : INFINITY;
      if (bad++ == 0 || d > worst) worst = d, worst_at = k;
    }
  }
  if (bad == 0) return "";
  why.precision(9);
  why << bad << " of " << b.size() << " elements differ (tolerance " << tol
      << "); worst at flat index " << worst_at << ": ours " << a[worst_at] << ", Keras "
      << b[worst_at];
  return why.str();
}

class OpsNpzTest : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {
 protected:
  void SetUp() override {
    previous_ = config::backend();
    config::set_backend(std::get<0>(GetParam()));
  }
  void TearDown() override { config::set_backend(previous_); }

 private:
  std::string previous_;
};

TEST_P(OpsNpzTest, MatchesKeras) {
  const auto& [backend, name] = GetParam();
  ASSERT_TRUE(fixture().error.empty()) << "cannot read " << kOpsNpz << ": " << fixture().error;
  const auto& arrays = fixture().arrays;
  const std::string call_text = arrays.at(name + "__call").str();
  SCOPED_TRACE(name + ": " + call_text + " on backend " + backend);
  PyCall call = parse_py_call(call_text);

  std::vector<Tensor> inputs;
  for (int k = 0;; ++k) {
    auto it = arrays.find(name + "__input_" + std::to_string(k));
    if (it == arrays.end()) break;
    inputs.push_back(to_tensor(it->second, backend));
  }
  std::vector<const NpyArray*> expected;
  if (auto it = arrays.find(name + "__output"); it != arrays.end()) expected.push_back(&it->second);
  for (int k = 0;; ++k) {
    auto it = arrays.find(name + "__output_" + std::to_string(k));
    if (it == arrays.end()) break;
    expected.push_back(&it->second);
  }
  ASSERT_FALSE(expected.empty()) << "the fixture has no output for " << name;

  auto op = fixture_ops().find(call.func);
  ASSERT_NE(op, fixture_ops().end())
      << "ops::" << call.func << " is not implemented in keras-cpp (no entry in ops_npz_table.cpp)";
  std::vector<Tensor> outputs;
  try {
    outputs = op->second(call, inputs);
  } catch (const std::exception& e) {
    FAIL() << "threw: " << e.what();
  }
  if (call.subscript) {
    ASSERT_LT(*call.subscript, static_cast<int64_t>(outputs.size()));
    outputs = {outputs[static_cast<size_t>(*call.subscript)]};
  }
  ASSERT_EQ(outputs.size(), expected.size()) << "number of outputs";
  for (size_t k = 0; k < outputs.size(); ++k) {
    ASSERT_TRUE(outputs[k].defined()) << "output " << k << " is undefined";
    EXPECT_EQ(outputs[k].backend_name(), backend) << "output " << k << " left the backend";
    std::string diff = compare(outputs[k], *expected[k]);
    EXPECT_TRUE(diff.empty()) << "output " << k << ": " << diff;
  }
}

std::string param_name(const ::testing::TestParamInfo<OpsNpzTest::ParamType>& info) {
  return std::get<0>(info.param) + "_" + std::get<1>(info.param);
}

INSTANTIATE_TEST_SUITE_P(Fixture, OpsNpzTest,
                         ::testing::Combine(::testing::ValuesIn(backend::available_backends()),
                                            ::testing::ValuesIn(case_names())),
                         param_name);

// The table must not silently lose ops: every op the fixture calls has an entry, except the ones
// listed here, which are still to be written (each such case also fails above).
TEST(OpsNpzCoverage, EveryFixtureOpHasATableEntry) {
  ASSERT_TRUE(fixture().error.empty()) << fixture().error;
  std::set<std::string> missing;
  for (const std::string& name : case_names())
    if (!fixture_ops().count(parse_py_call(fixture().arrays.at(name + "__call").str()).func))
      missing.insert(name.substr(0, name.find("__")));
  std::string list;
  for (const auto& m : missing) list += " " + m;
  EXPECT_TRUE(missing.empty()) << "fixture ops without a keras-cpp implementation:" << list;
}

}  // namespace
}  // namespace keras::testing
