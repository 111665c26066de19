// The bootstrap interval of a mean: known answers, invariants and its coverage.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "curvelab/interval.hpp"
#include "curvelab/random.hpp"

using curvelab::bootstrap_mean;
using curvelab::MeanInterval;

TEST_CASE("no values have no mean, one value or equal values an interval of width 0", "[interval]") {
  const std::vector<double> none;
  CHECK(bootstrap_mean(none, 0.95, 1000, 1).n == 0);
  const std::vector<double> one{0.25};
  const MeanInterval a = bootstrap_mean(one, 0.95, 1000, 1);
  CHECK(a.n == 1);
  CHECK(a.mean == 0.25);
  CHECK(a.lo == 0.25);
  CHECK(a.hi == 0.25);
  const std::vector<double> same(30, -0.5);
  const MeanInterval b = bootstrap_mean(same, 0.95, 1000, 1);
  CHECK(b.mean == -0.5);
  CHECK(b.lo == -0.5);
  CHECK(b.hi == -0.5);
}

TEST_CASE("two values: resampled means are 0, 1/2 and 1, so the 95% interval spans both", "[interval]") {
  const std::vector<double> values{0.0, 1.0};
  const MeanInterval m = bootstrap_mean(values, 0.95, 20000, 7);
  CHECK(m.mean == 0.5);
  CHECK(m.lo == 0.0);
  CHECK(m.hi == 1.0);
  // At 40% the quantiles 0.3 and 0.7 fall inside the middle half (P(1/2) = 1/2).
  const MeanInterval narrow = bootstrap_mean(values, 0.40, 20000, 7);
  CHECK(narrow.lo == 0.5);
  CHECK(narrow.hi == 0.5);
}

TEST_CASE("the interval holds the mean, is fixed by the seed and widens with the level", "[interval]") {
  curvelab::Rng rng(3);
  std::vector<double> values(50);
  for (double& v : values) {
    v = rng.uniform();
  }
  const MeanInterval a = bootstrap_mean(values, 0.95, 2000, 11);
  const MeanInterval b = bootstrap_mean(values, 0.95, 2000, 11);
  const MeanInterval c = bootstrap_mean(values, 0.95, 2000, 12);
  const MeanInterval wide = bootstrap_mean(values, 0.99, 2000, 11);
  CHECK(a.lo < a.mean);
  CHECK(a.mean < a.hi);
  CHECK(a.lo == b.lo);
  CHECK(a.hi == b.hi);
  CHECK((a.lo != c.lo || a.hi != c.hi));
  CHECK(wide.lo <= a.lo);
  CHECK(wide.hi >= a.hi);
  // About 2 standard errors (sd of U(0,1) = 0.289, n = 50) on each side.
  CHECK(a.hi - a.lo == Approx(2 * 1.96 * 0.2887 / std::sqrt(50.0)).epsilon(0.2));
}

TEST_CASE("95% intervals cover the true mean of normal samples about 95% of the time", "[interval]") {
  curvelab::Rng rng(2024);
  int covered = 0;
  const int trials = 400;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> values(40);
    for (double& v : values) {
      v = 3.0 + rng.normal();
    }
    const MeanInterval m = bootstrap_mean(values, 0.95, 1000, static_cast<std::uint64_t>(t));
    covered += (m.lo <= 3.0 && 3.0 <= m.hi) ? 1 : 0;
  }
  const double coverage = static_cast<double>(covered) / trials;
  CHECK(coverage >= 0.90);
  CHECK(coverage <= 0.98);
}
