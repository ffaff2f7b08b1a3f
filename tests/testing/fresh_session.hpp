#pragma once
// A BackendTest (testing/backends.hpp) that starts every test from a fresh session.
#include "keras/random/seed_generator.hpp"
#include "keras/utils/naming.hpp"
#include "testing/backends.hpp"

namespace keras::testing {

// A BackendTest whose tests each start from a fresh session (clear_session: layer names, ...) and,
// for Seed >= 0, from the global random seed Seed.
template <int Seed = -1>
class FreshSessionTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    clear_session();
    if constexpr (Seed >= 0) random::set_random_seed(Seed);
  }
};

}  // namespace keras::testing
