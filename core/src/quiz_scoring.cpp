// Ground truth of an item and the scoring of answers against it: raw figures, the chance
// level and the chance-corrected score (curvelab/quiz.hpp).

#include "curvelab/quiz.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

#include "curvelab/smoothing.hpp"
#include "curvelab/study.hpp"
#include "quiz_detail.hpp"

namespace curvelab {
namespace quiz_detail {

StudySpec item_study(const QuizItem& item, const std::vector<std::vector<double>>& shown) {
  StudySpec spec;
  spec.name = item.id;
  spec.direction = Direction::Maximize;
  for (const auto& curve : shown) {
    TrialSpec trial;
    trial.values = curve;
    spec.trials.push_back(std::move(trial));
  }
  return spec;
}

}  // namespace quiz_detail

namespace {
using quiz_detail::finals_of;
using quiz_detail::item_study;
using quiz_detail::order_by;

constexpr double kClickTolerance = 0.05;  // a click this share of the horizon away scores 0
constexpr double kWrongStopWeight = 0.5;  // per step cut from a run that should not stop
constexpr double kRegretWeight = 0.3;     // per unit of regret (the cohort's final range)

// Per run, the display step at which an answer stopped it (none = ran to the horizon).
std::vector<std::optional<int>> stop_steps(const QuizItem& item, const QuizAnswer& answer) {
  if (item.kind == QuizKind::Sequential) {
    return answer.stops;
  }
  std::vector<std::optional<int>> at(item.runs.size());
  for (const int i : answer.stop) {
    at[static_cast<std::size_t>(i)] = item.shown_until;
  }
  return at;
}

// What stopping run i at step `at` earns, as a share of all the cohort's steps. A run that
// should stop earns the steps saved from the truth's stop on: stopping it before the step
// from which it visibly stays below the line is not rewarded further.
double stop_gain(const QuizItem& item, const QuizTruth& truth, std::size_t i, int at) {
  const double all = static_cast<double>(item.runs.size()) * item.horizon;
  if (truth.cohort.runs[i].below_median) {
    const std::optional<int> cap =
        item.kind == QuizKind::Sequential ? truth.answer.stops[i] : std::optional<int>(item.shown_until);
    return cap ? (item.horizon - std::max(at, *cap)) / all : 0.0;
  }
  return -kWrongStopWeight * (item.horizon - at) / all;
}

// (best final - best final kept) / (best - worst); nothing kept counts as the worst.
double regret_of(const QuizTruth& truth, const std::vector<bool>& kept) {
  const double range = truth.cohort.best_final - truth.cohort.worst_final;
  if (!(range > 0.0)) {
    return 0.0;
  }
  double best_kept = truth.cohort.worst_final;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (kept[i]) {
      best_kept = std::max(best_kept, truth.runs[i].final_performance);
    }
  }
  return (truth.cohort.best_final - best_kept) / range;
}

std::vector<bool> kept_runs(const std::vector<std::optional<int>>& at) {
  std::vector<bool> kept(at.size());
  for (std::size_t i = 0; i < at.size(); ++i) {
    kept[i] = !at[i].has_value();
  }
  return kept;
}

double stop_raw(const QuizItem& item, const QuizTruth& truth, const std::vector<std::optional<int>>& at) {
  double raw = 0.0;
  for (std::size_t i = 0; i < at.size(); ++i) {
    if (at[i]) {
      raw += stop_gain(item, truth, i, *at[i]);
    }
  }
  return raw - kRegretWeight * regret_of(truth, kept_runs(at));
}

double click_raw(const QuizItem& item, std::optional<int> given, std::optional<int> expected) {
  // "Never" counts as the horizon, on either side.
  const int distance = std::abs(given.value_or(item.horizon) - expected.value_or(item.horizon));
  return std::max(0.0, 1.0 - distance / (kClickTolerance * item.horizon));
}

double raw_utility(const QuizItem& item, const QuizTruth& truth, const QuizAnswer& answer) {
  switch (item.kind) {
    case QuizKind::StopEarly:
    case QuizKind::Sequential:
      return stop_raw(item, truth, stop_steps(item, answer));
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest:
      return kendall_tau(answer.ranking, truth.answer.ranking);
    case QuizKind::Onset:
    case QuizKind::StopPoint:
      return click_raw(item, answer.step, truth.answer.step);
    case QuizKind::Pairwise:
      return answer.better == truth.answer.better ? 1.0 : 0.0;
  }
  return 0.0;
}

// The expected raw utility of an answerer drawing uniformly among the valid answers
// (sequential: each run stopped with probability 1/2, at a uniformly drawn checkpoint),
// computed exactly.
double chance_level(const QuizItem& item, const QuizTruth& truth) {
  switch (item.kind) {
    case QuizKind::StopEarly:
    case QuizKind::Sequential: {
      const std::vector<int> cut_only{item.shown_until};
      const std::vector<int>& steps = item.kind == QuizKind::Sequential ? item.checkpoints : cut_only;
      const std::size_t n = item.runs.size();
      double linear = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        double sum = 0.0;
        for (const int at : steps) {
          sum += stop_gain(item, truth, i, at);
        }
        linear += 0.5 * sum / static_cast<double>(steps.size());
      }
      // Which runs are kept is a fair coin per run: every subset is equally likely.
      double regret = 0.0;
      const std::size_t subsets = std::size_t{1} << n;
      std::vector<bool> kept(n);
      for (std::size_t mask = 0; mask < subsets; ++mask) {
        for (std::size_t i = 0; i < n; ++i) {
          kept[i] = ((mask >> i) & 1U) != 0;
        }
        regret += regret_of(truth, kept);
      }
      return linear - kRegretWeight * regret / static_cast<double>(subsets);
    }
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest:
      return 0.0;  // E[tau] of a uniformly random permutation
    case QuizKind::Onset:
    case QuizKind::StopPoint: {
      double sum = 0.0;
      for (int c = 1; c <= item.horizon; ++c) {
        sum += click_raw(item, c, truth.answer.step);
      }
      int clicks = item.horizon;
      if (item.kind == QuizKind::StopPoint) {
        sum += click_raw(item, std::nullopt, truth.answer.step);
        ++clicks;
      }
      return sum / clicks;
    }
    case QuizKind::Pairwise:
      return 0.5;
  }
  return 0.0;
}

