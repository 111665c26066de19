#pragma once
/// \file
/// Changing the agent while runs play: what may change mid-run, and a list of changes
/// replayed at their steps (so a link that records them reproduces the same curves).

#include <optional>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "curvelab/config.hpp"
#include "curvelab/error.hpp"

namespace curvelab {

/// An agent change applied to a run after `step` steps: from step `step` + 1 on, the run
/// uses `agent`.
struct ScheduledChange {
  int step = 1;  ///< steps taken when the change applies, [1, horizon]
  AgentConfig agent;
};

/// The agent a run of `config` has after the change `patch`, a JSON object of agent
/// fields only (`agent`, `epsilon`, `initial_value`, `initial_spread`, `step_size`, `ucb_c`,
/// `baseline`): the patch merged
/// into the run's agent and validated as a whole. Any other field (the bandit, the
/// horizon, the seed) cannot change during a run and is refused by name.
Expected<AgentConfig> changed_agent(const ExperimentConfig& config, const nlohmann::json& patch);

/// The first problem with `changes` for runs of `steps` steps: each agent valid, each
/// step in [1, steps], in step order (of two changes at one step, the later applies).
std::optional<Error> validate_changes(std::span<const ScheduledChange> changes, int steps);

/// A list of changes for runs of `config`, read from the JSON array `list` of
/// `{"step": s, ...agent fields}`: each `step` an integer in [1, config.steps], the other
/// fields a patch as `changed_agent` takes it (each change patches the run's first agent,
/// `config.agent`), the whole list as `validate_changes` checks it. Errors name the field
/// "changes" (the shape and the steps) or the agent field at fault.
Expected<std::vector<ScheduledChange>> scheduled_changes(const ExperimentConfig& config, const nlohmann::json& list);

}  // namespace curvelab
