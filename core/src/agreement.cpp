#include "curvelab/agreement.hpp"

#include <cassert>
#include <cstdlib>

namespace curvelab {

double kendall_w(const std::vector<std::vector<int>>& rankings) {
  const std::size_t m = rankings.size();
  assert(m >= 2);
  const std::size_t n = rankings.front().size();
  assert(n >= 2);
  // Rank sums: an object's rank is its position (1 = top) in each ranking.
  std::vector<double> rank_sum(n, 0.0);
  for (const auto& ranking : rankings) {
    assert(ranking.size() == n);
    for (std::size_t position = 0; position < n; ++position) {
      rank_sum[static_cast<std::size_t>(ranking[position])] += static_cast<double>(position + 1);
    }
  }
  const double mean = static_cast<double>(m) * static_cast<double>(n + 1) / 2.0;
  double s = 0.0;
  for (const double r : rank_sum) {
    s += (r - mean) * (r - mean);
  }
  const double dm = static_cast<double>(m);
  const double dn = static_cast<double>(n);
  return 12.0 * s / (dm * dm * (dn * dn * dn - dn));
}

double fleiss_kappa(const std::vector<std::vector<int>>& counts) {
  assert(!counts.empty());
  const std::size_t categories = counts.front().size();
  int raters = 0;
  for (const int c : counts.front()) {
    raters += c;
  }
  assert(raters >= 2);
  const double subjects = static_cast<double>(counts.size());
  std::vector<double> category_share(categories, 0.0);
  double observed = 0.0;
  for (const auto& row : counts) {
    double agreeing = 0.0;
    for (std::size_t j = 0; j < categories; ++j) {
      category_share[j] += row[j];
      agreeing += static_cast<double>(row[j]) * (row[j] - 1);
    }
    observed += agreeing / (static_cast<double>(raters) * (raters - 1));
  }
  observed /= subjects;
  double expected = 0.0;
  for (double& p : category_share) {
    p /= subjects * raters;
    expected += p * p;
  }
  if (expected >= 1.0) {
    return 1.0;  // one category only: nothing to disagree about
  }
  return (observed - expected) / (1.0 - expected);
}

double percent_agreement(const std::vector<int>& choices) {
  assert(choices.size() >= 2);
  int agree = 0;
  int pairs = 0;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    for (std::size_t j = i + 1; j < choices.size(); ++j) {
      agree += choices[i] == choices[j] ? 1 : 0;
      ++pairs;
    }
  }
  return static_cast<double>(agree) / pairs;
}

double mean_pairwise_distance(const std::vector<int>& values) {
  assert(values.size() >= 2);
  double total = 0.0;
  int pairs = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (std::size_t j = i + 1; j < values.size(); ++j) {
      total += std::abs(values[i] - values[j]);
      ++pairs;
    }
  }
  return total / pairs;
}

}  // namespace curvelab
