// The op catalogue (keras/ops/registry.hpp) stays in step with the ops the conformance suite runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "conformance/op_descriptors.hpp"
#include "conformance/ops_npz_table.hpp"
#include "keras/ops/registry.hpp"
#include "keras/version.hpp"

namespace keras::testing {
namespace {

TEST(OpRegistry, EntriesAreUniqueAndWellFormed) {
  std::set<std::string_view> names;
  for (const ops::OpInfo& op : ops::op_registry()) {
    EXPECT_TRUE(names.insert(op.name).second) << "duplicate " << op.name;
    EXPECT_GE(op.tier, 1) << op.name;
    EXPECT_LE(op.tier, 3) << op.name;
    std::set<std::string_view> families = {"core", "numpy", "nn", "math", "linalg"};
    EXPECT_TRUE(families.count(op.family)) << op.name << ": family " << op.family;
    EXPECT_EQ(ops::find_op(op.name), &op);
  }
  EXPECT_GT(names.size(), 200u);
  EXPECT_EQ(ops::find_op("no_such_op"), nullptr);
  ASSERT_NE(ops::find_op("conv"), nullptr);
  EXPECT_EQ(ops::find_op("conv")->fused.front(), backend::FusedKernel::Conv);
  EXPECT_EQ(ops::find_op("sum")->tier, 1);
  EXPECT_EQ(ops::find_op("softmax")->family, "nn");
}

TEST(OpRegistry, ListsEveryOpTheConformanceSuiteRuns) {
  for (const auto& [name, _] : fixture_ops()) EXPECT_NE(ops::find_op(name), nullptr) << name;
  for (const OpDescriptor& d : op_descriptors()) {
    std::string base = d.name.substr(0, d.name.find_first_of("([ "));
    EXPECT_NE(ops::find_op(base), nullptr) << d.name;
  }
}

TEST(OpRegistry, CoverageAddsUpOnEveryBackend) {
  for (const std::string& name : backend::available_backends()) {
    ops::OpCoverage c = ops::op_coverage(backend::get_backend(name));
    EXPECT_EQ(c.total, static_cast<int>(ops::op_registry().size())) << name;
    EXPECT_EQ(c.primitives_only + c.with_fused, c.total) << name;
    EXPECT_LE(c.native, c.with_fused) << name;
  }
}

TEST(Version, IsTheProjectVersion) {
  std::string v = keras::version();
  EXPECT_EQ(std::count(v.begin(), v.end(), '.'), 2) << v;
}

}  // namespace
}  // namespace keras::testing
