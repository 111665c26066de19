#pragma once
/// \file
/// Runs ranked by a score, best first: the page's "Runs shown: best K" filter ranks runs
/// by their ground-truth final performance so far.

#include <span>
#include <vector>

namespace curvelab {

/// The rank of each run (0 = best) by `scores`, higher first; ties keep the runs' order,
/// and NaN ranks below every number.
std::vector<int> rank_descending(std::span<const double> scores);

/// Is run i among the `k` best by `scores`? Every run when `k` <= 0.
std::vector<bool> best_k(std::span<const double> scores, int k);

}  // namespace curvelab
