#pragma once
// The report of `curvelab score`: the answerer's scores per kind next to every pruner on
// the same items (and people's, from labels), as text or JSON. `curvelab score` and
// `curvelab quiz --agent` print the same report.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "curvelab/quiz.hpp"

namespace curvelab::cli {

/// An answer (or label) line that could not be used.
struct ScoreProblem {
  int line = 0;
  std::string id;
  std::string error;
};

struct ScoreReport {
  std::vector<QuizItem> items;
  std::vector<QuizTruth> truths;                ///< one per item
  std::vector<std::optional<QuizScore>> model;  ///< one per item; none = no answer
  std::string answerer = "model";               ///< the answerer's row on the board
  QuizTally tally;                              ///< people's rows, when labels were given
  std::optional<std::string> labels_path;       ///< where people's labels came from
  int labels_used = 0;
  std::vector<ScoreProblem> problems;               ///< answer lines refused
  std::vector<ScoreProblem> label_problems;         ///< label lines refused
  std::vector<std::string> duplicates;              ///< ids answered twice (the first counts)
  nlohmann::json extra = nlohmann::json::object();  ///< more keys of the JSON report
};

/// Writes the report, `format` "text" or "json"; returns the exit status (0).
int write_score_report(const ScoreReport& report, const std::string& format, std::ostream& out);

}  // namespace curvelab::cli
