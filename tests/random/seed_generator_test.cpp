// keras::random seeds: Philox known answers, SeedGenerator state, the global generator.
#include <gtest/gtest.h>

#include "keras/random/seed_generator.hpp"
#include "random/philox.hpp"

namespace keras {
namespace {

using random::Seed;
using random::SeedGenerator;

TEST(PhiloxTest, MatchesRandom123KnownAnswers) {
  using random::detail::philox4x32_10;
  // Random123 tests/kat_vectors, the three "philox4x32 10" lines.
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}),
            (random::detail::PhiloxCounter{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(
      philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
      (random::detail::PhiloxCounter{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(
      philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
      (random::detail::PhiloxCounter{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(PhiloxTest, UnitConversionsStayInRange) {
  using namespace random::detail;
  EXPECT_EQ(to_unit_double(0, 0), 0.0);
  EXPECT_LT(to_unit_double(0xffffffff, 0xffffffff), 1.0);
  EXPECT_EQ(to_unit_float(0), 0.0f);
  EXPECT_LT(to_unit_float(0xffffffff), 1.0f);
  EXPECT_EQ(bounded(0xffffffff, 0xffffffff, 10), 9u);
  EXPECT_EQ(bounded(0, 0, 10), 0u);
}

TEST(SeedGeneratorTest, StateIsSeedAndCounter) {
  SeedGenerator gen(42);
  EXPECT_EQ(gen.state(), (std::array<uint32_t, 2>{42, 0}));
  EXPECT_EQ(gen.next(), (std::array<uint32_t, 2>{42, 0}));
  EXPECT_EQ(gen.next(), (std::array<uint32_t, 2>{42, 1}));
  EXPECT_EQ(gen.state(), (std::array<uint32_t, 2>{42, 2}));
  EXPECT_EQ(gen.initial_seed(), 42);
  gen.assign({7, 9});
  EXPECT_EQ(gen.next(), (std::array<uint32_t, 2>{7, 9}));
}

TEST(SeedGeneratorTest, CopiesShareState) {
  SeedGenerator a(5);
  SeedGenerator b = a;
  a.next();
  EXPECT_EQ(b.state(), (std::array<uint32_t, 2>{5, 1}));
  Seed s = b;  // a Seed made from a generator advances that generator
  s.draw();
  EXPECT_EQ(a.state(), (std::array<uint32_t, 2>{5, 2}));
}

TEST(SeedGeneratorTest, IntegerSeedsAreStateless) {
  Seed s = 42;
  EXPECT_EQ(s.draw(), (std::array<uint32_t, 2>{42, 0}));
  EXPECT_EQ(s.draw(), (std::array<uint32_t, 2>{42, 0}));
  // Taken modulo 2^32, as Keras reinterprets seeds as uint32.
  EXPECT_EQ(Seed(-1).draw(), (std::array<uint32_t, 2>{0xffffffffu, 0}));
  EXPECT_EQ(Seed(int64_t{1} << 32 | 3).draw(), (std::array<uint32_t, 2>{3, 0}));
  EXPECT_FALSE(s.is_none());
  EXPECT_TRUE(Seed().is_none());
  EXPECT_TRUE(Seed(std::nullopt).is_none());
}

TEST(SeedGeneratorTest, NamesAreAutomaticUnlessGiven) {
  SeedGenerator named(1, "dropout_seed");
  EXPECT_EQ(named.name(), "dropout_seed");
  SeedGenerator a(1), b(1);
  EXPECT_EQ(a.name().rfind("seed_generator", 0), 0u);
  EXPECT_NE(a.name(), b.name());
  EXPECT_FALSE(SeedGenerator().initial_seed().has_value());
}

TEST(SeedGeneratorTest, SetRandomSeedMakesSeedlessDrawsDeterministic) {
  random::set_random_seed(1234);
  EXPECT_EQ(random::get_random_seed(), 1234);
  auto first_gen = SeedGenerator().state();
  auto first_none = Seed().draw();
  auto second_none = Seed().draw();
  EXPECT_EQ(second_none[0], first_none[0]);
  EXPECT_EQ(second_none[1], first_none[1] + 1);  // the global generator advanced

  random::set_random_seed(1234);
  EXPECT_EQ(SeedGenerator().state(), first_gen);
  EXPECT_EQ(Seed().draw(), first_none);
  random::set_random_seed(99);
  EXPECT_NE(SeedGenerator().state(), first_gen);
}

}  // namespace
}  // namespace keras
