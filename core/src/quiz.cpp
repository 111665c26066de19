#include "curvelab/quiz.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "curvelab/curve_reader.hpp"
#include "curvelab/generator.hpp"
#include "curvelab/random.hpp"
#include "curvelab/smoothing.hpp"
#include "curvelab/study.hpp"

namespace curvelab {
namespace {

constexpr int kHorizon = 1000;
constexpr int kCut = 250;                 // stop-early shows the first quarter
constexpr int kAttempts = 64;             // candidates tried before settling for the last one
constexpr double kClickTolerance = 0.05;  // a click this share of the horizon away scores 0

int cohort_size(QuizKind kind) {
  switch (kind) {
    case QuizKind::StopEarly:
    case QuizKind::Sequential:
      return 6;
    case QuizKind::StopPoint:
      return 5;
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest:
      return 4;
    case QuizKind::Pairwise:
      return 2;
    case QuizKind::Onset:
      return 1;
  }
  return 1;
}

bool needs_learners(QuizKind kind) {
  return kind == QuizKind::RankFastest || kind == QuizKind::RankSlowest || kind == QuizKind::Onset;
}

// One candidate cohort: a common bandit family (so the curves share a scale) and, per
// run, its own agent settings and seed.
std::vector<ExperimentConfig> candidate_runs(QuizKind kind, std::uint64_t candidate_seed) {
  Rng rng(candidate_seed);
  BanditConfig bandit;
  bandit.arms = rng.between(5, 20);
  bandit.arm_mean = rng.uniform(-1.0, 1.0);
  bandit.arm_spread = rng.uniform(0.5, 1.5);
  bandit.noise = rng.uniform(0.5, 2.5);
  std::vector<ExperimentConfig> runs(static_cast<std::size_t>(cohort_size(kind)));
  std::uint64_t stream = 0;
  for (ExperimentConfig& run : runs) {
    run.bandit = bandit;
    run.steps = kHorizon;
    const bool random = rng.uniform() < 0.15;
    run.agent.kind = random && !needs_learners(kind) ? AgentKind::Random : AgentKind::EpsilonGreedy;
    // Small epsilons learn slowly but end high; large ones learn fast and plateau low:
    // the crossings that make good questions.
    const double u = rng.uniform();
    run.agent.epsilon = std::round(1000.0 * (0.005 + 0.3 * u * u)) / 1000.0;
    run.seed = rng.next_u64() >> 11U;
    // The generator's mix of learners (UCB, gradient, optimistic, constant step) and
    // drift, from a stream of its own: the draws above keep their places.
    Rng mix(derive_seed(candidate_seed, ++stream));
    mix_learner(GeneratorRanges{}, run, mix);
  }
  return runs;
}

std::vector<int> order_by(const std::vector<double>& keys, bool descending) {
  std::vector<int> order(keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const auto ia = static_cast<std::size_t>(a);
    const auto ib = static_cast<std::size_t>(b);
    return descending ? keys[ia] > keys[ib] : keys[ia] < keys[ib];
  });
  return order;
}

// The smallest gap between neighbours once sorted.
double min_gap(std::vector<double> keys) {
  std::sort(keys.begin(), keys.end());
  double gap = std::numeric_limits<double>::infinity();
  for (std::size_t i = 1; i < keys.size(); ++i) {
    gap = std::min(gap, keys[i] - keys[i - 1]);
  }
  return gap;
}

std::vector<double> finals_of(const QuizTruth& truth) {
  std::vector<double> finals;
  for (const RunTruth& run : truth.runs) {
    finals.push_back(run.final_performance);
  }
  return finals;
}

// Does the candidate ask a question with a clear, non-trivial answer?
// The steps an onset or stop-point item's answer should fall in, from its seed and index:
// centres spread evenly over the allowed range by a low-discrepancy (golden-ratio)
// sequence, so the answers of a quiz cover the range and no fixed click beats chance.
struct ClickBand {
  int low = 0;
  int high = 0;
  /// Steps from the band (0 inside).
  int distance(int step) const { return step < low ? low - step : step > high ? step - high : 0; }
};

std::optional<ClickBand> click_band(QuizKind kind, std::uint64_t seed, int index) {
  if (kind != QuizKind::Onset && kind != QuizKind::StopPoint) {
    return std::nullopt;
  }
  const double low = 0.05 * kHorizon;
  const double high = (kind == QuizKind::Onset ? 0.8 : 0.9) * kHorizon;
  const double shift = static_cast<double>(derive_seed(seed, 0xC11C) >> 11U) * 0x1.0p-53;
  const double position = static_cast<double>(index) * 0.6180339887498949 + shift;
  const double centre = low + (position - std::floor(position)) * (high - low);
  const double half = (high - low) / 40.0;
  return ClickBand{static_cast<int>(std::lround(std::max(low, centre - half))),
                   static_cast<int>(std::lround(std::min(high, centre + half)))};
}

bool acceptable(const QuizItem& item, const std::vector<Run>& runs, const QuizTruth& truth, bool strict) {
  const std::vector<double> finals = finals_of(truth);
  const double range = truth.cohort.best_final - truth.cohort.worst_final;
  switch (item.kind) {
    case QuizKind::StopEarly:
    case QuizKind::Sequential: {
      if (!(range > 0.0)) {
        return false;
      }
      for (const double f : finals) {
        if (std::abs(f - truth.cohort.median_final) < 0.05 * range) {
          return false;  // too close to the line to be a fair question
        }
      }
      if (item.kind == QuizKind::Sequential) {
        // Every run that should stop can be stopped at a checkpoint without loss: a
        // UCB or gradient run's true value jumps between arms and may never stay below
        // the line, and then the question has no clear answer for it.
        for (const StopTruth& stop : truth.cohort.runs) {
          if (stop.below_median && !(stop.best_stop_step && *stop.best_stop_step <= item.checkpoints.back())) {
            return false;
          }
        }
        return true;
      }
      if (!strict) {
        return true;
      }
      // Not trivial: at the cut, some run that should stop still looks better than
      // some run that should not.
      const auto shown = shown_curves(item, runs);
      const auto at_cut = static_cast<std::size_t>(item.shown_until - 1);
      for (std::size_t i = 0; i < finals.size(); ++i) {
        for (std::size_t j = 0; j < finals.size(); ++j) {
          if (truth.cohort.runs[i].below_median && !truth.cohort.runs[j].below_median &&
              shown[i][at_cut] > shown[j][at_cut]) {
            return true;
          }
        }
      }
      return false;
    }
    case QuizKind::RankMax: {
      std::vector<double> maxima;
      for (const RunTruth& run : truth.runs) {
        maxima.push_back(run.max_visible);
      }
      const double spread =
          *std::max_element(maxima.begin(), maxima.end()) - *std::min_element(maxima.begin(), maxima.end());
      return spread > 0.0 && min_gap(maxima) >= 0.08 * spread;
    }
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest: {
      std::vector<double> times;
      for (const RunTruth& run : truth.runs) {
        if (!run.time_to_50) {
          return false;
        }
        times.push_back(*run.time_to_50);
      }
      return min_gap(times) >= 0.03 * item.horizon;
    }
    case QuizKind::Onset: {
      const auto& onset = truth.runs[0].onset;
      return onset && *onset >= 0.05 * item.horizon && *onset <= 0.8 * item.horizon;
    }
    case QuizKind::StopPoint:
      return item.target >= 0;
    case QuizKind::Pairwise: {
      if (!(std::abs(finals[0] - finals[1]) >= 0.1 * (std::abs(finals[0]) + std::abs(finals[1]) + 0.1))) {
        return false;
      }
      if (!strict) {
        return true;
      }
      // Prefer pairs whose curves cross: the leader at the first quarter is not the winner.
      return (runs[0].true_values()[kCut - 1] > runs[1].true_values()[kCut - 1]) != (finals[0] > finals[1]);
    }
  }
  return false;
}

// For stop-point: among the runs below the median whose best stop step is neither at the
// very start nor at the end, the first one nearest to the band.
int pick_target(const QuizTruth& truth, int horizon, const ClickBand& band) {
  int target = -1;
  int nearest = 0;
  for (std::size_t i = 0; i < truth.cohort.runs.size(); ++i) {
    const auto& stop = truth.cohort.runs[i].best_stop_step;
    if (stop && *stop >= 0.05 * horizon && *stop <= 0.9 * horizon && (target < 0 || band.distance(*stop) < nearest)) {
      target = static_cast<int>(i);
      nearest = band.distance(*stop);
    }
  }
  return target;
}

}  // namespace

