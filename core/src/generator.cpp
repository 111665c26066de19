#include "curvelab/generator.hpp"

#include <algorithm>
#include <cassert>
#include <string>
#include <utility>

#include "curvelab/random.hpp"

namespace curvelab {
namespace {
template <class Range>
std::optional<Error> check_range(const std::string& field, const Range& range, double lo, double hi) {
  if (!(range.lo >= lo && range.lo <= hi)) {
    return out_of_range(field + ".lo", lo, hi, range.lo);
  }
  if (!(range.hi >= lo && range.hi <= hi)) {
    return out_of_range(field + ".hi", lo, hi, range.hi);
  }
  if (range.lo > range.hi) {
    return Error{field,
                 field + ": lo (" + format_number(range.lo) + ") must not exceed hi (" + format_number(range.hi) + ")"};
  }
  return std::nullopt;
}

// Always one draw, so every field comes from the same place in the stream.
double draw(Rng& rng, const RealRange& range) { return rng.uniform(range.lo, range.hi); }
}  // namespace

std::optional<Error> validate(const GeneratorRanges& r) {
  if (auto e = check_range("arms", r.arms, kMinArms, kMaxArms)) {
    return e;
  }
  if (auto e = check_range("arm_mean", r.arm_mean, -100.0, 100.0)) {
    return e;
  }
  if (auto e = check_range("arm_spread", r.arm_spread, 0.0, 100.0)) {
    return e;
  }
  if (auto e = check_range("noise", r.noise, 0.0, 100.0)) {
    return e;
  }
  if (auto e = check_range("epsilon", r.epsilon, 0.0, 1.0)) {
    return e;
  }
  if (auto e = check_range("initial_value", r.initial_value, -1000.0, 1000.0)) {
    return e;
  }
  if (auto e = check_range("steps", r.steps, 1, kMaxSteps)) {
    return e;
  }
  const std::pair<const char*, double> shares[] = {{"random_share", r.random_share},
                                                   {"ucb_share", r.ucb_share},
                                                   {"gradient_share", r.gradient_share},
                                                   {"constant_step_share", r.constant_step_share},
                                                   {"optimistic_share", r.optimistic_share},
                                                   {"baseline_off_share", r.baseline_off_share},
                                                   {"walk_share", r.walk_share}};
  for (const auto& [field, share] : shares) {
    if (!(share >= 0.0 && share <= 1.0)) {
      return out_of_range(field, 0.0, 1.0, share);
    }
  }
  const double kinds = r.random_share + r.ucb_share + r.gradient_share;
  if (kinds > 1.0) {
    return Error{"random_share",
                 "random_share + ucb_share + gradient_share must not exceed 1, got " + format_number(kinds)};
  }
  // Step sizes serve value estimates (at most 1) and the gradient bandit alike.
  if (auto e = check_range("step_size", r.step_size, 0.0, kMaxValueStepSize)) {
    return e;
  }
  if (!(r.step_size.lo > 0.0)) {
    return Error{"step_size.lo", "step_size.lo must be in (0, 1], got " + format_number(r.step_size.lo)};
  }
  if (auto e = check_range("ucb_c", r.ucb_c, 0.0, kMaxUcbC)) {
    return e;
  }
  if (auto e = check_range("optimism", r.optimism, -100.0, 100.0)) {
    return e;
  }
  return check_range("walk", r.walk, 0.0, kMaxWalk);
}

ExperimentConfig sample_experiment(const GeneratorRanges& ranges, std::uint64_t seed, std::uint64_t index) {
  assert(!validate(ranges));
  Rng rng(derive_seed(seed, index));
  ExperimentConfig config;
  // A fixed order of draws: every field comes from the same place in the stream
  // whatever the ranges are.
  const double kind = rng.uniform();
  config.agent.kind = kind < ranges.random_share                      ? AgentKind::Random
                      : kind < ranges.random_share + ranges.ucb_share ? AgentKind::Ucb
                      : kind < ranges.random_share + ranges.ucb_share + ranges.gradient_share
                          ? AgentKind::Gradient
                          : AgentKind::EpsilonGreedy;
  config.bandit.arms = rng.between(ranges.arms.lo, ranges.arms.hi);
  config.bandit.arm_mean = draw(rng, ranges.arm_mean);
  config.bandit.arm_spread = draw(rng, ranges.arm_spread);
  config.bandit.noise = draw(rng, ranges.noise);
  config.agent.epsilon = draw(rng, ranges.epsilon);
  config.agent.initial_value = draw(rng, ranges.initial_value);
  config.steps = rng.between(ranges.steps.lo, ranges.steps.hi);
  config.seed = rng.next_u64() >> 11U;  // below 2^53: exact as a JavaScript number
  // The newer parameters come after the seed, so that with their shares at 0 every
  // experiment is the one drawn before they existed.
  draw_agent_settings(ranges, config, rng);
  return config;
}

void draw_agent_settings(const GeneratorRanges& ranges, ExperimentConfig& config, Rng& rng) {
  // Every draw is made whatever the kind, so each comes from the same place in the stream.
  const bool constant_step = rng.uniform() < ranges.constant_step_share;
  const bool optimistic = rng.uniform() < ranges.optimistic_share;
  const bool baseline_off = rng.uniform() < ranges.baseline_off_share;
  const bool walks = rng.uniform() < ranges.walk_share;
  const double step_size = draw(rng, ranges.step_size);
  const double ucb_c = draw(rng, ranges.ucb_c);
  const double optimism = draw(rng, ranges.optimism);
  const double walk = draw(rng, ranges.walk);
  AgentConfig& agent = config.agent;
  switch (agent.kind) {
    case AgentKind::EpsilonGreedy:
      if (optimistic) {
        agent.epsilon = 0.0;
        agent.initial_value = std::clamp(config.bandit.arm_mean + optimism, -1000.0, 1000.0);
        agent.step_size = step_size;
      } else if (constant_step) {
        agent.step_size = step_size;
      }
      break;
    case AgentKind::Ucb:
      agent.ucb_c = ucb_c;
      if (constant_step) {
        agent.step_size = step_size;
      }
      break;
    case AgentKind::Gradient:
      agent.step_size = step_size;
      agent.baseline = !baseline_off;
      break;
    case AgentKind::Random:
      break;
  }
  if (walks) {
    config.bandit.walk = walk;
  }
}

void mix_learner(const GeneratorRanges& ranges, ExperimentConfig& config, Rng& rng) {
  const double u = rng.uniform();
  if (config.agent.kind == AgentKind::EpsilonGreedy && ranges.random_share < 1.0) {
    const double learners = 1.0 - ranges.random_share;
    const double ucb = ranges.ucb_share / learners;
    const double gradient = ranges.gradient_share / learners;
    config.agent.kind = u < ucb ? AgentKind::Ucb : u < ucb + gradient ? AgentKind::Gradient : AgentKind::EpsilonGreedy;
  }
  draw_agent_settings(ranges, config, rng);
}

std::vector<ExperimentConfig> generate_experiments(const GeneratorRanges& ranges, int count, std::uint64_t seed) {
  std::vector<ExperimentConfig> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    out.push_back(sample_experiment(ranges, seed, static_cast<std::uint64_t>(i)));
  }
  return out;
}

}  // namespace curvelab
