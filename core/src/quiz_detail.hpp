#pragma once
// What the quiz's source files share (internal to core/src): the orderings, finals and the
// study an item's shown curves make, which item generation, truth, scoring and the board
// all use. The public entry points are in curvelab/quiz.hpp.

#include <vector>

#include "curvelab/quiz.hpp"
#include "curvelab/study.hpp"

namespace curvelab::quiz_detail {

/// The indices of `keys` sorted by their key (stable: ties keep their order).
std::vector<int> order_by(const std::vector<double>& keys, bool descending);

/// Each run's final performance, in the order of the item's runs.
std::vector<double> finals_of(const QuizTruth& truth);

/// The item's runs as one study, in the order shown, reporting the shown curves, maximized.
StudySpec item_study(const QuizItem& item, const std::vector<std::vector<double>>& shown);

}  // namespace curvelab::quiz_detail
