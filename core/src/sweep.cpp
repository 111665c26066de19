#include "curvelab/sweep.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <iterator>

#include "curvelab/simulate.hpp"
#include "lane_support.hpp"

namespace curvelab {
namespace {
struct Span {
  int lo;
  int hi;
};

// The powers of 2 of each method's parameter, as in the book's figure.
Span log2_span(SweepMethod method) {
  switch (method) {
    case SweepMethod::EpsilonGreedy:
      return {-7, -2};
    case SweepMethod::Gradient:
      return {-5, 1};
    case SweepMethod::Ucb:
      return {-4, 2};
    case SweepMethod::Optimistic:
      return {-2, 2};
  }
  return {0, 0};
}

AgentConfig agent_for(SweepMethod method, double value) {
  AgentConfig agent;
  switch (method) {
    case SweepMethod::EpsilonGreedy:
      agent.epsilon = value;
      break;
    case SweepMethod::Gradient:
      agent.kind = AgentKind::Gradient;
      agent.step_size = value;
      agent.baseline = true;
      break;
    case SweepMethod::Ucb:
      agent.kind = AgentKind::Ucb;
      agent.ucb_c = value;
      break;
    case SweepMethod::Optimistic:
      agent.epsilon = 0.0;
      agent.initial_value = value;
      agent.step_size = 0.1;
      break;
  }
  return agent;
}
}  // namespace

std::string_view sweep_method_name(SweepMethod method) {
  switch (method) {
    case SweepMethod::EpsilonGreedy:
      return "epsilon-greedy";
    case SweepMethod::Gradient:
      return "gradient";
    case SweepMethod::Ucb:
      return "ucb";
    case SweepMethod::Optimistic:
      return "optimistic";
  }
  return "unknown";
}

std::optional<SweepMethod> parse_sweep_method(std::string_view name) {
  for (const SweepMethod method : kAllSweepMethods) {
    if (name == sweep_method_name(method)) {
      return method;
    }
  }
  return std::nullopt;
}

std::string_view sweep_parameter_name(SweepMethod method) {
  switch (method) {
    case SweepMethod::EpsilonGreedy:
      return "epsilon";
    case SweepMethod::Gradient:
      return "alpha";
    case SweepMethod::Ucb:
      return "c";
    case SweepMethod::Optimistic:
      return "Q0";
  }
  return "unknown";
}

std::optional<Error> validate(const SweepConfig& config) {
  if (config.methods.empty()) {
    return Error{"methods", "methods must name at least one of epsilon-greedy, gradient, ucb, optimistic"};
  }
  if (auto e = validate(config.bandit)) {
    return e;
  }
  if (config.runs < 1 || config.runs > kMaxRuns) {
    return out_of_range("runs", 1, kMaxRuns, config.runs);
  }
  if (config.steps < 1 || config.steps > kMaxSteps) {
    return out_of_range("steps", 1, kMaxSteps, config.steps);
  }
  return std::nullopt;
}

std::vector<SweepPoint> sweep_points(const SweepConfig& config) {
  assert(!validate(config));
  std::vector<SweepPoint> points;
  for (const SweepMethod method : config.methods) {
    const Span span = log2_span(method);
    for (int k = span.lo; k <= span.hi; ++k) {
      SweepPoint point;
      point.method = method;
      point.log2 = k;
      point.value = std::ldexp(1.0, k);  // exact
      point.config.bandit = config.bandit;
      point.config.agent = agent_for(method, point.value);
      point.config.steps = config.steps;
      point.config.seed = config.seed;
      points.push_back(point);
    }
  }
  return points;
}

namespace {
// Adds runs [first, first + count) of `config` to the per-step sums, in run order (the
// order simulate_average adds them in), in the simulator's lanes.
void add_runs(const ExperimentConfig& config, int first, int count, std::vector<double>& reward_sum,
              std::vector<double>& optimal_sum) {
  add_run_sums(config, first, count, RunSums{reward_sum.data(), optimal_sum.data(), nullptr});
}

SweepResult finish_setting(const SweepPoint& point, std::vector<double> reward_sum,
                           const std::vector<double>& optimal_sum, int runs) {
  const double scale = 1.0 / runs;
  SweepResult result;
  result.point = point;
  for (std::size_t t = 0; t < reward_sum.size(); ++t) {
    reward_sum[t] *= scale;
    result.average_reward += reward_sum[t];
    result.optimal_share += optimal_sum[t] * scale;
  }
  const auto steps = static_cast<double>(reward_sum.size());
  result.average_reward /= steps;
  result.optimal_share /= steps;
  result.mean_reward = std::move(reward_sum);
  return result;
}
}  // namespace

SweepResult run_sweep_point(const SweepPoint& point, int runs) {
  const auto horizon = static_cast<std::size_t>(point.config.steps);
  std::vector<double> reward_sum(horizon, 0.0);
  std::vector<double> optimal_sum(horizon, 0.0);
  add_runs(point.config, 0, runs, reward_sum, optimal_sum);
  return finish_setting(point, std::move(reward_sum), optimal_sum, runs);
}

std::vector<SweepResult> run_sweep(const SweepConfig& config) {
  std::vector<SweepResult> results;
  for (const SweepPoint& point : sweep_points(config)) {
    results.push_back(run_sweep_point(point, config.runs));
  }
  return results;
}

SweepRunner::SweepRunner(const SweepConfig& config) : config_(config), points_(sweep_points(config)) {
  reward_sum_.assign(static_cast<std::size_t>(config_.steps), 0.0);
  optimal_sum_.assign(static_cast<std::size_t>(config_.steps), 0.0);
}

int SweepRunner::advance(int max_runs) {
  if (done() || max_runs < 1) {
    return 0;
  }
  const SweepPoint& point = points_[results_.size()];
  const int count = std::min(max_runs, config_.runs - runs_done_);
  add_runs(point.config, runs_done_, count, reward_sum_, optimal_sum_);
  runs_done_ += count;
  if (runs_done_ == config_.runs) {
    results_.push_back(finish_setting(point, std::move(reward_sum_), optimal_sum_, config_.runs));
    reward_sum_.assign(static_cast<std::size_t>(config_.steps), 0.0);
    optimal_sum_.assign(static_cast<std::size_t>(config_.steps), 0.0);
    runs_done_ = 0;
  }
  return count;
}

double SweepRunner::progress() const {
  if (points_.empty()) {
    return 1.0;
  }
  const double runs = static_cast<double>(results_.size()) * config_.runs + runs_done_;
  return runs / (static_cast<double>(points_.size()) * config_.runs);
}

Expected<SweepStudy> prune_sweep(const std::vector<SweepResult>& results, const PrunerSpec& pruner, int runs) {
  SweepStudy out;
  std::vector<SweepMethod> methods;
  for (const SweepResult& r : results) {
    if (std::find(methods.begin(), methods.end(), r.point.method) == methods.end()) {
      methods.push_back(r.point.method);
    }
  }
  for (const SweepMethod method : methods) {
    StudySpec spec;
    spec.name = "sweep-" + std::string(sweep_method_name(method));
    spec.direction = Direction::Maximize;
    spec.pruner = pruner;
    std::vector<const SweepResult*> settings;
    for (const SweepResult& r : results) {
      if (r.point.method == method) {
        settings.push_back(&r);
        spec.trials.push_back(TrialSpec{r.mean_reward, {}, r.average_reward});
      }
    }
    auto study = run_study(spec);
    if (!study) {
      return study.error();
    }
    SweepMethodStudy m;
    m.method = method;
    m.best = *best_of(results, method);
    for (std::size_t i = 0; i < settings.size(); ++i) {
      const TrialOutcome& outcome = study->trials[i];
      if (outcome.state == TrialState::Complete &&
          (!m.best_kept || settings[i]->average_reward > m.best_kept->average_reward)) {
        m.best_kept = *settings[i];
      }
    }
    m.found_best = m.best_kept && m.best_kept->point.log2 == m.best.point.log2;
    out.agent_steps_total += study->summary.steps_total * runs;
    out.agent_steps_run += study->summary.steps_run * runs;
    m.study = std::move(study).value();
    out.methods.push_back(std::move(m));
  }
  out.share_saved = out.agent_steps_total == 0
                        ? 0.0
                        : 1.0 - static_cast<double>(out.agent_steps_run) / static_cast<double>(out.agent_steps_total);
  out.found_every_best = !out.methods.empty() && std::all_of(out.methods.begin(), out.methods.end(),
                                                             [](const SweepMethodStudy& m) { return m.found_best; });
  return out;
}

std::optional<SweepResult> best_of(const std::vector<SweepResult>& results, SweepMethod method) {
  std::optional<SweepResult> best;
  for (const SweepResult& r : results) {
    if (r.point.method == method && (!best || r.average_reward > best->average_reward)) {
      best = r;
    }
  }
  return best;
}

}  // namespace curvelab
