// Quiz items: the kinds and their names, run labels, and the generation of items and
// quiz sets with clear answers (curvelab/quiz.hpp).

#include "curvelab/quiz.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

#include "curvelab/generator.hpp"
#include "curvelab/random.hpp"
#include "curvelab/smoothing.hpp"
#include "quiz_detail.hpp"

namespace curvelab {
namespace quiz_detail {

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

std::vector<double> finals_of(const QuizTruth& truth) {
  std::vector<double> finals;
  for (const RunTruth& run : truth.runs) {
    finals.push_back(run.final_performance);
  }
  return finals;
}

}  // namespace quiz_detail

namespace {
using quiz_detail::finals_of;

constexpr int kHorizon = 1000;
constexpr int kCut = 250;      // stop-early shows the first quarter
constexpr int kAttempts = 64;  // candidates tried before settling for the last one

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

// The smallest gap between neighbours once sorted.
double min_gap(std::vector<double> keys) {
  std::sort(keys.begin(), keys.end());
  double gap = std::numeric_limits<double>::infinity();
  for (std::size_t i = 1; i < keys.size(); ++i) {
    gap = std::min(gap, keys[i] - keys[i - 1]);
  }
  return gap;
}

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

// Does the candidate ask a question with a clear, non-trivial answer?
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

}  // namespace curvelab
