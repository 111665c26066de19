#include "curvelab/pruners.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

#include "curvelab/extrapolation_pruner.hpp"

namespace curvelab {
namespace {

Error at_least(const std::string& field, std::int64_t min, std::int64_t got) {
  return Error{field, field + " must be >= " + std::to_string(min) + ", got " + std::to_string(got)};
}

// Warm-up and interval, as the median, percentile and extrapolation pruners take them.
std::optional<Error> validate_schedule(const PrunerSpec& spec) {
  if (spec.n_startup_trials < 0) {
    return at_least("n_startup_trials", 0, spec.n_startup_trials);
  }
  if (spec.n_warmup_steps < 0) {
    return at_least("n_warmup_steps", 0, spec.n_warmup_steps);
  }
  if (spec.interval_steps < 1) {
    return at_least("interval_steps", 1, spec.interval_steps);
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------
class NopPruner final : public Pruner {
 public:
  bool prune(const StudyState&, const TrialRecord&, PruneReason&) override { return false; }
};

// ---------------------------------------------------------------------------------------
// PercentilePruner (MedianPruner is this at 50).
class PercentilePruner final : public Pruner {
 public:
  explicit PercentilePruner(const PrunerSpec& spec) : spec_(spec) {}

  bool prune(const StudyState& study, const TrialRecord& trial, PruneReason& reason) override {
    const int completed = study.complete_count();
    // No COMPLETE trial: never prune, even with n_startup_trials = 0.
    if (completed == 0 || completed < spec_.n_startup_trials) {
      return false;
    }
    if (!trial.has_reports()) {
      return false;
    }
    const std::int64_t step = trial.last_step();
    if (step < spec_.n_warmup_steps ||
        !first_in_interval(step, trial.previous_step(), spec_.n_warmup_steps, spec_.interval_steps)) {
      return false;
    }
    reason.pruner = spec_.kind;
    reason.step = step;
    const Direction direction = study.direction();
    const double best = trial.best_so_far();
    if (std::isnan(best)) {
      reason.rule = PruneRule::AllValuesNan;
      reason.value = best;
      return true;
    }
    const auto values = study.complete_values_at(step);
    // The count includes NaN values, as Optuna's does.
    if (static_cast<std::int64_t>(values.size()) < spec_.n_min_trials) {
      return false;
    }
    const double q = direction == Direction::Maximize ? 100.0 - spec_.percentile : spec_.percentile;
    const double cutoff = percentile_at(step, values, q);
    if (std::isnan(cutoff)) {
      return false;
    }
    const bool stop = direction == Direction::Maximize ? best < cutoff : best > cutoff;
    if (stop) {
      reason.rule = PruneRule::WorseThanPercentile;
      reason.value = best;
      reason.cutoff = cutoff;
      reason.percentile = q;
      reason.compared_with = static_cast<int>(values.size());
    }
    return stop;
  }

 private:
  // Values of COMPLETE trials at a step only grow (trials complete one after another), so
  // each step keeps a RunningPercentile fed with the values it has not seen yet.
  struct StepPercentile {
    std::size_t seen = 0;
    RunningPercentile percentile;
  };

  double percentile_at(std::int64_t step, std::span<const double> values, double q) {
    StepPercentile* at = nullptr;
    if (step >= 0 && step < kDenseSteps) {
      const auto index = static_cast<std::size_t>(step);
      if (dense_.size() <= index) {
        dense_.resize(index + 1);
      }
      if (!dense_[index]) {
        dense_[index] = std::make_unique<StepPercentile>(StepPercentile{0, RunningPercentile(q)});
      }
      at = dense_[index].get();
    } else {
      at = &sparse_.try_emplace(step, StepPercentile{0, RunningPercentile(q)}).first->second;
    }
    if (values.size() < at->seen) {  // another study: start again
      *at = StepPercentile{0, RunningPercentile(q)};
    }
    for (std::size_t i = at->seen; i < values.size(); ++i) {
      at->percentile.add(values[i]);
    }
    at->seen = values.size();
    return at->percentile.value();
  }

  static constexpr std::int64_t kDenseSteps = 1 << 16;
  PrunerSpec spec_;
  std::vector<std::unique_ptr<StepPercentile>> dense_;
  std::unordered_map<std::int64_t, StepPercentile> sparse_;
};

// ---------------------------------------------------------------------------------------
// SuccessiveHalvingPruner. Its rungs live here rather than in trial attributes: rung k
// holds the value of every trial of this (bracket) study that reached it, whatever that
// trial's state is now, which is what Optuna's "completed_rung_k" attributes hold.
class SuccessiveHalvingPruner final : public Pruner {
 public:
  SuccessiveHalvingPruner(Resource min_resource, std::int64_t reduction_factor, std::int64_t min_early_stopping_rate,
                          std::int64_t bootstrap_count, int bracket)
      : reduction_factor_(reduction_factor),
        min_early_stopping_rate_(min_early_stopping_rate),
        bootstrap_count_(bootstrap_count),
        bracket_(bracket) {
    if (!min_resource.automatic) {
      min_resource_ = min_resource.value;
    }
  }

  bool prune(const StudyState& study, const TrialRecord& trial, PruneReason& reason) override {
    if (!trial.has_reports()) {
      return false;
    }
    if (trial.number() != trial_number_) {
      trial_number_ = trial.number();
      trial_rung_ = 0;
    }
    const std::int64_t step = trial.last_step();
    // The value at the largest step: not the best value, not the latest report.
    const double value = trial.last_value();
    for (;;) {
      if (!min_resource_) {
        // "auto", resolved once and for good from the COMPLETE trials of now.
        const std::int64_t last = study.max_complete_last_step();
        if (last < 0) {
          return false;
        }
        min_resource_ = std::max<std::int64_t>(last / 100, 1);
      }
      std::int64_t promotion_step = 0;
      if (!rung_reached(step, trial_rung_, promotion_step)) {
        return false;
      }
      reason.pruner = PrunerKind::SuccessiveHalving;
      reason.step = step;
      reason.rung = trial_rung_;
      reason.rung_step = promotion_step;
      reason.bracket = bracket_;
      reason.value = value;
      reason.reduction_factor = reduction_factor_;
      if (std::isnan(value)) {
        reason.rule = PruneRule::RungNan;
        return true;
      }
      if (rungs_.size() <= static_cast<std::size_t>(trial_rung_)) {
        rungs_.resize(static_cast<std::size_t>(trial_rung_) + 1);
      }
      std::vector<double>& rung = rungs_[static_cast<std::size_t>(trial_rung_)];
      // Competitors: the other trials' values at this rung, and this one.
      scratch_.assign(rung.begin(), rung.end());
      scratch_.push_back(value);
      rung.push_back(value);
      ++trial_rung_;
      const auto n = static_cast<std::int64_t>(scratch_.size());
      reason.compared_with = static_cast<int>(n);
      if (n <= bootstrap_count_) {
        reason.rule = PruneRule::RungBootstrap;
        return true;
      }
      const std::int64_t index = std::max<std::int64_t>(n / reduction_factor_ - 1, 0);
      // The cut-off is the index-th best of the sorted competitors; ties are promoted.
      const std::int64_t position = study.direction() == Direction::Maximize ? n - 1 - index : index;
      std::nth_element(scratch_.begin(), scratch_.begin() + position, scratch_.end());
      const double cutoff = scratch_[static_cast<std::size_t>(position)];
      const bool promoted = study.direction() == Direction::Maximize ? value >= cutoff : value <= cutoff;
      if (!promoted) {
        reason.rule = PruneRule::RungNotPromoted;
        reason.cutoff = cutoff;
        return true;
      }
    }
  }

 private:
  // Whether `step` >= min_resource * rf^(min_early_stopping_rate + rung), without overflow;
  // `promotion_step` gets that product (saturated).
  bool rung_reached(std::int64_t step, int rung, std::int64_t& promotion_step) const {
    std::int64_t product = *min_resource_;
    std::int64_t exponent = min_early_stopping_rate_ + rung;
    if (exponent < min_early_stopping_rate_) {
      exponent = std::numeric_limits<std::int64_t>::max();
    }
    for (std::int64_t i = 0; i < exponent; ++i) {
      if (product > step / reduction_factor_) {
        promotion_step = std::numeric_limits<std::int64_t>::max();
        return false;
      }
      product *= reduction_factor_;
    }
    promotion_step = product;
    return step >= product;
  }

  std::optional<std::int64_t> min_resource_;
  std::int64_t reduction_factor_;
  std::int64_t min_early_stopping_rate_;
  std::int64_t bootstrap_count_;
  int bracket_;
  std::vector<std::vector<double>> rungs_;
  int trial_number_ = -1;
  int trial_rung_ = 0;
  std::vector<double> scratch_;
};

// ---------------------------------------------------------------------------------------
class HyperbandPruner final : public Pruner {
 public:
  explicit HyperbandPruner(const PrunerSpec& spec) : spec_(spec) {}

  bool prune(const StudyState& study, const TrialRecord& trial, PruneReason& reason) override {
    if (brackets_.empty()) {
      initialise(study);
      if (brackets_.empty()) {
        return false;
      }
    }
    const int bracket = bracket_of(study.name(), trial.number());
    return brackets_[static_cast<std::size_t>(bracket)]->prune(study, trial, reason);
  }

 private:
  // Optuna's `_try_initialization`, attempted on every call until it succeeds.
  void initialise(const StudyState& study) {
    if (error_) {
      return;
    }
    if (spec_.max_resource.automatic) {
      const std::int64_t last = study.max_complete_last_step();
      if (last < 0) {
        return;
      }
      spec_.max_resource = Resource{false, last + 1};
    }
    if (!n_brackets_) {
      // Optuna meets these only here: a TypeError, a ZeroDivisionError or a math domain error.
      if (spec_.min_resource.automatic) {
        error_ = Error{"min_resource", "min_resource must be an integer for hyperband, got \"auto\""};
        return;
      }
      const std::int64_t min = spec_.min_resource.value;
      const std::int64_t max = spec_.max_resource.value;
      const std::int64_t rf = spec_.reduction_factor;
      if (min == 0) {
        error_ = Error{"min_resource", "min_resource must not be 0 (Optuna divides by it), got 0"};
        return;
      }
      if (!(static_cast<double>(max) / static_cast<double>(min) > 0.0)) {
        error_ = Error{"max_resource", "max_resource / min_resource must be > 0 (Optuna takes its logarithm), got " +
                                           std::to_string(max) + " / " + std::to_string(min)};
        return;
      }
      if (rf <= 1) {
        error_ = at_least("reduction_factor", 2, rf);
        return;
      }
      n_brackets_ = hyperband_bracket_count(min, max, rf);
    }
    for (int b = 0; b < *n_brackets_; ++b) {
      if (spec_.min_resource.value < 1) {
        error_ = at_least("min_resource", 1, spec_.min_resource.value);
        return;
      }
      if (spec_.bootstrap_count < 0) {
        error_ = at_least("bootstrap_count", 0, spec_.bootstrap_count);
        return;
      }
      // ceil(n * rf^s / (s + 1)) with a float division, as Python computes it. With every
      // parameter within 2^53 - 1, rf^s <= max / min, so n * rf^s stays below 2^59; the
      // checks keep it defined for any input.
      const int s = *n_brackets_ - 1 - b;
      std::int64_t power = 1;
      bool overflow = false;
      for (int i = 0; i < s && !overflow; ++i) {
        overflow = __builtin_mul_overflow(power, spec_.reduction_factor, &power);
      }
      std::int64_t product = 0;
      overflow = overflow || __builtin_mul_overflow(static_cast<std::int64_t>(*n_brackets_), power, &product);
      const double share = std::ceil(static_cast<double>(product) / static_cast<double>(s + 1));
      std::int64_t total = 0;
      if (overflow || !(share < 0x1p62) ||
          __builtin_add_overflow(total_budget_, static_cast<std::int64_t>(share), &total)) {
        error_ = Error{"max_resource", "max_resource / min_resource is too large for hyperband's brackets, got " +
                                           std::to_string(spec_.max_resource.value) + " / " +
                                           std::to_string(spec_.min_resource.value)};
        brackets_.clear();
        budgets_.clear();
        total_budget_ = 0;
        return;
      }
      const auto budget = static_cast<std::int64_t>(share);
      budgets_.push_back(budget);
      total_budget_ = total;
      brackets_.push_back(std::make_unique<SuccessiveHalvingPruner>(spec_.min_resource, spec_.reduction_factor, b,
                                                                    spec_.bootstrap_count, b));
    }
  }

  int bracket_of(const std::string& name, int number) {
    key_ = name;
    key_ += '_';
    key_ += std::to_string(number);
    auto n = static_cast<std::int64_t>(crc32(key_) % static_cast<std::uint64_t>(total_budget_));
    for (std::size_t b = 0; b < budgets_.size(); ++b) {
      n -= budgets_[b];
      if (n < 0) {
        return static_cast<int>(b);
      }
    }
    return static_cast<int>(budgets_.size()) - 1;  // unreachable: the budgets sum to the total
  }

  PrunerSpec spec_;
  std::optional<int> n_brackets_;
  std::vector<std::unique_ptr<SuccessiveHalvingPruner>> brackets_;
  std::vector<std::int64_t> budgets_;
  std::int64_t total_budget_ = 0;
  std::string key_;
};

// ---------------------------------------------------------------------------------------
class ThresholdPruner final : public Pruner {
 public:
  explicit ThresholdPruner(const PrunerSpec& spec)
      : lower_(spec.lower.value_or(-std::numeric_limits<double>::infinity())),
        upper_(spec.upper.value_or(std::numeric_limits<double>::infinity())),
        warmup_(spec.n_warmup_steps),
        interval_(spec.interval_steps) {}

  bool prune(const StudyState&, const TrialRecord& trial, PruneReason& reason) override {
    if (!trial.has_reports()) {
      return false;
    }
    const std::int64_t step = trial.last_step();
    if (step < warmup_ || !first_in_interval(step, trial.previous_step(), warmup_, interval_)) {
      return false;
    }
    const double value = trial.last_value();
    reason.pruner = PrunerKind::Threshold;
    reason.step = step;
    reason.value = value;
    if (std::isnan(value)) {
      reason.rule = PruneRule::ThresholdNan;
      return true;
    }
    if (value < lower_) {
      reason.rule = PruneRule::BelowLower;
      reason.cutoff = lower_;
      return true;
    }
    if (value > upper_) {
      reason.rule = PruneRule::AboveUpper;
      reason.cutoff = upper_;
      return true;
    }
    return false;
  }

 private:
  double lower_;
  double upper_;
  std::int64_t warmup_;
  std::int64_t interval_;
};

// ---------------------------------------------------------------------------------------
class PatientPruner final : public Pruner {
 public:
  PatientPruner(std::unique_ptr<Pruner> wrapped, std::int64_t patience, double min_delta)
      : wrapped_(std::move(wrapped)), patience_(patience), min_delta_(min_delta) {}

  bool prune(const StudyState& study, const TrialRecord& trial, PruneReason& reason) override {
    if (!trial.has_reports()) {
      return false;
    }
    const auto n = static_cast<std::int64_t>(trial.reports().size());
    if (n - 1 <= patience_) {
      return false;
    }
    // The window is the last patience + 1 reports by position in step order.
    const auto split = static_cast<std::size_t>(n - 1 - patience_);
    const double before = trial.best_of_first(split);
    const double window = trial.best_from(split);
    const bool maybe =
        study.direction() == Direction::Minimize ? before + min_delta_ < window : before - min_delta_ > window;
    if (!maybe) {
      return false;  // and the wrapped pruner is not asked at all
    }
    bool stop = true;
    if (wrapped_) {
      stop = wrapped_->prune(study, trial, reason);
      if (wrapped_->error()) {
        error_ = wrapped_->error();
      }
    } else {
      reason.pruner = PrunerKind::Patient;
      reason.rule = PruneRule::NoImprovement;
      reason.step = trial.last_step();
      reason.value = window;
      reason.cutoff = before;
    }
    if (stop) {
      reason.patient = true;
      reason.patience = patience_;
      reason.best_before = before;
      reason.best_in_window = window;
      reason.min_delta = min_delta_;
    }
    return stop;
  }

 private:
  std::unique_ptr<Pruner> wrapped_;
  std::int64_t patience_;
  double min_delta_;
};

std::unique_ptr<Pruner> build(const PrunerSpec& spec) {
  switch (spec.kind) {
    case PrunerKind::Nop:
      return std::make_unique<NopPruner>();
    case PrunerKind::Median:
    case PrunerKind::Percentile: {
      PrunerSpec s = spec;
      if (s.kind == PrunerKind::Median) {
        s.percentile = 50.0;
      }
      return std::make_unique<PercentilePruner>(s);
    }
    case PrunerKind::SuccessiveHalving:
      return std::make_unique<SuccessiveHalvingPruner>(spec.min_resource, spec.reduction_factor,
                                                       spec.min_early_stopping_rate, spec.bootstrap_count, -1);
    case PrunerKind::Hyperband:
      return std::make_unique<HyperbandPruner>(spec);
    case PrunerKind::Threshold:
      return std::make_unique<ThresholdPruner>(spec);
    case PrunerKind::Patient:
      return std::make_unique<PatientPruner>(spec.wrapped ? build(*spec.wrapped) : nullptr, spec.patience,
                                             spec.min_delta);
    case PrunerKind::Extrapolation:
      return make_extrapolation_pruner(spec);
  }
  return std::make_unique<NopPruner>();
}

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) {
      c = (c & 1U) != 0U ? 0xEDB88320U ^ (c >> 1U) : c >> 1U;
    }
    table[i] = c;
  }
  return table;
}
constexpr auto kCrcTable = make_crc_table();

// Six significant digits: readable in a sentence; the JSON fields keep every bit.
std::string number_text(double value) {
  if (!std::isfinite(value)) {
    return format_number(value);
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string ordinal(double q) {
  const std::string text = format_number(q);
  if (q == std::floor(q) && q >= 0 && q < 1e9) {
    const auto n = static_cast<long long>(q);
    const char* suffix = "th";
    if (n % 100 < 11 || n % 100 > 13) {
      suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    }
    return text + suffix;
  }
  return text + "th";
}

}  // namespace

// -----------------------------------------------------------------------------------------
std::string_view pruner_kind_name(PrunerKind kind) {
  switch (kind) {
    case PrunerKind::Nop:
      return "nop";
    case PrunerKind::Median:
      return "median";
    case PrunerKind::Percentile:
      return "percentile";
    case PrunerKind::SuccessiveHalving:
      return "successive_halving";
    case PrunerKind::Hyperband:
      return "hyperband";
    case PrunerKind::Threshold:
      return "threshold";
    case PrunerKind::Patient:
      return "patient";
    case PrunerKind::Extrapolation:
      return "extrapolation";
  }
  return "nop";
}

std::optional<PrunerKind> parse_pruner_kind(std::string_view name) {
  for (const PrunerKind kind :
       {PrunerKind::Nop, PrunerKind::Median, PrunerKind::Percentile, PrunerKind::SuccessiveHalving,
        PrunerKind::Hyperband, PrunerKind::Threshold, PrunerKind::Patient, PrunerKind::Extrapolation}) {
    if (name == pruner_kind_name(kind)) {
      return kind;
    }
  }
  return std::nullopt;
}

PrunerSpec default_pruner_spec(PrunerKind kind) {
  PrunerSpec spec;
  spec.kind = kind;
  if (kind == PrunerKind::Hyperband) {
    spec.min_resource = Resource{false, 1};
    spec.max_resource = Resource{true, 0};
    spec.reduction_factor = 3;
  }
  if (kind == PrunerKind::Extrapolation) {
    spec.n_startup_trials = 1;
    spec.n_warmup_steps = 100;
    spec.interval_steps = 10;
  }
  return spec;
}

std::optional<Error> validate(const PrunerSpec& spec) {
  switch (spec.kind) {
    case PrunerKind::Nop:
      return std::nullopt;
    case PrunerKind::Median:
    case PrunerKind::Percentile:
      if (spec.kind == PrunerKind::Percentile && !(spec.percentile >= 0.0 && spec.percentile <= 100.0)) {
        return out_of_range("percentile", 0, 100, spec.percentile);
      }
      if (auto e = validate_schedule(spec)) {
        return e;
      }
      if (spec.n_min_trials < 1) {
        return at_least("n_min_trials", 1, spec.n_min_trials);
      }
      return std::nullopt;
    case PrunerKind::SuccessiveHalving:
      if (!spec.min_resource.automatic && spec.min_resource.value < 1) {
        return Error{"min_resource",
                     "min_resource must be \"auto\" or >= 1, got " + std::to_string(spec.min_resource.value)};
      }
      if (spec.reduction_factor < 2) {
        return at_least("reduction_factor", 2, spec.reduction_factor);
      }
      if (spec.min_early_stopping_rate < 0) {
        return at_least("min_early_stopping_rate", 0, spec.min_early_stopping_rate);
      }
      if (spec.bootstrap_count < 0) {
        return at_least("bootstrap_count", 0, spec.bootstrap_count);
      }
      if (spec.bootstrap_count > 0 && spec.min_resource.automatic) {
        return Error{"bootstrap_count", "bootstrap_count must be 0 when min_resource is \"auto\", got " +
                                            std::to_string(spec.bootstrap_count)};
      }
      return std::nullopt;
    case PrunerKind::Hyperband:
      // Optuna checks only this in the constructor; the rest fails when it initialises.
      if (spec.bootstrap_count > 0 && spec.max_resource.automatic) {
        return Error{"bootstrap_count", "bootstrap_count must be 0 when max_resource is \"auto\", got " +
                                            std::to_string(spec.bootstrap_count)};
      }
      return std::nullopt;
    case PrunerKind::Threshold:
      if (!spec.lower && !spec.upper) {
        return Error{"lower", "threshold needs lower or upper (or both)"};
      }
      if (spec.lower.value_or(-std::numeric_limits<double>::infinity()) >
          spec.upper.value_or(std::numeric_limits<double>::infinity())) {
        return Error{"lower", "lower must be <= upper, got lower " + format_number(*spec.lower) + " > upper " +
                                  format_number(*spec.upper)};
      }
      if (spec.n_warmup_steps < 0) {
        return at_least("n_warmup_steps", 0, spec.n_warmup_steps);
      }
      if (spec.interval_steps < 1) {
        return at_least("interval_steps", 1, spec.interval_steps);
      }
      return std::nullopt;
    case PrunerKind::Patient:
      if (spec.wrapped) {
        if (auto e = validate(*spec.wrapped)) {
          return wrapped_error(*e);
        }
      }
      if (spec.patience < 0) {
        return at_least("patience", 0, spec.patience);
      }
      if (spec.min_delta < 0) {  // NaN passes, as in Optuna
        return Error{"min_delta", "min_delta must be >= 0, got " + format_number(spec.min_delta)};
      }
      return std::nullopt;
    case PrunerKind::Extrapolation:
      if (!(spec.p > 0.0 && spec.p < 1.0)) {
        return Error{"p", "p must be in (0, 1), got " + format_number(spec.p)};
      }
      if (auto e = validate_schedule(spec)) {
        return e;
      }
      if (!spec.horizon.automatic && spec.horizon.value < 1) {
        return Error{"horizon", "horizon must be \"auto\" or >= 1, got " + std::to_string(spec.horizon.value)};
      }
      if (spec.max_checks < 1) {
        return at_least("max_checks", 1, spec.max_checks);
      }
      return std::nullopt;
  }
  return std::nullopt;
}

Error wrapped_error(const Error& inner) {
  std::string field = inner.field;
  if (field == "pruner") {
    field.clear();
  } else if (field.rfind("pruner.", 0) == 0) {
    field = field.substr(7);
  }
  const std::string outer = field.empty() ? std::string("wrapped") : "wrapped." + field;
  if (!inner.field.empty() && inner.message.rfind(inner.field, 0) == 0) {
    return Error{outer, outer + inner.message.substr(inner.field.size())};
  }
  return Error{outer, "wrapped: " + inner.message};
}

Expected<std::unique_ptr<Pruner>> make_pruner(const PrunerSpec& spec) {
  if (auto e = validate(spec)) {
    return *e;
  }
  return build(spec);
}

namespace {
// numpy's _lerp(a, b, t), bit for bit.
double numpy_lerp(double a, double b, double t) {
  const double d = b - a;
  return t >= 0.5 ? b - d * (1.0 - t) : a + d * t;
}
}  // namespace

double nan_percentile(std::span<const double> values, double q, std::vector<double>& scratch) {
  scratch.clear();
  for (const double v : values) {
    if (!std::isnan(v)) {
      scratch.push_back(v);
    }
  }
  const std::size_t n = scratch.size();
  if (n == 0) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  // numpy: virtual index v = (n - 1) * (q / 100); neighbours a, b; weight t; then _lerp.
  const double g = q / 100.0;
  const double v = static_cast<double>(n - 1) * g;
  if (v >= static_cast<double>(n - 1)) {
    // Both neighbours are the largest value, and numpy's weight is v - (-1).
    const double top = *std::max_element(scratch.begin(), scratch.end());
    return numpy_lerp(top, top, v - -1.0);
  }
  const double lower = std::floor(v);
  const auto i = static_cast<std::size_t>(lower);
  std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(i), scratch.end());
  const double a = scratch[i];
  const double b = *std::min_element(scratch.begin() + static_cast<std::ptrdiff_t>(i) + 1, scratch.end());
  return numpy_lerp(a, b, v - lower);
}

void RunningPercentile::add(double value) {
  if (std::isnan(value)) {
    return;
  }
  if (lower_.empty() || value <= lower_.front()) {
    lower_.push_back(value);
    std::push_heap(lower_.begin(), lower_.end());
  } else {
    upper_.push_back(value);
    std::push_heap(upper_.begin(), upper_.end(), std::greater<>());
  }
}

double RunningPercentile::value() {
  const std::size_t n = size();
  if (n == 0) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double g = q_ / 100.0;
  const double v = static_cast<double>(n - 1) * g;
  const bool at_top = v >= static_cast<double>(n - 1);
  const double lower = std::floor(v);
  // The lower heap holds the k + 1 smallest values, k = floor(v) (every value at the top).
  const std::size_t want = at_top ? n : static_cast<std::size_t>(lower) + 1;
  while (lower_.size() > want) {
    std::pop_heap(lower_.begin(), lower_.end());
    upper_.push_back(lower_.back());
    lower_.pop_back();
    std::push_heap(upper_.begin(), upper_.end(), std::greater<>());
  }
  while (lower_.size() < want) {
    std::pop_heap(upper_.begin(), upper_.end(), std::greater<>());
    lower_.push_back(upper_.back());
    upper_.pop_back();
    std::push_heap(lower_.begin(), lower_.end());
  }
  const double a = lower_.front();
  if (at_top) {
    return numpy_lerp(a, a, v - -1.0);
  }
  return numpy_lerp(a, upper_.front(), v - lower);
}

bool first_in_interval(std::int64_t step, std::int64_t previous_step, std::int64_t warmup, std::int64_t interval) {
  const std::int64_t pruning_point = (step - warmup) / interval * interval + warmup;
  return previous_step < pruning_point;
}

std::uint32_t crc32(std::string_view bytes) {
  std::uint32_t c = 0xFFFFFFFFU;
  for (const char ch : bytes) {
    c = kCrcTable[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8U);
  }
  return c ^ 0xFFFFFFFFU;
}

int hyperband_bracket_count(std::int64_t min_resource, std::int64_t max_resource, std::int64_t reduction_factor) {
  const double x = static_cast<double>(max_resource) / static_cast<double>(min_resource);
  return static_cast<int>(std::floor(std::log(x) / std::log(static_cast<double>(reduction_factor)))) + 1;
}

std::string_view prune_rule_name(PruneRule rule) {
  switch (rule) {
    case PruneRule::None:
      return "none";
    case PruneRule::WorseThanPercentile:
      return "worse_than_percentile";
    case PruneRule::AllValuesNan:
      return "all_values_nan";
    case PruneRule::RungNan:
      return "rung_nan";
    case PruneRule::RungBootstrap:
      return "rung_bootstrap";
    case PruneRule::RungNotPromoted:
      return "rung_not_promoted";
    case PruneRule::BelowLower:
      return "below_lower";
    case PruneRule::AboveUpper:
      return "above_upper";
    case PruneRule::ThresholdNan:
      return "threshold_nan";
    case PruneRule::NoImprovement:
      return "no_improvement";
    case PruneRule::External:
      return "external";
    case PruneRule::UnlikelyToBeatBest:
      return "unlikely_to_beat_best";
  }
  return "none";
}

std::string describe(const PruneReason& r, Direction direction) {
  const bool maximize = direction == Direction::Maximize;
  const std::string at_step = " at step " + std::to_string(r.step);
  std::string text;
  switch (r.rule) {
    case PruneRule::None:
      return "not pruned";
    case PruneRule::WorseThanPercentile: {
      const std::string which =
          r.pruner == PrunerKind::Median ? std::string("median") : ordinal(r.percentile) + " percentile";
      text = "best value " + number_text(r.value) + (maximize ? " is below the " : " is above the ") + which + " " +
             number_text(r.cutoff) + " of " + std::to_string(r.compared_with) + " completed trial" +
             (r.compared_with == 1 ? "" : "s") + at_step;
      break;
    }
    case PruneRule::AllValuesNan:
      text = "every value reported up to step " + std::to_string(r.step) + " is NaN";
      break;
    case PruneRule::RungNan:
      text = "value at rung " + std::to_string(r.rung) + " (step " + std::to_string(r.rung_step) + ") is NaN" + at_step;
      break;
    case PruneRule::RungBootstrap:
      text = "the " + ordinal(r.compared_with) + " trial to reach rung " + std::to_string(r.rung) + " (step " +
             std::to_string(r.rung_step) + ") is within bootstrap_count" + at_step;
      break;
    case PruneRule::RungNotPromoted:
      text = "value " + number_text(r.value) + " at rung " + std::to_string(r.rung) + " (step " +
             std::to_string(r.rung_step) + ") is not in the top 1/" + std::to_string(r.reduction_factor) + " of " +
             std::to_string(r.compared_with) + " trials (cut-off " + number_text(r.cutoff) + ")" + at_step;
      break;
    case PruneRule::BelowLower:
      text = "value " + number_text(r.value) + " is below the lower bound " + number_text(r.cutoff) + at_step;
      break;
    case PruneRule::AboveUpper:
      text = "value " + number_text(r.value) + " is above the upper bound " + number_text(r.cutoff) + at_step;
      break;
    case PruneRule::ThresholdNan:
      text = "value is NaN" + at_step;
      break;
    case PruneRule::UnlikelyToBeatBest:
      text = "predicted final " + number_text(r.value) + " (" + number_text(100.0 * (1.0 - 2.0 * r.p)) + "% interval " +
             number_text(r.lower) + " to " + number_text(r.upper) + ", horizon " + std::to_string(r.horizon) +
             " steps) beats the best completed final " + number_text(r.cutoff) + " of " +
             std::to_string(r.compared_with) + " trial" + (r.compared_with == 1 ? "" : "s") + " with probability " +
             number_text(r.probability) + at_step;
      break;
    case PruneRule::External:
      return (r.note.empty() ? std::string("the agent said stop") : r.note) + at_step;
    case PruneRule::NoImprovement:
      text = "best of the last " + std::to_string(r.patience + 1) + " values " + number_text(r.best_in_window) +
             " is worse than the earlier best " + number_text(r.best_before) +
             (r.min_delta != 0.0 ? " by more than " + number_text(r.min_delta) : std::string()) + at_step;
      return text;
  }
  if (r.bracket >= 0) {
    text += " (Hyperband bracket " + std::to_string(r.bracket) + ")";
  }
  if (r.patient) {
    text += ", after the last " + std::to_string(r.patience + 1) + " values did not beat " + number_text(r.best_before);
  }
  return text;
}

}  // namespace curvelab
