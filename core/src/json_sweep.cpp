// The parameter study: its settings, and what a pruner does to it.
#include "curvelab/json.hpp"

namespace curvelab {

nlohmann::json to_json(const SweepResult& result) {
  return nlohmann::json{{"method", sweep_method_name(result.point.method)},
                        {"parameter", sweep_parameter_name(result.point.method)},
                        {"log2", result.point.log2},
                        {"value", result.point.value},
                        {"average_reward", number_to_json(result.average_reward)},
                        {"optimal_share", number_to_json(result.optimal_share)}};
}

nlohmann::json to_json(const SweepStudy& study) {
  nlohmann::json methods = nlohmann::json::array();
  for (const SweepMethodStudy& m : study.methods) {
    methods.push_back({{"method", sweep_method_name(m.method)},
                       {"parameter", sweep_parameter_name(m.method)},
                       {"study", to_json(m.study, Direction::Maximize)},
                       {"best", to_json(m.best)},
                       {"best_kept", m.best_kept ? to_json(*m.best_kept) : nlohmann::json(nullptr)},
                       {"found_best", m.found_best}});
  }
  return nlohmann::json{{"agent_steps_total", study.agent_steps_total},
                        {"agent_steps_run", study.agent_steps_run},
                        {"share_saved", number_to_json(study.share_saved)},
                        {"found_every_best", study.found_every_best},
                        {"methods", std::move(methods)}};
}

}  // namespace curvelab
