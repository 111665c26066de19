#include "curvelab/curve_reader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>

#include "curvelab/curve_model.hpp"
#include "curvelab/extrapolation_pruner.hpp"
#include "curvelab/ground_truth.hpp"

namespace curvelab {
namespace {

constexpr double kStopProbability = 0.05;  // the extrapolation pruner's default p
constexpr int kStopPointChecks = 20;
constexpr int kGridPoints = 200;

// The step a trailing moving average of `window` shows at step t (1-based) is centred on.
std::vector<double> centres(std::size_t n, int window) {
  std::vector<double> xs(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i + 1);
    xs[i] = (std::max(1.0, t - window + 1.0) + t) / 2.0;
  }
  return xs;
}

Expected<CurveModel> fit_shown(const std::vector<double>& shown, std::size_t count, int window) {
  const std::vector<double> xs = centres(count, window);
  return fit_curve(std::span<const double>(shown.data(), count), xs);
}

// Indices ordered by key (ascending, or descending), ties in index order.
std::vector<int> order_by(const std::vector<double>& keys, bool descending) {
  std::vector<int> order(keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const double ka = keys[static_cast<std::size_t>(a)];
    const double kb = keys[static_cast<std::size_t>(b)];
    return descending ? ka > kb : ka < kb;
  });
  return order;
}

// The mean of the last 10% of a shown curve: a finished run's final as the reader sees it.
double shown_final(const std::vector<double>& curve) {
  std::vector<Report> reports;
  reports.reserve(curve.size());
  for (std::size_t i = 0; i < curve.size(); ++i) {
    reports.push_back(Report{static_cast<std::int64_t>(i), curve[i]});
  }
  return reported_final(reports);
}

}  // namespace

