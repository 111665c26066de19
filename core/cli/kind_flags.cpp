// The quiz kinds named by `--kind` flags (quiz, eval).

#include "commands.hpp"

namespace curvelab::cli {

std::vector<QuizKind> parse_kind_flags(const std::vector<std::string>& values) {
  std::string list;
  for (const std::string& value : values) {
    list += (list.empty() ? "" : ",") + value;
  }
  auto kinds = parse_quiz_kinds(list, "--kind");
  if (!kinds) {
    throw CliError(kinds.error().message);
  }
  return std::move(kinds.value());
}

}  // namespace curvelab::cli
