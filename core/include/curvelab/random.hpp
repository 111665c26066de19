#pragma once
/// \file
/// The simulator's own random numbers: a generator and its distributions.
///
/// The same seed yields the same numbers bit for bit natively and in WebAssembly, which
/// `std::mt19937` with `std::normal_distribution` does not promise (the distribution's
/// algorithm differs between standard libraries). Golden-value tests pin every stream.

#include <array>
#include <cstdint>

namespace curvelab {

/// One step of SplitMix64: advances `state` and returns a well-mixed 64-bit value.
/// Used to expand one seed into a generator state and to derive child seeds.
std::uint64_t splitmix64(std::uint64_t& state);

/// The seed of child number `index` of `seed` (run `i` of a cohort, experiment `i` of a
/// generated set). Children of one seed are independent streams.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index);

/// Ziggurat tables for the normal distribution (Marsaglia and Tsang 2000 with
/// Doornik's 2005 fix: 128 layers, the layer index and the abscissa from disjoint bits).
struct ZigguratTables {
  static constexpr int kLayers = 128;
  std::array<double, kLayers + 1> x{};  ///< layer edges; x[0] is the base strip's width
  std::array<double, kLayers> ratio{};  ///< x[i + 1] / x[i]: the rectangle's safe part
  std::array<double, kLayers + 1> f{};  ///< the density exp(-x[i]^2 / 2) at each edge
};
extern const ZigguratTables kZiggurat;

/// xoshiro256** 1.0 (Blackman and Vigna), seeded through SplitMix64.
class Rng {
 public:
  /// A generator whose whole state follows from `seed`.
  explicit Rng(std::uint64_t seed);

  /// A generator with exactly this state (not all zero): for reference-vector tests.
  static Rng from_state(const std::array<std::uint64_t, 4>& state) {
    Rng rng(0);
    rng.s_ = state;
    return rng;
  }

  /// The next 64 random bits.
  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5U, 7) * 9U;
    const std::uint64_t t = s_[1] << 17U;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform on [0, 1), with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11U) * 0x1.0p-53; }

  /// Uniform on (0, 1]: safe to take the logarithm of.
  double uniform_open0() { return static_cast<double>((next_u64() >> 11U) + 1U) * 0x1.0p-53; }

  /// Uniform on [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  /// Uniform integer in [0, n) for 0 < n < 2^32, without modulo bias
  /// (Lemire's multiply-and-reject on the upper 32 bits).
  std::uint32_t below(std::uint32_t n) {
    std::uint64_t m = (next_u64() >> 32U) * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = (0U - n) % n;
      while (low < threshold) {
        m = (next_u64() >> 32U) * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32U);
  }

  /// Uniform integer in [lo, hi] (inclusive; hi - lo < 2^32 - 1).
  int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::uint32_t>(hi - lo) + 1U)); }

  /// Standard normal, by the ziggurat method; one 64-bit draw in ~98.8% of calls.
  double normal() {
    for (;;) {
      const std::uint64_t bits = next_u64();
      const auto layer = static_cast<unsigned>(bits & 0x7FU);
      const double u = 2.0 * (static_cast<double>(bits >> 11U) * 0x1.0p-53) - 1.0;
      if (u < kZiggurat.ratio[layer] && u > -kZiggurat.ratio[layer]) {
        return u * kZiggurat.x[layer];
      }
      double z = 0.0;
      if (normal_slow(layer, u, z)) {
        return z;
      }
    }
  }

  /// Normal with the given mean and standard deviation.
  double normal(double mean, double stddev) { return mean + stddev * normal(); }

  /// The rest of a `normal()` whose first 64 bits gave `layer` (their low 7 bits) and
  /// `u` and fell outside the layer's rectangle: what `normal()` returns from there.
  /// The batched simulator finishes its rare slow draws with it, one lane at a time.
  double normal_resume(unsigned layer, double u) {
    double z = 0.0;
    if (normal_slow(layer, u, z)) {
      return z;
    }
    return normal();
  }

  /// The raw state, for tests.
  const std::array<std::uint64_t, 4>& state() const { return s_; }

 private:
  static std::uint64_t rotl(std::uint64_t x, unsigned k) { return (x << k) | (x >> (64U - k)); }
  /// The base strip's tail and the wedges; true with `out` set when accepted.
  bool normal_slow(unsigned layer, double u, double& out);

  std::array<std::uint64_t, 4> s_{};
};

}  // namespace curvelab
