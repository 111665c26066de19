// Agreement statistics on examples worked out by hand or published.

#include <catch2/catch.hpp>

#include "curvelab/agreement.hpp"

using namespace curvelab;

TEST_CASE("Kendall's W is 1 for identical rankings and 0 for rankings that cancel out", "[agreement]") {
  CHECK(kendall_w({{0, 1, 2}, {0, 1, 2}, {0, 1, 2}}) == 1.0);
  CHECK(kendall_w({{0, 1, 2}, {2, 1, 0}}) == 0.0);
  // Rank sums 4, 5, 10, 11 around a mean of 7.5: S = 37, W = 12 * 37 / (9 * 60).
  CHECK(kendall_w({{0, 1, 2, 3}, {1, 0, 2, 3}, {0, 1, 3, 2}}) == Approx(444.0 / 540.0));
}

TEST_CASE("Fleiss' kappa reproduces the textbook example", "[agreement]") {
  // Fleiss (1971) as tabulated on Wikipedia: 10 subjects, 14 raters, 5 categories, kappa 0.210.
  const std::vector<std::vector<int>> counts{{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0},
                                             {2, 2, 8, 1, 1},  {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2},
                                             {6, 5, 2, 1, 0},  {0, 2, 2, 3, 7}};
  CHECK(fleiss_kappa(counts) == Approx(0.20993).margin(1e-4));
  SECTION("perfect agreement across categories is 1") { CHECK(fleiss_kappa({{3, 0}, {0, 3}, {3, 0}}) == Approx(1.0)); }
  SECTION("every rating in one category is perfect agreement, not 0/0") {
    CHECK(fleiss_kappa({{2, 0}, {2, 0}}) == 1.0);
  }
  SECTION("systematic disagreement is below chance") { CHECK(fleiss_kappa({{1, 1}, {1, 1}, {1, 1}}) < 0.0); }
}

TEST_CASE("percent agreement and pairwise distance count rater pairs", "[agreement]") {
  CHECK(percent_agreement({0, 0, 1}) == Approx(1.0 / 3.0));  // one agreeing pair of three
  CHECK(percent_agreement({1, 1}) == 1.0);
  CHECK(mean_pairwise_distance({100, 150, 300}) == Approx((50.0 + 200.0 + 150.0) / 3.0));
}
