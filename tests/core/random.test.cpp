// The generator, its distributions and the deterministic transcendental functions.

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "curvelab/mathfn.hpp"
#include "curvelab/random.hpp"

using curvelab::Rng;

TEST_CASE("splitmix64 reproduces the published reference sequence", "[random]") {
  std::uint64_t state = 0;
  CHECK(curvelab::splitmix64(state) == 0xE220A8397B1DCDAFULL);
  CHECK(curvelab::splitmix64(state) == 0x6E789E6AA1B965F4ULL);
  CHECK(curvelab::splitmix64(state) == 0x06C45D188009454FULL);
}

TEST_CASE("xoshiro256** reproduces the reference outputs for state {1, 2, 3, 4}", "[random]") {
  auto rng = Rng::from_state({1, 2, 3, 4});
  CHECK(rng.next_u64() == 11520ULL);
  CHECK(rng.next_u64() == 0ULL);
  CHECK(rng.next_u64() == 1509978240ULL);
  CHECK(rng.next_u64() == 1215971899390074240ULL);
}

TEST_CASE("each distribution's first values from seed 42 are pinned", "[random][golden]") {
  SECTION("raw bits") {
    Rng rng(42);
    CHECK(rng.next_u64() == 0x15780B2E0C2EC716ULL);
    CHECK(rng.next_u64() == 0x6104D9866D113A7EULL);
    CHECK(rng.next_u64() == 0xAE17533239E499A1ULL);
  }
  SECTION("uniform") {
    Rng rng(42);
    CHECK(rng.uniform() == 0x1.5780b2e0c2ecp-4);
    CHECK(rng.uniform() == 0x1.84136619b444ep-2);
    CHECK(rng.uniform() == 0x1.5c2ea66473c93p-1);
  }
  SECTION("below") {
    Rng rng(42);
    const std::array<std::uint32_t, 5> expected{0, 3, 6, 9, 9};
    for (const auto e : expected) {
      CHECK(rng.below(10) == e);
    }
  }
  SECTION("normal") {
    Rng rng(42);
    CHECK(rng.normal() == -0x1.dc208a21bf2c9p+0);
    CHECK(rng.normal() == -0x1.67bf9c8618a55p-4);
    CHECK(rng.normal() == 0x1.71dc1a1b770dfp-1);
    CHECK(rng.normal() == 0x1.b43826c8bebe3p+0);
    CHECK(rng.normal() == 0x1.039117c0663cep+0);
  }
  SECTION("derived seeds") {
    CHECK(curvelab::derive_seed(1, 0) == 0x5E41AB087439611EULL);
    CHECK(curvelab::derive_seed(1, 1) == 0x23A7F6B5D2D552D8ULL);
  }
}

TEST_CASE("uniform stays below 1 and below(n) below n, with equal frequencies", "[random]") {
  Rng rng(7);
  constexpr int kDraws = 200'000;
  double sum = 0.0;
  for (int i = 0; i < kDraws; ++i) {
    const double u = rng.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
  }
  CHECK(sum / kDraws == Approx(0.5).margin(0.003));

  // Chi-square over 7 cells (6 degrees of freedom): the 99.99% quantile is 27.9.
  std::array<int, 7> counts{};
  for (int i = 0; i < kDraws; ++i) {
    const auto k = rng.below(7);
    REQUIRE(k < 7U);
    ++counts[k];
  }
  double chi2 = 0.0;
  const double expected = kDraws / 7.0;
  for (const int c : counts) {
    chi2 += (c - expected) * (c - expected) / expected;
  }
  CHECK(chi2 < 27.9);

  for (int i = 0; i < 1000; ++i) {
    const int x = rng.between(-3, 3);
    REQUIRE(x >= -3);
    REQUIRE(x <= 3);
  }
}

TEST_CASE("normal has the moments and tails of a standard normal", "[random]") {
  Rng rng(2024);
  constexpr int kDraws = 1'000'000;
  double sum = 0.0;
  double sum2 = 0.0;
  double sum3 = 0.0;
  double sum4 = 0.0;
  int beyond_tail = 0;  // |z| > R = 3.4426, where the ziggurat's tail algorithm takes over
  int beyond_one = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double z = rng.normal();
    sum += z;
    sum2 += z * z;
    sum3 += z * z * z;
    sum4 += z * z * z * z;
    beyond_tail += std::abs(z) > 3.442619855899 ? 1 : 0;
    beyond_one += std::abs(z) > 1.0 ? 1 : 0;
  }
  const double mean = sum / kDraws;
  CHECK(mean == Approx(0.0).margin(0.005));
  CHECK(sum2 / kDraws == Approx(1.0).margin(0.005));
  CHECK(sum3 / kDraws == Approx(0.0).margin(0.02));
  CHECK(sum4 / kDraws == Approx(3.0).margin(0.03));
  // P(|Z| > 1) = 0.317311; P(|Z| > 3.4426) = 5.7610e-4 (expected count 576, sd ~24).
  CHECK(static_cast<double>(beyond_one) / kDraws == Approx(0.317311).margin(0.002));
  CHECK(beyond_tail > 576 - 5 * 24);
  CHECK(beyond_tail < 576 + 5 * 24);
}

TEST_CASE("det_log and det_exp agree with the C library to a few ulps", "[random][math]") {
  Rng rng(3);
  for (int i = 0; i < 100'000; ++i) {
    const double x = std::ldexp(rng.uniform_open0(), rng.between(-60, 60));
    const double expected = std::log(x);
    CHECK(std::abs(curvelab::det_log(x) - expected) <= 4 * std::abs(std::nextafter(expected, 0.0) - expected) + 1e-300);
  }
  for (int i = 0; i < 100'000; ++i) {
    const double x = rng.uniform(-700.0, 700.0);
    const double expected = std::exp(x);
    CHECK(std::abs(curvelab::det_exp(x) - expected) <= 4 * std::abs(std::nextafter(expected, 0.0) - expected));
  }
  CHECK(curvelab::det_log(1.0) == 0.0);
  CHECK(curvelab::det_exp(0.0) == 1.0);
  CHECK(std::isinf(curvelab::det_log(0.0)));
  CHECK(std::isnan(curvelab::det_log(-1.0)));
  CHECK(curvelab::det_exp(-800.0) == 0.0);
  CHECK(std::isinf(curvelab::det_exp(710.0)));
}
