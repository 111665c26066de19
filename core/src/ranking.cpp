#include "curvelab/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace curvelab {

std::vector<int> rank_descending(std::span<const double> scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const bool nan_a = std::isnan(scores[a]);
    const bool nan_b = std::isnan(scores[b]);
    if (nan_a || nan_b) return !nan_a && nan_b;
    return scores[a] > scores[b];
  });
  std::vector<int> rank(scores.size());
  for (std::size_t r = 0; r < order.size(); ++r) {
    rank[order[r]] = static_cast<int>(r);
  }
  return rank;
}

std::vector<bool> best_k(std::span<const double> scores, int k) {
  const std::vector<int> rank = rank_descending(scores);
  std::vector<bool> out(scores.size());
  for (std::size_t i = 0; i < rank.size(); ++i) {
    out[i] = k <= 0 || rank[i] < k;
  }
  return out;
}

}  // namespace curvelab
