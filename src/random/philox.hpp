#pragma once
// Philox-4x32-10, the counter-based generator of Salmon et al., "Parallel Random Numbers: As Easy
// as 1, 2, 3" (SC'11), written from the published round function and constants. A block of four
// uint32 words is a pure function of (counter, key), so any element of a stream can be computed
// without the others: generation splits into independent chunks, and every backend sees the same
// bits. Checked against Random123's known-answer vectors in tests/random/philox_test.cpp.
#include <array>
#include <cstdint>

namespace keras::random::detail {

using PhiloxCounter = std::array<uint32_t, 4>;
using PhiloxKey = std::array<uint32_t, 2>;

inline PhiloxCounter philox4x32_10(PhiloxCounter c, PhiloxKey k) {
  constexpr uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;  // round multipliers
  constexpr uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;  // Weyl key increments
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k[0] += kW0;
      k[1] += kW1;
    }
    uint64_t p0 = static_cast<uint64_t>(kM0) * c[0];
    uint64_t p1 = static_cast<uint64_t>(kM1) * c[2];
    c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<uint32_t>(p1),
         static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<uint32_t>(p0)};
  }
  return c;
}

// The stream of one draw: block i is philox(counter = (i, i >> 32, lane, 0), key = seed pair).
// `lane` separates sub-streams of one draw (truncated_normal's redraws).
struct Stream {
  PhiloxKey key;
  PhiloxCounter block(uint64_t i, uint32_t lane = 0) const {
    return philox4x32_10({static_cast<uint32_t>(i), static_cast<uint32_t>(i >> 32), lane, 0u}, key);
  }
};

// [0, 1) with 53 random bits, exact in double.
inline double to_unit_double(uint32_t hi, uint32_t lo) {
  uint64_t bits = (static_cast<uint64_t>(hi) << 32 | lo) >> 11;
  return static_cast<double>(bits) * 0x1.0p-53;
}
// [0, 1) with 24 random bits, exact in float.
inline float to_unit_float(uint32_t w) { return static_cast<float>(w >> 8) * 0x1.0p-24f; }

// An integer uniform in [0, range) from 64 random bits (Lemire's multiply-shift; the bias is at
// most range / 2^64, far below anything a test or a model can see).
inline uint64_t bounded(uint32_t hi, uint32_t lo, uint64_t range) {
  uint64_t x = static_cast<uint64_t>(hi) << 32 | lo;
  return static_cast<uint64_t>((static_cast<unsigned __int128>(x) * range) >> 64);
}

}  // namespace keras::random::detail
