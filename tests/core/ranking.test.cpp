// Runs ranked best first, and the best-K filter of the page.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "curvelab/ranking.hpp"

using namespace curvelab;

TEST_CASE("runs rank by score, higher first, ties in run order, NaN last", "[ranking]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> scores{0.5, 2, nan, 2, -1};
  CHECK(rank_descending(scores) == std::vector<int>{2, 0, 4, 1, 3});
  CHECK(best_k(scores, 2) == std::vector<bool>{false, true, false, true, false});
  CHECK(best_k(scores, 0) == std::vector<bool>(5, true));
  CHECK(best_k(scores, 9) == std::vector<bool>(5, true));
  CHECK(rank_descending(std::vector<double>{}).empty());
}

TEST_CASE("a rank is a permutation of 0..n-1 for any scores", "[ranking]") {
  std::vector<double> scores;
  for (int i = 0; i < 50; ++i) scores.push_back(std::sin(i * 1.7) * (i % 3));
  std::vector<int> rank = rank_descending(scores);
  std::vector<bool> seen(scores.size());
  for (std::size_t i = 0; i < rank.size(); ++i) {
    REQUIRE(rank[i] >= 0);
    REQUIRE(rank[i] < 50);
    seen[static_cast<std::size_t>(rank[i])] = true;
    for (std::size_t j = 0; j < rank.size(); ++j) {
      if (scores[i] > scores[j]) REQUIRE(rank[i] < rank[j]);
    }
  }
  CHECK(std::vector<bool>(50, true) == seen);
}
