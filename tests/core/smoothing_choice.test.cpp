// A smoothing chosen by name, as the page asks for it: the "auto" window and the weights.

#include <catch2/catch.hpp>

#include <vector>

#include "curvelab/smoothing.hpp"
#include "curvelab/smoothing_choice.hpp"

using namespace curvelab;

TEST_CASE("a smoothing chosen by name: auto window, weights out of range, none", "[smoothing]") {
  CHECK(parse_smoothing_method("ema") == SmoothingMethod::Ema);
  CHECK(parse_smoothing_method("moving-average") == SmoothingMethod::MovingAverage);
  CHECK(parse_smoothing_method("none") == SmoothingMethod::None);
  CHECK_FALSE(parse_smoothing_method("EMA"));
  CHECK(moving_average_window(0, 1000) == 50);
  CHECK(moving_average_window(0.5, 1000) == 50);
  CHECK(moving_average_window(20, 1000) == 20);
  CHECK(moving_average_window(1e12, 1000) == 1'000'000'000);
  const std::vector<double> x{1, 5, 2, 8, 3, 3};
  CHECK(smooth(x, SmoothingMethod::None, 0, 6) == x);
  CHECK(smooth(x, SmoothingMethod::MovingAverage, 3, 6) == moving_average(x, 3));
  CHECK(smooth(x, SmoothingMethod::MovingAverage, 0, 200) == moving_average(x, 10));
  CHECK(smooth(x, SmoothingMethod::Ema, 0.9, 6) == ema_debiased(x, 0.9));
  CHECK(smooth(x, SmoothingMethod::Ema, 1.5, 6) == x);
}