ShownItem shown_item(const QuizItem& item, const std::vector<std::vector<double>>& shown) {
  ShownItem s;
  s.kind = item.kind;
  s.horizon = item.horizon;
  s.shown_until = item.shown_until;
  s.target = item.target;
  s.checkpoints = item.checkpoints;
  s.smoothing_window = item.smoothing_window;
  for (const std::vector<double>& curve : shown) {
    const auto n = std::min(curve.size(), static_cast<std::size_t>(std::max(item.shown_until, 0)));
    s.curves.emplace_back(curve.begin(), curve.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return s;
}

CurveReading read_curve(const std::vector<double>& shown, int window, int horizon) {
  CurveReading r;
  r.shown_max =
      shown.empty() ? std::numeric_limits<double>::quiet_NaN() : *std::max_element(shown.begin(), shown.end());
  auto model = fit_shown(shown, shown.size(), std::max(window, 1));
  if (!model) {
    r.predicted_final = shown.empty() ? std::numeric_limits<double>::quiet_NaN() : shown.back();
    return r;
  }
  r.fitted = true;
  const Forecast final = model->final_performance(horizon);
  r.predicted_final = final.mean();
  r.final_sd = final.sd();
  r.start = model->mean_at(1.0);
  const double gain = r.predicted_final - r.start;
  if (!(gain > r.final_sd) || horizon < 1) {
    return r;  // no gain the data can vouch for: it never learns
  }
  // The fitted curve on a grid of steps; "from this step on" read from the end.
  const int points = std::min(horizon, kGridPoints);
  std::vector<int> steps(static_cast<std::size_t>(points));
  std::vector<double> values(static_cast<std::size_t>(points));
  for (int i = 0; i < points; ++i) {
    const int step = points == 1 ? 1 : 1 + static_cast<int>(static_cast<long long>(horizon - 1) * i / (points - 1));
    steps[static_cast<std::size_t>(i)] = step;
    values[static_cast<std::size_t>(i)] = model->mean_at(step);
  }
  const auto from_on = [&](double share) -> std::optional<int> {
    const double threshold = r.start + share * gain;
    for (int i = points - 1; i >= 0; --i) {
      if (!(values[static_cast<std::size_t>(i)] > threshold)) {
        return i + 1 < points ? std::optional<int>(steps[static_cast<std::size_t>(i) + 1]) : std::nullopt;
      }
    }
    return 1;
  };
  r.onset = from_on(0.1);
  r.time_to_50 = from_on(0.5);
  return r;
}

QuizAnswer read_item(const ShownItem& s) {
  QuizAnswer answer;
  const int window = std::max(s.smoothing_window, 1);
  std::vector<CurveReading> readings;
  std::vector<double> finals;
  // Rank-max reads the shown values alone, and sequential fits at each checkpoint: no fit of
  // the whole shown curve for either.
  if (s.kind != QuizKind::Sequential && s.kind != QuizKind::RankMax) {
    for (const auto& curve : s.curves) {
      readings.push_back(read_curve(curve, window, s.horizon));
      finals.push_back(readings.back().predicted_final);
    }
  }
  const auto median_final = [&]() {
    std::vector<double> finite;
    for (const double f : finals) {
      if (!std::isnan(f)) {
        finite.push_back(f);
      }
    }
    return finite.empty() ? 0.0 : median(finite);
  };
  switch (s.kind) {
    case QuizKind::StopEarly: {
      const double m = median_final();
      for (std::size_t i = 0; i < finals.size(); ++i) {
        if (finals[i] < m) {
          answer.stop.push_back(static_cast<int>(i));
        }
      }
      break;
    }
    case QuizKind::RankMax: {
      std::vector<double> maxima;
      for (const auto& curve : s.curves) {
        maxima.push_back(curve.empty() ? std::numeric_limits<double>::quiet_NaN()
                                       : *std::max_element(curve.begin(), curve.end()));
      }
      answer.ranking = order_by(maxima, true);
      break;
    }
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest: {
      std::vector<double> times;
      for (const CurveReading& r : readings) {
        times.push_back(r.time_to_50 ? *r.time_to_50 : std::numeric_limits<double>::infinity());
      }
      answer.ranking = order_by(times, s.kind == QuizKind::RankSlowest);
      break;
    }
    case QuizKind::Onset: {
      const auto run = static_cast<std::size_t>(s.target >= 0 ? s.target : 0);
      if (run < readings.size()) {
        answer.step = readings[run].onset;
      }
      // An onset is a click: with no onset in its fit the reader has nothing to click.
      answer.skipped = !answer.step;
      break;
    }
    case QuizKind::StopPoint: {
      if (s.target < 0 || static_cast<std::size_t>(s.target) >= readings.size()) {
        break;
      }
      const double m = median_final();
      const auto& curve = s.curves[static_cast<std::size_t>(s.target)];
      if (!(finals[static_cast<std::size_t>(s.target)] < m)) {
        break;  // never stop a run predicted to reach the median
      }
      for (int k = 1; k <= kStopPointChecks; ++k) {
        const auto step = static_cast<std::size_t>(std::max(1, s.horizon * k / kStopPointChecks));
        if (step > curve.size()) {
          break;
        }
        auto model = fit_shown(curve, step, window);
        if (model && 1.0 - model->final_performance(s.horizon).cdf(m) < kStopProbability) {
          answer.step = static_cast<int>(step);
          break;
        }
      }
      break;
    }
    case QuizKind::Pairwise:
      answer.better = finals.size() >= 2 && finals[1] > finals[0] ? 1 : 0;
      break;
    case QuizKind::Sequential: {
      // Runs one after another; at each checkpoint only the curve up to it is read.
      std::vector<std::vector<double>> decided;
      for (const auto& curve : s.curves) {
        std::optional<int> stop;
        const auto best = best_finished_run(decided, answer.stops);
        if (best) {
          const double best_final = shown_final(decided[static_cast<std::size_t>(*best)]);
          for (const int c : s.checkpoints) {
            if (c < 1 || static_cast<std::size_t>(c) > curve.size()) {
              continue;
            }
            auto model = fit_shown(curve, static_cast<std::size_t>(c), window);
            if (model && 1.0 - model->final_performance(s.horizon).cdf(best_final) < kStopProbability) {
              stop = c;
              break;
            }
          }
        }
        decided.push_back(curve);
        answer.stops.push_back(stop);
      }
      break;
    }
  }
  return answer;
}

double answerability(const QuizItem& item, const QuizTruth& truth) {
  const QuizAnswer answer = read_item(shown_item(item, truth.shown));
  return score_answer(item, truth, answer).score;
}

Expected<AnswerableQuiz> make_answerable_quiz(const std::vector<QuizKind>& kinds, int count, std::uint64_t seed,
                                              double min_answerability) {
  AnswerableQuiz quiz;
  std::map<std::string, double> figures;    // item id -> answerability
  std::vector<int> next(kinds.size(), -1);  // per position of `kinds`: the next index of its stream
  const auto width = static_cast<int>(kinds.size());
  const auto figure = [](const QuizItem& item) { return answerability(item, quiz_truth(item, run_item(item))); };
  auto items = make_quiz(kinds, count, [&](QuizKind kind, int index) -> Expected<QuizItem> {
    const auto position = static_cast<std::size_t>(index % width);
    int candidate = next[position] < 0 ? static_cast<int>(position) : next[position];
    const int first = candidate;
    for (int tried = 0; tried < kAnswerabilityCandidates; ++tried, candidate += width) {
      QuizItem item = make_quiz_item(kind, seed, candidate);
      ++quiz.candidates;
      const double a = figure(item);
      if (!(a >= min_answerability)) {
        continue;
      }
      if (kind == QuizKind::Pairwise) {
        QuizItem swapped = swapped_showing(item);
        const double b = figure(swapped);
        if (!(b >= min_answerability)) {
          continue;
        }
        figures[swapped.id] = b;
      }
      figures[item.id] = a;
      next[position] = candidate + width;
      return item;
    }
    return Error{"min_answerability", "min_answerability " + format_number(min_answerability) + ": no " +
                                          std::string(quiz_kind_name(kind)) + " item reaches it among the " +
                                          std::to_string(kAnswerabilityCandidates) + " candidates (indices " +
                                          std::to_string(first) + " to " + std::to_string(candidate - width) +
                                          " of seed " + std::to_string(seed) + "); lower it"};
  });
  if (!items) {
    return items.error();
  }
  quiz.items = std::move(items.value());
  for (const QuizItem& item : quiz.items) {
    quiz.answerability.push_back(figures.at(item.id));
  }
  return quiz;
}

}  // namespace curvelab
