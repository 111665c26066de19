#include "curvelab/agent_change.hpp"

#include <cstdint>
#include <string>

#include "curvelab/json.hpp"

namespace curvelab {

Expected<AgentConfig> changed_agent(const ExperimentConfig& config, const nlohmann::json& patch) {
  if (!patch.is_object()) {
    return Error{"agent", "the agent change must be a JSON object"};
  }
  nlohmann::json merged = to_json(config);
  merged.erase("seed");  // a cohort run's derived seed may exceed 2^53: not the patch's business
  for (const auto& [key, value] : patch.items()) {
    if (key != "agent" && key != "epsilon" && key != "initial_value" && key != "initial_spread" && key != "step_size" &&
        key != "ucb_c" && key != "baseline") {
      return Error{key, key +
                            " cannot change during a run (only agent, epsilon, initial_value, initial_spread, "
                            "step_size, ucb_c, baseline can)"};
    }
    merged[key] = value;
  }
  auto read = experiment_from_json(merged);
  if (!read) {
    return read.error();
  }
  return read->agent;
}

std::optional<Error> validate_changes(std::span<const ScheduledChange> changes, int steps) {
  int previous = 1;
  for (const ScheduledChange& c : changes) {
    if (c.step < previous || c.step > steps) {
      return Error{"changes", "a change's step must be in [" + std::to_string(previous) + ", " + std::to_string(steps) +
                                  "] (in step order, within the horizon), got " + std::to_string(c.step)};
    }
    if (auto e = validate(c.agent)) {
      return e;
    }
    previous = c.step;
  }
  return std::nullopt;
}

Expected<std::vector<ScheduledChange>> scheduled_changes(const ExperimentConfig& config, const nlohmann::json& list) {
  if (!list.is_array()) {
    return Error{"changes", "changes must be an array of {step, agent, epsilon}"};
  }
  std::vector<ScheduledChange> changes;
  for (nlohmann::json change : list) {
    if (!change.is_object() || !change.contains("step") || !change["step"].is_number_integer()) {
      return Error{"changes", "each change must be an object with an integer step"};
    }
    const auto step = change["step"].get<std::int64_t>();
    if (step < 1 || step > config.steps) {
      return Error{"changes",
                   "a change's step must be in [1, " + std::to_string(config.steps) + "], got " + std::to_string(step)};
    }
    change.erase("step");
    auto agent = changed_agent(config, change);
    if (!agent) {
      return agent.error();
    }
    changes.push_back(ScheduledChange{static_cast<int>(step), *agent});
  }
  if (auto e = validate_changes(changes, config.steps)) {
    return *e;
  }
  return changes;
}

}  // namespace curvelab
