#include "curvelab/sweep.hpp"

#include <cassert>
#include <cmath>
#include <iterator>

#include "curvelab/simulate.hpp"

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

SweepResult run_sweep_point(const SweepPoint& point, int runs) {
  const AverageCurves curves = simulate_average(point.config, runs);
  SweepResult result;
  result.point = point;
  for (std::size_t t = 0; t < curves.mean_reward.size(); ++t) {
    result.average_reward += curves.mean_reward[t];
    result.optimal_share += curves.optimal_share[t];
  }
  const auto steps = static_cast<double>(curves.mean_reward.size());
  result.average_reward /= steps;
  result.optimal_share /= steps;
  return result;
}

std::vector<SweepResult> run_sweep(const SweepConfig& config) {
  std::vector<SweepResult> results;
  for (const SweepPoint& point : sweep_points(config)) {
    results.push_back(run_sweep_point(point, config.runs));
  }
  return results;
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
