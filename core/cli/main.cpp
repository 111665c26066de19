// curvelab: the command-line face of the core. The only place that does I/O.

#include <array>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"

namespace {
using curvelab::cli::Command;

constexpr std::array kCommands{
    Command{"simulate", "average reward curves of one bandit configuration over many runs",
            curvelab::cli::run_simulate},
    Command{"sweep", "the parameter study of Sutton and Barto's Figure 2.6: average reward against each parameter",
            curvelab::cli::run_sweep},
    Command{"generate", "a dataset of diverse experiments with their curves and ground truth",
            curvelab::cli::run_generate},
    Command{"prune", "Optuna's pruners on a study, decision for decision, with the reason for each stop",
            curvelab::cli::run_prune},
    Command{"quiz", "quiz items as JSON, or as prompts (CSV, markdown, JSON, lists) and SVG charts for models",
            curvelab::cli::run_quiz},
    Command{"eval", "a quiz set answered by a language model over an OpenAI-compatible endpoint, in every format",
            curvelab::cli::run_eval},
    Command{"score", "answers to a quiz scored against ground truth, next to the pruners and people",
            curvelab::cli::run_score},
    Command{"labels", "label files from the page: merge, CSV, rescore, agreement among annotators",
            curvelab::cli::run_labels},
    Command{"bench", "how fast the simulator runs on this machine", curvelab::cli::run_bench},
    Command{"serve", "collect a class's answers: the quiz page and a label API (SQLite or PostgreSQL)",
            curvelab::cli::run_serve},
    Command{"prune-bench", "Optuna's pruners and the extrapolation pruner side by side on the same studies",
            curvelab::cli::run_prune_bench},
};

void print_usage(std::ostream& out) {
  out << "curvelab: learning curves of multi-armed bandits, their ground truth, pruners and quizzes\n\n"
         "usage: curvelab <command> [options]   (curvelab <command> --help for its options)\n\ncommands:\n";
  for (const auto& command : kCommands) {
    out << "  " << command.name << std::string(12 - std::string_view(command.name).size(), ' ') << command.summary
        << "\n";
  }
  out << "\nOptions are spelled --name VALUE or --name=VALUE. Exit status: 0 on success, 2 on bad input\n"
         "(with one line on stderr naming the field and the allowed range). Without a command,\n"
         "curvelab prints this usage on stderr and exits with status 2.\n";
}
}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return 0;
  }
  for (const auto& command : kCommands) {
    if (name == command.name) {
      curvelab::cli::Args args(std::vector<std::string>(argv + 2, argv + argc));
      try {
        return command.run(args, std::cout);
      } catch (const curvelab::cli::CliError& error) {
        std::cout.flush();
        std::cerr << "curvelab " << name << ": " << error.what() << "\n";
        return 2;
      }
    }
  }
  std::cerr << "curvelab: unknown command " << curvelab::quote_value(name) << " (see curvelab --help)\n";
  return 2;
}