// 1 at the truth's raw utility, 0 at the chance level.
double chance_corrected(double raw, double truth_raw, double chance) {
  const double span = truth_raw - chance;
  if (!(span > 1e-12)) {
    return raw >= truth_raw - 1e-12 ? 1.0 : 0.0;  // no answer beats chance here
  }
  return (raw - chance) / span;
}

struct StopCounts {
  std::optional<double> precision;
  std::optional<double> recall;
};

StopCounts stop_counts(const std::vector<bool>& stopped, const CohortTruth& cohort) {
  int chosen = 0;
  int should = 0;
  int both = 0;
  for (std::size_t i = 0; i < stopped.size(); ++i) {
    chosen += stopped[i] ? 1 : 0;
    should += cohort.runs[i].below_median ? 1 : 0;
    both += stopped[i] && cohort.runs[i].below_median ? 1 : 0;
  }
  StopCounts counts;
  if (chosen > 0) {
    counts.precision = static_cast<double>(both) / chosen;
  }
  if (should > 0) {
    counts.recall = static_cast<double>(both) / should;
  }
  return counts;
}
}  // namespace

QuizTruth quiz_truth(const QuizItem& item, const std::vector<Run>& runs) {
  QuizTruth truth;
  std::vector<std::span<const double>> values;
  GroundTruthOptions options;
  options.smoothing_window = item.smoothing_window;
  for (const Run& run : runs) {
    truth.runs.push_back(run_truth(run.true_values(), run.rewards(), run.baseline(), run.best_possible(), options));
    values.push_back(run.true_values());
  }
  truth.cohort = cohort_truth(truth.runs, values);
  truth.shown = shown_curves(item, runs);
  const std::vector<double> finals = finals_of(truth);
  QuizAnswer& best = truth.answer;
  switch (item.kind) {
    case QuizKind::StopEarly:
      for (std::size_t i = 0; i < runs.size(); ++i) {
        if (truth.cohort.runs[i].below_median) {
          best.stop.push_back(static_cast<int>(i));
        }
      }
      break;
    case QuizKind::RankMax: {
      std::vector<double> maxima;
      for (const RunTruth& run : truth.runs) {
        maxima.push_back(run.max_visible);
      }
      best.ranking = order_by(maxima, true);
      break;
    }
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest: {
      // A run that never reaches half its gain is the slowest of all.
      std::vector<double> times;
      for (const RunTruth& run : truth.runs) {
        times.push_back(run.time_to_50 ? *run.time_to_50 : std::numeric_limits<double>::infinity());
      }
      best.ranking = order_by(times, item.kind == QuizKind::RankSlowest);
      break;
    }
    case QuizKind::Onset:
      // A run that never learns (possible in a hand-written quiz file, never generated)
      // starts at the horizon, as a click of "never" counts elsewhere.
      best.step = truth.runs[0].onset.value_or(item.horizon);
      break;
    case QuizKind::StopPoint:
      if (item.target >= 0) {
        best.step = truth.cohort.runs[static_cast<std::size_t>(item.target)].best_stop_step;
      }
      break;
    case QuizKind::Pairwise:
      best.better = finals[1] > finals[0] ? 1 : 0;
      break;
    case QuizKind::Sequential:
      // Stop each run that should stop at the first checkpoint from which it stays
      // below the median; run the others to the end.
      for (const StopTruth& stop : truth.cohort.runs) {
        std::optional<int> at;
        if (stop.below_median && stop.best_stop_step) {
          for (const int c : item.checkpoints) {
            if (c >= *stop.best_stop_step) {
              at = c;
              break;
            }
          }
        }
        best.stops.push_back(at);
      }
      break;
  }
  truth.truth_raw = raw_utility(item, truth, truth.answer);
  truth.chance = chance_level(item, truth);
  return truth;
}