std::string_view quiz_kind_name(QuizKind kind) {
  switch (kind) {
    case QuizKind::StopEarly:
      return "stop-early";
    case QuizKind::RankMax:
      return "rank-max";
    case QuizKind::RankFastest:
      return "rank-fastest";
    case QuizKind::RankSlowest:
      return "rank-slowest";
    case QuizKind::Onset:
      return "onset";
    case QuizKind::StopPoint:
      return "stop-point";
    case QuizKind::Pairwise:
      return "pairwise";
    case QuizKind::Sequential:
      return "sequential";
  }
  return "unknown";
}

std::optional<QuizKind> parse_quiz_kind(std::string_view name) {
  for (const QuizKind kind : kAllQuizKinds) {
    if (name == quiz_kind_name(kind)) {
      return kind;
    }
  }
  return std::nullopt;
}

Expected<std::vector<QuizKind>> parse_quiz_kinds(std::string_view text, std::string_view field) {
  std::vector<QuizKind> kinds;
  if (text.empty()) {
    kinds.assign(std::begin(kAllQuizKinds), std::end(kAllQuizKinds));
    return kinds;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view name = text.substr(start, comma - start);
    start = comma + 1;
    if (name == "mixed") {
      kinds.insert(kinds.end(), std::begin(kAllQuizKinds), std::end(kAllQuizKinds));
    } else if (const auto kind = parse_quiz_kind(name)) {
      kinds.push_back(*kind);
    } else {
      return Error{std::string(field), std::string(field) +
                                           " must be one of stop-early, rank-max, rank-fastest, rank-slowest, onset, "
                                           "stop-point, pairwise, sequential, mixed, got \"" +
                                           std::string(name) + "\""};
    }
  }
  return kinds;
}

