#include "curvelab/config.hpp"

namespace curvelab {
namespace {
// True when lo <= value <= hi; false for NaN.
bool within(double value, double lo, double hi) { return value >= lo && value <= hi; }

std::optional<Error> check(const char* field, double value, double lo, double hi) {
  if (!within(value, lo, hi)) {
    return out_of_range(field, lo, hi, value);
  }
  return std::nullopt;
}
}  // namespace

std::string_view agent_kind_name(AgentKind kind) {
  switch (kind) {
    case AgentKind::EpsilonGreedy:
      return "epsilon-greedy";
    case AgentKind::Random:
      return "random";
    case AgentKind::Ucb:
      return "ucb";
    case AgentKind::Gradient:
      return "gradient";
  }
  return "unknown";
}

std::optional<AgentKind> parse_agent_kind(std::string_view name) {
  for (const AgentKind kind : kAllAgentKinds) {
    if (name == agent_kind_name(kind)) {
      return kind;
    }
  }
  return std::nullopt;
}

std::optional<double> value_step_size(const AgentConfig& config) {
  return config.kind == AgentKind::Gradient ? std::nullopt : config.step_size;
}

double gradient_step_size(const AgentConfig& config) { return config.step_size.value_or(kDefaultGradientStepSize); }

std::optional<Error> validate(const BanditConfig& config) {
  if (config.arms < kMinArms || config.arms > kMaxArms) {
    return out_of_range("arms", kMinArms, kMaxArms, config.arms);
  }
  if (auto e = check("arm_mean", config.arm_mean, -100.0, 100.0)) {
    return e;
  }
  if (auto e = check("arm_spread", config.arm_spread, 0.0, 100.0)) {
    return e;
  }
  if (auto e = check("noise", config.noise, 0.0, 100.0)) {
    return e;
  }
  return check("walk", config.walk, 0.0, kMaxWalk);
}

std::optional<Error> validate(const AgentConfig& config) {
  if (auto e = check("epsilon", config.epsilon, 0.0, 1.0)) {
    return e;
  }
  if (auto e = check("initial_value", config.initial_value, -1000.0, 1000.0)) {
    return e;
  }
  if (auto e = check("initial_spread", config.initial_spread, 0.0, 100.0)) {
    return e;
  }
  if (config.step_size) {
    // Zero is excluded: a step size of 0 never learns, which sample averages are not.
    const bool gradient = config.kind == AgentKind::Gradient;
    const double hi = gradient ? kMaxGradientStepSize : kMaxValueStepSize;
    const double alpha = *config.step_size;
    if (!(alpha > 0.0 && alpha <= hi)) {
      return Error{"step_size", "step_size must be in (0, " + format_number(hi) + "] for " +
                                    std::string(agent_kind_name(config.kind)) + ", got " + format_number(alpha)};
    }
  }
  return check("ucb_c", config.ucb_c, 0.0, kMaxUcbC);
}

std::optional<Error> validate(const ExperimentConfig& config) {
  if (auto e = validate(config.bandit)) {
    return e;
  }
  if (auto e = validate(config.agent)) {
    return e;
  }
  if (config.steps < 1 || config.steps > kMaxSteps) {
    return out_of_range("steps", 1, kMaxSteps, config.steps);
  }
  return std::nullopt;
}

}  // namespace curvelab
