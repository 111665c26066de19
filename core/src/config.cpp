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
  }
  return "unknown";
}

std::optional<AgentKind> parse_agent_kind(std::string_view name) {
  for (const AgentKind kind : {AgentKind::EpsilonGreedy, AgentKind::Random}) {
    if (name == agent_kind_name(kind)) {
      return kind;
    }
  }
  return std::nullopt;
}

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
  return check("noise", config.noise, 0.0, 100.0);
}

std::optional<Error> validate(const AgentConfig& config) {
  if (auto e = check("epsilon", config.epsilon, 0.0, 1.0)) {
    return e;
  }
  if (auto e = check("initial_value", config.initial_value, -1000.0, 1000.0)) {
    return e;
  }
  return check("initial_spread", config.initial_spread, 0.0, 100.0);
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
