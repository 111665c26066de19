#include "curvelab/generator.hpp"

#include <cassert>
#include <string>

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
  if (!(r.random_share >= 0.0 && r.random_share <= 1.0)) {
    return out_of_range("random_share", 0.0, 1.0, r.random_share);
  }
  return std::nullopt;
}

ExperimentConfig sample_experiment(const GeneratorRanges& ranges, std::uint64_t seed, std::uint64_t index) {
  assert(!validate(ranges));
  Rng rng(derive_seed(seed, index));
  ExperimentConfig config;
  // A fixed order of draws: every field comes from the same place in the stream
  // whatever the ranges are.
  config.agent.kind = rng.uniform() < ranges.random_share ? AgentKind::Random : AgentKind::EpsilonGreedy;
  config.bandit.arms = rng.between(ranges.arms.lo, ranges.arms.hi);
  config.bandit.arm_mean = draw(rng, ranges.arm_mean);
  config.bandit.arm_spread = draw(rng, ranges.arm_spread);
  config.bandit.noise = draw(rng, ranges.noise);
  config.agent.epsilon = draw(rng, ranges.epsilon);
  config.agent.initial_value = draw(rng, ranges.initial_value);
  config.steps = rng.between(ranges.steps.lo, ranges.steps.hi);
  config.seed = rng.next_u64() >> 11U;  // below 2^53: exact as a JavaScript number
  return config;
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
