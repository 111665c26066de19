#pragma once
/// \file
/// Agreement between annotators answering the same item.

#include <vector>

namespace curvelab {

/// Kendall's coefficient of concordance W of m rankings of the same n objects (each a
/// permutation of 0..n-1, first = top): 1 when all rankings agree, 0 when they cancel out.
/// Needs m >= 2 and n >= 2.
double kendall_w(const std::vector<std::vector<int>>& rankings);

/// Fleiss' kappa. `counts[i][j]` is how many raters put subject i in category j; every
/// subject has the same number of raters (>= 2). 1 is perfect agreement, 0 chance level;
/// when every rating falls into one category, agreement is perfect and 1 is returned.
double fleiss_kappa(const std::vector<std::vector<int>>& counts);

/// Share of rater pairs that gave the same choice (>= 2 choices).
double percent_agreement(const std::vector<int>& choices);

/// Mean absolute difference over rater pairs (clicks, in steps; >= 2 values).
double mean_pairwise_distance(const std::vector<int>& values);

}  // namespace curvelab
