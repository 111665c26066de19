#include "curvelab/extrapolation_pruner.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace curvelab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

class ExtrapolationPruner final : public Pruner {
 public:
  explicit ExtrapolationPruner(const PrunerSpec& spec) : spec_(spec) {}

  bool prune(const StudyState& study, const TrialRecord& trial, PruneReason& reason) override {
    if (!trial.has_reports()) {
      return false;
    }
    update_best(study);
    if (study.complete_count() == 0 || study.complete_count() < spec_.n_startup_trials || std::isnan(best_)) {
      return false;
    }
    const std::int64_t step = trial.last_step();
    const std::int64_t horizon = spec_.horizon.automatic ? study.max_complete_last_step() + 1 : spec_.horizon.value;
    if (step < spec_.n_warmup_steps ||
        !first_in_interval(step, trial.previous_step(), spec_.n_warmup_steps, check_interval(spec_, horizon))) {
      return false;
    }
    reason.pruner = PrunerKind::Extrapolation;
    reason.step = step;
    if (std::isnan(trial.best_so_far())) {
      reason.rule = PruneRule::AllValuesNan;
      reason.value = kNaN;
      return true;
    }
    auto forecast = predict_trial_final(trial.reports(), std::max<std::int64_t>(horizon, step + 1));
    if (!forecast) {
      return false;  // too few finite values to fit yet
    }
    const bool maximize = study.direction() == Direction::Maximize;
    const double below = forecast->cdf(best_);
    const double probability = maximize ? 1.0 - below : below;
    if (!(probability < spec_.p)) {
      return false;
    }
    reason.rule = PruneRule::UnlikelyToBeatBest;
    reason.value = forecast->mean();
    reason.cutoff = best_;
    reason.probability = probability;
    reason.p = spec_.p;
    reason.lower = forecast->quantile(spec_.p);
    reason.upper = forecast->quantile(1.0 - spec_.p);
    reason.horizon = std::max<std::int64_t>(horizon, step + 1);
    reason.compared_with = study.complete_count();
    return true;
  }

 private:
  // The best final over COMPLETE trials: trials finish in order, so each is read once.
  void update_best(const StudyState& study) {
    const auto trials = study.trials();
    // The last trial is the running one.
    for (; scanned_ + 1 < trials.size(); ++scanned_) {
      const TrialRecord& t = trials[scanned_];
      if (t.state() != TrialState::Complete || !t.has_reports()) {
        continue;
      }
      const double final = reported_final(t.reports());
      if (std::isnan(final)) {
        continue;
      }
      if (std::isnan(best_) || (study.direction() == Direction::Maximize ? final > best_ : final < best_)) {
        best_ = final;
      }
    }
  }

  PrunerSpec spec_;
  std::size_t scanned_ = 0;
  double best_ = kNaN;
};

}  // namespace

std::int64_t check_interval(const PrunerSpec& spec, std::int64_t horizon) {
  const std::int64_t spread = (std::max<std::int64_t>(horizon, 1) + spec.max_checks - 1) / spec.max_checks;
  return std::max(spec.interval_steps, spread);
}

std::unique_ptr<Pruner> make_extrapolation_pruner(const PrunerSpec& spec) {
  return std::make_unique<ExtrapolationPruner>(spec);
}

double reported_final(std::span<const Report> reports) {
  if (reports.empty()) {
    return kNaN;
  }
  const auto n = reports.size();
  const auto window =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(static_cast<double>(n) * kTrialFinalFraction)));
  double sum = 0.0;
  int count = 0;
  for (std::size_t i = n - window; i < n; ++i) {
    if (std::isfinite(reports[i].value)) {
      sum += reports[i].value;
      ++count;
    }
  }
  return count == 0 ? kNaN : sum / count;
}

namespace {
// The curve model of a trial's reports (study steps from 0; the model counts from 1).
Expected<CurveModel> fit_reports(std::span<const Report> reports) {
  std::vector<double> xs;
  std::vector<double> ys;
  xs.reserve(reports.size());
  ys.reserve(reports.size());
  for (const Report& r : reports) {
    xs.push_back(static_cast<double>(r.step) + 1.0);
    ys.push_back(r.value);
  }
  return fit_curve(ys, xs);
}
}  // namespace

Expected<Forecast> predict_trial_final(std::span<const Report> reports, std::int64_t horizon) {
  auto model = fit_reports(reports);
  if (!model) {
    return model.error();
  }
  return model->final_performance(static_cast<double>(horizon), kTrialFinalFraction);
}

Expected<TrialContinuation> predict_trial_continuation(std::span<const Report> reports, std::int64_t horizon, double p,
                                                       int points) {
  if (!(p > 0.0 && p < 0.5)) {
    return Error{"p", "p must be in (0, 0.5), got " + format_number(p)};
  }
  if (points < 2 || points > kMaxContinuationPoints) {
    return out_of_range("points", 2, kMaxContinuationPoints, points);
  }
  if (reports.empty()) {
    return Error{"values", "values must hold at least " + std::to_string(kMinCurveValues) + " finite values"};
  }
  const std::int64_t first = reports.back().step;
  if (!(horizon > first + 1)) {
    return Error{"horizon", "horizon must be past the last step reported (" + std::to_string(first + 1) + "), got " +
                                std::to_string(horizon)};
  }
  auto model = fit_reports(reports);
  if (!model) {
    return model.error();
  }
  const std::int64_t last = horizon - 1;
  const auto count = static_cast<int>(std::min<std::int64_t>(points, last - first + 1));
  TrialContinuation c;
  for (int i = 0; i < count; ++i) {
    const std::int64_t step = first + (last - first) * i / (count - 1);
    if (!c.steps.empty() && step == c.steps.back()) {
      continue;
    }
    const Forecast f = model->at(static_cast<double>(step) + 1.0);
    c.steps.push_back(step);
    c.mean.push_back(f.mean());
    c.lower.push_back(f.quantile(p));
    c.upper.push_back(f.quantile(1.0 - p));
  }
  return c;
}

}  // namespace curvelab