double kendall_tau(const std::vector<int>& a, const std::vector<int>& b) {
  assert(a.size() == b.size());
  const std::size_t n = a.size();
  if (n < 2) {
    return 1.0;
  }
  std::vector<std::size_t> position(n);
  for (std::size_t i = 0; i < n; ++i) {
    position[static_cast<std::size_t>(b[i])] = i;
  }
  long concordant = 0;
  long discordant = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      // a ranks a[i] above a[j]; does b agree?
      (position[static_cast<std::size_t>(a[i])] < position[static_cast<std::size_t>(a[j])] ? concordant : discordant) +=
          1;
    }
  }
  return static_cast<double>(concordant - discordant) / static_cast<double>(concordant + discordant);
}

std::optional<Error> validate_answer(const QuizItem& item, const QuizAnswer& answer) {
  if (answer.skipped) {
    return std::nullopt;
  }
  const int n = static_cast<int>(item.runs.size());
  const auto bad_run = [&](const char* field, int i) {
    return Error{field, std::string(field) + " names run " + std::to_string(i) + ", but the item has runs 0.." +
                            std::to_string(n - 1)};
  };
  switch (item.kind) {
    case QuizKind::StopEarly: {
      std::vector<bool> seen(static_cast<std::size_t>(n), false);
      for (const int i : answer.stop) {
        if (i < 0 || i >= n) {
          return bad_run("stop", i);
        }
        if (seen[static_cast<std::size_t>(i)]) {
          return Error{"stop", "stop names run " + run_label(i) + " twice"};
        }
        seen[static_cast<std::size_t>(i)] = true;
      }
      return std::nullopt;
    }
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest: {
      std::vector<int> sorted = answer.ranking;
      std::sort(sorted.begin(), sorted.end());
      std::vector<int> expected(static_cast<std::size_t>(n));
      std::iota(expected.begin(), expected.end(), 0);
      if (sorted != expected) {
        return Error{"ranking", "ranking must name each of the " + std::to_string(n) + " runs (" + run_label(0) + ".." +
                                    run_label(n - 1) + ") exactly once"};
      }
      return std::nullopt;
    }
    case QuizKind::Onset:
    case QuizKind::StopPoint:
      if (!answer.step) {
        if (item.kind == QuizKind::StopPoint) {
          return std::nullopt;  // "never stop" is an answer
        }
        return Error{"step", "step is missing: click where learning started"};
      }
      if (*answer.step < 1 || *answer.step > item.horizon) {
        return out_of_range("step", 1, item.horizon, *answer.step);
      }
      return std::nullopt;
    case QuizKind::Pairwise:
      if (!answer.better || *answer.better < 0 || *answer.better > 1) {
        return Error{"better", "better must be A or B"};
      }
      return std::nullopt;
    case QuizKind::Sequential:
      if (static_cast<int>(answer.stops.size()) != n) {
        return Error{"stops", "stops must have one entry per run (" + std::to_string(n) + "), got " +
                                  std::to_string(answer.stops.size())};
      }
      for (const auto& stop : answer.stops) {
        if (stop && std::find(item.checkpoints.begin(), item.checkpoints.end(), *stop) == item.checkpoints.end()) {
          return Error{"stops", "stops: " + std::to_string(*stop) + " is not a checkpoint"};
        }
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<int> best_finished_run(const std::vector<std::vector<double>>& shown,
                                     const std::vector<std::optional<int>>& stops) {
  std::optional<int> best;
  for (std::size_t i = 0; i < stops.size() && i < shown.size(); ++i) {
    if (!stops[i] && !shown[i].empty() && (!best || shown[i].back() > shown[static_cast<std::size_t>(*best)].back())) {
      best = static_cast<int>(i);
    }
  }
  return best;
}

QuizScore score_answer(const QuizItem& item, const QuizTruth& truth, const QuizAnswer& answer) {
  assert(!validate_answer(item, answer));
  QuizScore s;
  if (answer.skipped) {
    s.skipped = true;
    return s;
  }
  const auto n = item.runs.size();
  const double horizon = item.horizon;
  switch (item.kind) {
    case QuizKind::StopEarly: {
      std::vector<bool> stopped(n, false);
      for (const int i : answer.stop) {
        stopped[static_cast<std::size_t>(i)] = true;
      }
      const StopCounts counts = stop_counts(stopped, truth.cohort);
      s.precision = counts.precision;
      s.recall = counts.recall;
      s.steps_saved = static_cast<double>(answer.stop.size()) * (horizon - item.shown_until) / (n * horizon);
      s.best_kept = !stopped[static_cast<std::size_t>(truth.cohort.best_run)];
      s.regret = regret_of(truth, kept_runs(stop_steps(item, answer)));
      break;
    }
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest:
      s.kendall_tau = kendall_tau(answer.ranking, truth.answer.ranking);
      s.top1 = answer.ranking.front() == truth.answer.ranking.front();
      break;
    case QuizKind::Onset:
    case QuizKind::StopPoint: {
      const int given = answer.step.value_or(item.horizon);
      s.distance = std::abs(given - truth.answer.step.value_or(item.horizon));
      if (item.kind == QuizKind::StopPoint) {
        s.steps_saved = (horizon - given) / horizon;
      }
      break;
    }
    case QuizKind::Pairwise:
      s.correct = answer.better == truth.answer.better;
      break;
    case QuizKind::Sequential: {
      // The answer acts as a pruner on the study of the shown curves: the same summary
      // the pruners get.
      const StudySpec spec = item_study(item, truth.shown);
      std::vector<TrialOutcome> outcomes(n);
      std::vector<bool> stopped(n, false);
      for (std::size_t i = 0; i < n; ++i) {
        outcomes[i].steps_run = item.horizon;
        if (const auto& at = answer.stops[i]) {
          outcomes[i].state = TrialState::Pruned;
          outcomes[i].pruned_at = *at - 1;  // study steps count from 0
          outcomes[i].steps_run = *at;
          stopped[i] = true;
        }
      }
      const StudySummary summary = summarize(spec, outcomes);
      const StopCounts counts = stop_counts(stopped, truth.cohort);
      s.precision = counts.precision;
      s.recall = counts.recall;
      s.steps_saved = summary.share_saved;
      s.auc = summary.auc;
      s.best_kept = !stopped[static_cast<std::size_t>(truth.cohort.best_run)];
      s.regret = regret_of(truth, kept_runs(answer.stops));
      break;
    }
  }
  s.raw = raw_utility(item, truth, answer);
  s.chance = truth.chance;
  s.score = chance_corrected(s.raw, truth.truth_raw, truth.chance);
  return s;
}

}  // namespace curvelab
