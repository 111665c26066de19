// The quiz kinds named by `--kind` flags (quiz, eval).

#include <iterator>

#include "commands.hpp"

namespace curvelab::cli {

std::vector<QuizKind> parse_kind_flags(const std::vector<std::string>& values) {
  std::vector<QuizKind> kinds;
  for (const std::string& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      const std::size_t comma = value.find(',', start);
      const std::string name = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (name == "mixed") {
        kinds.insert(kinds.end(), std::begin(kAllQuizKinds), std::end(kAllQuizKinds));
      } else if (const auto kind = parse_quiz_kind(name)) {
        kinds.push_back(*kind);
      } else {
        throw CliError(
            "--kind must be one of stop-early, rank-max, rank-fastest, rank-slowest, onset, stop-point, "
            "pairwise, sequential, mixed, got \"" +
            name + "\"");
      }
      if (comma == std::string::npos) {
        break;
      }
      start = comma + 1;
    }
  }
  if (kinds.empty()) {
    kinds.assign(std::begin(kAllQuizKinds), std::end(kAllQuizKinds));
  }
  return kinds;
}

}  // namespace curvelab::cli
