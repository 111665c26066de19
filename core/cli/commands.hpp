#pragma once
// The curvelab commands. Each reads its flags from `args`, writes its result to `out`
// and returns the exit status; bad input is thrown as CliError (exit 2).

#include <ostream>

#include <string>
#include <vector>

#include "args.hpp"
#include "curvelab/quiz.hpp"

namespace curvelab::cli {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(Args& args, std::ostream& out);
};

int run_simulate(Args& args, std::ostream& out);
int run_generate(Args& args, std::ostream& out);
int run_prune(Args& args, std::ostream& out);
int run_quiz(Args& args, std::ostream& out);
int run_score(Args& args, std::ostream& out);
int run_labels(Args& args, std::ostream& out);
int run_bench(Args& args, std::ostream& out);
int run_serve(Args& args, std::ostream& out);
int run_prune_bench(Args& args, std::ostream& out);
int run_sweep(Args& args, std::ostream& out);
int run_eval(Args& args, std::ostream& out);

/// The kinds named by `--kind` values, repeated or comma-separated: the values joined by
/// commas, read by `parse_quiz_kinds` (quiz.hpp: `mixed` is every kind in turn; none given
/// is `mixed`).
std::vector<QuizKind> parse_kind_flags(const std::vector<std::string>& values);

}  // namespace curvelab::cli
