// Moving average and TensorBoard's debiased exponential moving average.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "curvelab/smoothing.hpp"

using curvelab::ema_debiased;
using curvelab::moving_average;

TEST_CASE("the moving average trails over the window and averages what exists at the start", "[smoothing]") {
  const std::vector<double> x{1, 2, 3, 4, 10};
  CHECK(moving_average(x, 1) == x);
  CHECK(moving_average(x, 2) == std::vector<double>{1, 1.5, 2.5, 3.5, 7});
  CHECK(moving_average(x, 3) == std::vector<double>{1, 1.5, 2, 3, 17.0 / 3.0});
  CHECK(moving_average(x, 10) == std::vector<double>{1, 1.5, 2, 2.5, 4});
  CHECK(moving_average(std::vector<double>{}, 3).empty());
}

TEST_CASE("the moving average of a long constant curve stays exactly constant", "[smoothing]") {
  const std::vector<double> x(100'000, 0.1);
  const auto smoothed = moving_average(x, 5000);
  CHECK(smoothed.back() == Approx(0.1).epsilon(1e-14));
  CHECK(smoothed[49'999] == Approx(0.1).epsilon(1e-14));
}

TEST_CASE("the debiased EMA matches TensorBoard's formula", "[smoothing]") {
  SECTION("a constant is left unchanged from the first point (no pull towards zero)") {
    for (const double v : ema_debiased(std::vector<double>{3, 3, 3, 3}, 0.9)) {
      CHECK(v == Approx(3.0).epsilon(1e-12));
    }
  }
  SECTION("two points by hand") {
    // last = 0.5 * 0 + 0.5 * 0 = 0 -> 0 / (1 - 0.5) = 0;
    // last = 0.5 * 0 + 0.5 * 2 = 1 -> 1 / (1 - 0.25) = 4/3.
    const auto s = ema_debiased(std::vector<double>{0, 2}, 0.5);
    CHECK(s[0] == 0.0);
    CHECK(s[1] == Approx(4.0 / 3.0).epsilon(1e-15));
  }
  SECTION("weight 0 is the identity") {
    const std::vector<double> x{1, -2, 5};
    CHECK(ema_debiased(x, 0.0) == x);
  }
  SECTION("non-finite values pass through and do not enter the average") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const auto s = ema_debiased(std::vector<double>{1, nan, 1}, 0.6);
    CHECK(s[0] == Approx(1.0));
    CHECK(std::isnan(s[1]));
    CHECK(s[2] == Approx(1.0).epsilon(1e-12));
  }
}

TEST_CASE("the default window is 5% of the horizon, at least one step", "[smoothing]") {
  CHECK(curvelab::default_smoothing_window(1000) == 50);
  CHECK(curvelab::default_smoothing_window(10) == 1);
  CHECK(curvelab::default_smoothing_window(1) == 1);
}