std::string run_label(int i) {
  std::string label;
  for (int n = i + 1; n > 0; n = (n - 1) / 26) {
    label.insert(label.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return label;
}

std::optional<int> parse_run_label(std::string_view label, int count) {
  for (int i = 0; i < count; ++i) {
    if (label == run_label(i)) {
      return i;
    }
  }
  return std::nullopt;
}

std::vector<Run> run_item(const QuizItem& item) {
  std::vector<Run> runs;
  runs.reserve(item.runs.size());
  for (const ExperimentConfig& config : item.runs) {
    runs.emplace_back(config);
  }
  Run::step_together(runs, item.horizon);
  return runs;
}

std::vector<std::vector<double>> shown_curves(const QuizItem& item, const std::vector<Run>& runs) {
  std::vector<std::vector<double>> curves;
  curves.reserve(runs.size());
  for (const Run& run : runs) {
    curves.push_back(moving_average(run.rewards(), item.smoothing_window));
  }
  return curves;
}

QuizItem make_quiz_item(QuizKind kind, std::uint64_t seed, int index) {
  const auto kind_index = static_cast<std::uint64_t>(kind);
  const std::uint64_t base = derive_seed(derive_seed(seed, kind_index), static_cast<std::uint64_t>(index));
  QuizItem item;
  item.kind = kind;
  item.seed = seed;
  item.index = index;
  item.id = std::string(quiz_kind_name(kind)) + "-" + std::to_string(seed) + "-" + std::to_string(index);
  item.horizon = kHorizon;
  item.shown_until = kind == QuizKind::StopEarly ? kCut : kHorizon;
  item.smoothing_window = default_smoothing_window(kHorizon);
  if (kind == QuizKind::Sequential) {
    for (int c = kHorizon / 10; c < kHorizon; c += kHorizon / 10) {
      item.checkpoints.push_back(c);
    }
  }
  if (const std::optional<ClickBand> band = click_band(kind, seed, index)) {
    // Clicks: the first clear candidate whose answer lies in the band, else the clear one
    // nearest to it, else the last candidate.
    std::optional<QuizItem> nearest_item;
    int nearest = 0;
    for (int attempt = 0; attempt < 4 * kAttempts; ++attempt) {
      item.runs = candidate_runs(kind, derive_seed(base, static_cast<std::uint64_t>(attempt)));
      item.target = 0;
      const std::vector<Run> runs = run_item(item);
      const QuizTruth truth = quiz_truth(item, runs);
      if (kind == QuizKind::StopPoint) {
        item.target = pick_target(truth, item.horizon, *band);
      }
      if (!acceptable(item, runs, truth, false)) {
        continue;
      }
      const int step = kind == QuizKind::Onset
                           ? *truth.runs[0].onset
                           : *truth.cohort.runs[static_cast<std::size_t>(item.target)].best_stop_step;
      if (band->distance(step) == 0) {
        return item;
      }
      if (!nearest_item || band->distance(step) < nearest) {
        nearest_item = item;
        nearest = band->distance(step);
      }
    }
    if (nearest_item) {
      return *nearest_item;
    }
    item.target = std::max(item.target, 0);
    return item;
  }
  // Strict candidates first (clear and not trivial), then merely clear ones; the last
  // candidate if none qualifies.
  for (const bool strict : {true, false}) {
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      item.runs = candidate_runs(kind, derive_seed(base, static_cast<std::uint64_t>(attempt)));
      item.target = -1;
      const std::vector<Run> runs = run_item(item);
      const QuizTruth truth = quiz_truth(item, runs);
      if (acceptable(item, runs, truth, strict)) {
        return item;
      }
    }
  }
  return item;
}

QuizItem swapped_showing(const QuizItem& pair) {
  QuizItem swapped = pair;
  std::reverse(swapped.runs.begin(), swapped.runs.end());
  swapped.swapped = true;
  swapped.id += "-swapped";
  return swapped;
}

std::vector<QuizItem> make_quiz(const std::vector<QuizKind>& kinds, int count, std::uint64_t seed) {
  return make_quiz(kinds, count,
                   [seed](QuizKind kind, int index) -> Expected<QuizItem> { return make_quiz_item(kind, seed, index); })
      .value();
}

Expected<std::vector<QuizItem>> make_quiz(const std::vector<QuizKind>& kinds, int count, const QuizDraw& draw) {
  assert(!kinds.empty());
  const bool only_pairs = std::all_of(kinds.begin(), kinds.end(), [](QuizKind k) { return k == QuizKind::Pairwise; });
  // The originals, cycling through the kinds; a pair takes two places (its swapped
  // showing comes later), so a pair that would not fit gives way to the next kind.
  std::vector<QuizItem> originals;
  int remaining = count;
  for (int index = 0; remaining > 0; ++index) {
    const QuizKind kind = kinds[static_cast<std::size_t>(index) % kinds.size()];
    if (kind == QuizKind::Pairwise && remaining < 2 && !only_pairs) {
      continue;
    }
    auto drawn = draw(kind, index);
    if (!drawn) {
      return drawn.error();
    }
    originals.push_back(std::move(drawn.value()));
    remaining -= kind == QuizKind::Pairwise && remaining >= 2 ? 2 : 1;
  }
  // Each swapped showing follows its original with at least two other items between.
  std::vector<QuizItem> items;
  std::vector<std::pair<QuizItem, std::size_t>> pending;  // swapped item, position of the original
  const auto release = [&](bool all) {
    while (!pending.empty() && (all || items.size() - pending.front().second >= 3) &&
           static_cast<int>(items.size()) < count) {
      items.push_back(std::move(pending.front().first));
      pending.erase(pending.begin());
    }
  };
  for (QuizItem& item : originals) {
    if (item.kind == QuizKind::Pairwise && static_cast<int>(items.size() + pending.size()) + 2 <= count) {
      pending.emplace_back(swapped_showing(item), items.size());
    }
    items.push_back(std::move(item));
    release(false);
  }
  release(true);
  return items;
}

namespace {
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

namespace {
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
}  // namespace

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

std::vector<BoardPruner> board_pruners() {
  std::vector<BoardPruner> pruners;
  pruners.push_back({"median", default_pruner_spec(PrunerKind::Median)});
  PrunerSpec percentile = default_pruner_spec(PrunerKind::Percentile);
  percentile.percentile = 25.0;
  pruners.push_back({"percentile(25)", percentile});
  pruners.push_back({"successive halving", default_pruner_spec(PrunerKind::SuccessiveHalving)});
  pruners.push_back({"hyperband", default_pruner_spec(PrunerKind::Hyperband)});
  PrunerSpec patient = default_pruner_spec(PrunerKind::Patient);
  patient.patience = 50;
  patient.wrapped = std::make_shared<const PrunerSpec>(default_pruner_spec(PrunerKind::Median));
  pruners.push_back({"patient(50, median)", patient});
  // curvelab's own, not one of Optuna's: the name says so on every board. It checks every
  // 50 steps (its default is 10): a fit per check, and a board is built for every answer.
  PrunerSpec extrapolation = default_pruner_spec(PrunerKind::Extrapolation);
  extrapolation.interval_steps = 50;
  pruners.push_back({"extrapolation (curvelab)", extrapolation});
  return pruners;
}

std::optional<QuizAnswer> pruner_answer(const QuizItem& item, const QuizTruth& truth, const PrunerSpec& pruner) {
  if (item.kind != QuizKind::StopEarly && item.kind != QuizKind::StopPoint && item.kind != QuizKind::Sequential) {
    return std::nullopt;
  }
  StudySpec spec = item_study(item, truth.shown);
  spec.pruner = pruner;
  const auto result = run_study(spec);
  if (!result) {
    return std::nullopt;
  }
  QuizAnswer answer;
  for (std::size_t i = 0; i < result->trials.size(); ++i) {
    const TrialOutcome& outcome = result->trials[i];
    // The display step of a stop: the number of values seen.
    const std::optional<int> at =
        outcome.pruned_at ? std::optional<int>(static_cast<int>(*outcome.pruned_at) + 1) : std::nullopt;
    switch (item.kind) {
      case QuizKind::StopEarly:
        // What a person saw ended at the cut: only stops made by then count.
        if (at && *at <= item.shown_until) {
          answer.stop.push_back(static_cast<int>(i));
        }
        break;
      case QuizKind::StopPoint:
        if (static_cast<int>(i) == item.target) {
          answer.step = at;
        }
        break;
      default: {
        // Sequential: a stop counts at the next checkpoint, where a person could answer.
        std::optional<int> checkpoint;
        if (at) {
          for (const int c : item.checkpoints) {
            if (c >= *at) {
              checkpoint = c;
              break;
            }
          }
        }
        answer.stops.push_back(checkpoint);
        break;
      }
    }
  }
  return answer;
}

bool is_reference_row(std::string_view who) {
  return std::find(std::begin(kReferenceRows), std::end(kReferenceRows), who) != std::end(kReferenceRows);
}

std::optional<std::size_t> best_pruner_row(const std::vector<BoardRow>& board) {
  std::optional<std::size_t> best;
  for (std::size_t r = 0; r < board.size(); ++r) {
    const BoardRow& row = board[r];
    if (row.reference || row.who == "ground truth" || row.who == "you" || row.who == kCurveModelRow || !row.score ||
        row.score->skipped) {
      continue;
    }
    if (!best || row.score->score > board[*best].score->score) {
      best = r;
    }
  }
  return best;
}

std::vector<BoardRow> item_board(const QuizItem& item, const QuizTruth& truth) {
  std::vector<BoardRow> rows;
  rows.push_back({"ground truth", truth.answer, score_answer(item, truth, truth.answer)});
  for (const BoardPruner& pruner : board_pruners()) {
    BoardRow row{pruner.name, pruner_answer(item, truth, pruner.spec), std::nullopt};
    if (row.answer) {
      row.score = score_answer(item, truth, *row.answer);
    }
    rows.push_back(std::move(row));
  }
  const QuizAnswer reader = read_item(shown_item(item, truth.shown));
  rows.push_back({kCurveModelRow, reader, score_answer(item, truth, reader)});
  std::optional<QuizAnswer> all;
  std::optional<QuizAnswer> none;
  const auto n = static_cast<int>(item.runs.size());
  switch (item.kind) {
    case QuizKind::StopEarly:
      all.emplace();
      for (int i = 0; i < n; ++i) {
        all->stop.push_back(i);
      }
      none.emplace();
      break;
    case QuizKind::Sequential:
      all.emplace();
      all->stops.assign(item.runs.size(), item.checkpoints.front());
      none.emplace();
      none->stops.assign(item.runs.size(), std::nullopt);
      break;
    case QuizKind::StopPoint:
      all.emplace();
      all->step = 1;
      none.emplace();
      break;
    default:
      break;  // nothing to stop: the rows stay without an answer
  }
  for (const auto& [name, answer] : {std::pair{kReferenceRows[0], all}, std::pair{kReferenceRows[1], none}}) {
    BoardRow row{name, answer, std::nullopt, true};
    if (answer) {
      row.score = score_answer(item, truth, *answer);
    }
    rows.push_back(std::move(row));
  }
  QuizScore random;
  random.raw = truth.chance;
  random.chance = truth.chance;
  random.score = 0.0;
  rows.push_back({kReferenceRows[2], std::nullopt, random, true});
  return rows;
}

}  // namespace curvelab

namespace curvelab {
namespace {
std::string label_range(int n) { return n == 1 ? "A" : "A-" + run_label(n - 1); }
}  // namespace

std::string quiz_question(const QuizItem& item) {
  const int n = static_cast<int>(item.runs.size());
  const std::string runs = std::to_string(n) + " runs (" + label_range(n) + ")";
  const std::string horizon = std::to_string(item.horizon);
  const std::string smoothing = "moving average over " + std::to_string(item.smoothing_window) + " steps";
  const std::string finish = "its finish is its noise-free expected reward averaged over the last 10% of the " +
                             horizon + " steps, not the noisy curve you see";
  const std::string true_curve = "its noise-free expected reward under the smoothing you are shown (" + smoothing + ")";
  switch (item.kind) {
    case QuizKind::StopEarly:
      return "These " + runs + " learn the same kind of bandit task. They are shown up to step " +
             std::to_string(item.shown_until) + " of " + horizon +
             " (the cut); the rest is hidden. Which runs would you stop now, at step " +
             std::to_string(item.shown_until) + ", because they will finish below the median of the group? A run's " +
             finish + ".";
    case QuizKind::RankMax:
      return "Rank the " + runs + " by the highest value their reward curve reaches over the " + horizon +
             " steps, as you see it (" + smoothing + "), highest first.";
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest: {
      const bool fastest = item.kind == QuizKind::RankFastest;
      return "Rank the " + runs + " by learning speed, " + (fastest ? "fastest" : "slowest") +
             " first: the step from which " + true_curve +
             " stays at or above half of its final gain over the random-policy level (final: the mean over the "
             "last 10% of the " +
             horizon + " steps). A run that never gets there is the slowest.";
    }
    case QuizKind::Onset: {
      char level[32];
      std::snprintf(level, sizeof level, "%.3f", run_item(item).front().baseline());
      return "Run A is shown for " + horizon + " steps. A random policy earns " + level +
             " per step on its task (the random-policy level). At which step (1-" + horizon +
             ") did it start learning: the first step from which " + true_curve +
             " stays above that level plus 10% of its final gain over it for good (final: the mean over the last "
             "10% of the steps)?";
    }
    case QuizKind::StopPoint:
      return "The " + runs + " ran for " + horizon + " steps. Run " + run_label(std::max(item.target, 0)) +
             " finishes below the median of the group; a run's " + finish + ". At which step (1-" + horizon +
             ") would you have stopped it, as early as possible without losing anything: the first step from which " +
             true_curve + " stays below the group's median finish? null: never.";
    case QuizKind::Pairwise:
      return "Which of the two runs, A or B, ends better at step " + horizon +
             ": the higher noise-free expected reward averaged over the last 10% of its " + horizon +
             " steps (not the noisy curve you see)?";
    case QuizKind::Sequential: {
      std::string checkpoints;
      for (const int c : item.checkpoints) {
        checkpoints += (checkpoints.empty() ? "" : ", ") + std::to_string(c);
      }
      return "The " + runs + " are trained one after another, " + horizon + " steps each. At the checkpoints (steps " +
             checkpoints +
             ") you may stop a run to save time; the aim is to keep the runs that finish above the median of the "
             "group and the best one above all (a run's " +
             finish + "), and to stop the others once " + true_curve +
             " stays below the median finish. For each run, give the checkpoint where you stop it, or null to let "
             "it finish.";
    }
  }
  return {};
}

std::string quiz_answer_format(const QuizItem& item) {
  switch (item.kind) {
    case QuizKind::StopEarly:
      return R"({"stop": ["A", "C"]}   (an empty list stops none))";
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest: {
      std::string list;
      for (int i = static_cast<int>(item.runs.size()) - 1; i >= 0; --i) {
        list += std::string(list.empty() ? "" : ", ") + "\"" + run_label(i) + "\"";
      }
      return "{\"ranking\": [" + list + "]}   (every run once, first = top)";
    }
    case QuizKind::Onset:
      return R"({"step": 120})";
    case QuizKind::StopPoint:
      return R"({"step": 400}   (or {"step": null} to never stop))";
    case QuizKind::Pairwise:
      return R"({"better": "A"})";
    case QuizKind::Sequential: {
      std::string list;
      for (std::size_t i = 0; i < item.runs.size(); ++i) {
        list += std::string(list.empty() ? "" : ", ") + (i == 1 ? std::to_string(item.checkpoints.front()) : "null");
      }
      return "{\"stops\": [" + list + "]}   (one entry per run, in order)";
    }
  }
  return {};
}

}  // namespace curvelab

namespace curvelab {

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

std::optional<double> QuizTally::Entry::mean(const std::string& figure) const {
  for (const auto& [name, sum] : sums) {
    if (name == figure && sum.second > 0) {
      return sum.first / sum.second;
    }
  }
  return std::nullopt;
}

std::vector<QuizTally::Entry> ranked_rows(const QuizTally::Kind& kind) {
  std::vector<QuizTally::Entry> rows = kind.rows;
  std::stable_sort(rows.begin(), rows.end(), [](const QuizTally::Entry& a, const QuizTally::Entry& b) {
    const std::optional<double> x = a.mean("score");
    const std::optional<double> y = b.mean("score");
    return x && (!y || *x > *y);
  });
  return rows;
}

TallyPlace tally_place(const QuizTally::Kind& kind, std::string_view who) {
  TallyPlace place;
  for (const QuizTally::Entry& e : ranked_rows(kind)) {
    if (e.who == "ground truth" || is_reference_row(e.who) || (e.who != who && !e.mean("score"))) {
      continue;
    }
    ++place.contenders;
    if (e.who == who) {
      place.place = place.contenders;
    }
  }
  return place;
}

void QuizTally::add(QuizKind kind, const std::string& who, const QuizScore& score) {
  auto k = std::find_if(kinds_.begin(), kinds_.end(), [kind](const Kind& x) { return x.kind == kind; });
  if (k == kinds_.end()) {
    kinds_.push_back(Kind{kind, {}});
    k = kinds_.end() - 1;
  }
  auto row = std::find_if(k->rows.begin(), k->rows.end(), [&who](const Entry& e) { return e.who == who; });
  if (row == k->rows.end()) {
    k->rows.push_back(Entry{who, 0, 0, 0, {}});
    row = k->rows.end() - 1;
  }
  ++row->items;
  if (score.skipped) {
    ++row->skipped;
    return;
  }
  ++row->answered;
  const auto add_figure = [&row](const char* name, double value) {
    auto it = std::find_if(row->sums.begin(), row->sums.end(), [name](const auto& f) { return f.first == name; });
    if (it == row->sums.end()) {
      row->sums.emplace_back(name, std::make_pair(0.0, 0));
      it = row->sums.end() - 1;
    }
    it->second.first += value;
    it->second.second += 1;
  };
  add_figure("score", score.score);
  add_figure("raw", score.raw);
  add_figure("chance", score.chance);
  if (score.kendall_tau) add_figure("kendall_tau", *score.kendall_tau);
  if (score.top1) add_figure("top1", *score.top1 ? 1.0 : 0.0);
  if (score.distance) add_figure("distance", *score.distance);
  if (score.precision) add_figure("precision", *score.precision);
  if (score.recall) add_figure("recall", *score.recall);
  if (score.steps_saved) add_figure("steps_saved", *score.steps_saved);
  if (score.regret) add_figure("regret", *score.regret);
  if (score.correct) add_figure("correct", *score.correct ? 1.0 : 0.0);
  if (score.auc) add_figure("auc", *score.auc);
  if (score.best_kept) add_figure("best_kept", *score.best_kept ? 1.0 : 0.0);
}

}  // namespace curvelab
