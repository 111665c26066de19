// curvelab simulate: Sutton and Barto's testbed figures for any configuration.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "curvelab/json.hpp"
#include "curvelab/simulate.hpp"

namespace curvelab::cli {
namespace {
constexpr const char* kHelp = R"(usage: curvelab simulate [options]

Runs one bandit configuration --runs times (each run: fresh arm values and agent from
the seed) and prints, per step, the mean reward, the share of optimal actions and the
mean true value of the policy over the runs.

options:
  --agent NAME          epsilon-greedy (default), ucb, gradient or random
  --arms K              number of arms, 2..100 (default 10)
  --arm-mean X          mean of the arms' true values, [-100, 100] (default 0)
  --arm-spread X        standard deviation of the arms' true values, [0, 100] (default 1)
  --noise X             standard deviation of rewards around an arm's value, [0, 100] (default 1)
  --epsilon X           exploration probability, [0, 1] (default 0.1)
  --initial-value X     initial estimate of every arm, [-1000, 1000] (default 0)
  --initial-spread X    > 0: random initial estimates Normal(initial-value, X), [0, 100] (default 0)
  --step-size A         constant step size of the value estimates, (0, 1] (default: sample
                        averages); the gradient bandit's step size, (0, 100] (default 0.1)
  --ucb-c C             UCB's exploration weight c, [0, 100] (default 2)
  --baseline on|off     the gradient bandit's average-reward baseline (default on)
  --walk SIGMA          nonstationary bandit: each arm's value takes a Normal(0, SIGMA) step
                        after every step, [0, 10] (default 0: stationary)
  --steps N             horizon, 1..1000000 (default 1000)
  --runs N              independent runs to average, 1..100000 (default 2000)
  --seed S              integer in [0, 2^53 - 1] (default 1)
  --format F            csv (default) or json

csv:  step,mean_reward,optimal_share,mean_true_value   (step counted from 1)
json: {"config": {...}, "runs": N, "steps": [...], "mean_reward": [...], "optimal_share": [...], "mean_true_value": [...]}
)";
}  // namespace

int run_simulate(Args& args, std::ostream& out) {
  if (args.wants_help()) {
    out << kHelp;
    return 0;
  }
  ExperimentConfig config;
  std::vector<std::string> agents;
  for (const AgentKind kind : kAllAgentKinds) {
    agents.emplace_back(agent_kind_name(kind));
  }
  config.agent.kind = *parse_agent_kind(args.choice("agent", agents));
  // Ranges are checked by `validate` below, so the message comes from the one place
  // that knows the limits.
  config.bandit.arms = args.integer("arms", config.bandit.arms);
  config.bandit.arm_mean = args.real("arm-mean", config.bandit.arm_mean);
  config.bandit.arm_spread = args.real("arm-spread", config.bandit.arm_spread);
  config.bandit.noise = args.real("noise", config.bandit.noise);
  config.agent.epsilon = args.real("epsilon", config.agent.epsilon);
  config.agent.initial_value = args.real("initial-value", config.agent.initial_value);
  config.agent.initial_spread = args.real("initial-spread", config.agent.initial_spread);
  if (const auto alpha = args.take("step-size")) {
    // Parsed as the other numbers are; absent means sample averages.
    Args given({"--step-size", *alpha});
    config.agent.step_size = given.real("step-size", 0.0);
  }
  config.agent.ucb_c = args.real("ucb-c", config.agent.ucb_c);
  config.agent.baseline = args.choice("baseline", {"on", "off"}) == "on";
  config.bandit.walk = args.real("walk", config.bandit.walk);
  config.steps = args.integer("steps", config.steps);
  const int runs = args.integer("runs", 2000, 1, kMaxRuns);
  config.seed = args.seed("seed", 1);
  const std::string format = args.choice("format", {"csv", "json"});
  args.finish();
  if (auto error = validate(config)) {
    throw flag_error(*error);
  }

  const AverageCurves curves = simulate_average(config, runs);
  if (format == "json") {
    nlohmann::json steps = nlohmann::json::array();
    for (int t = 1; t <= config.steps; ++t) {
      steps.push_back(t);
    }
    const nlohmann::json j{{"config", to_json(config)},
                           {"runs", runs},
                           {"steps", steps},
                           {"mean_reward", curves.mean_reward},
                           {"optimal_share", curves.optimal_share},
                           {"mean_true_value", curves.mean_true_value}};
    out << j.dump() << "\n";
    return 0;
  }
  std::string text = "step,mean_reward,optimal_share,mean_true_value\n";
  for (std::size_t t = 0; t < curves.mean_reward.size(); ++t) {
    text += std::to_string(t + 1);
    text += ',';
    append_number(text, curves.mean_reward[t]);
    text += ',';
    append_number(text, curves.optimal_share[t]);
    text += ',';
    append_number(text, curves.mean_true_value[t]);
    text += '\n';
  }
  out << text;
  return 0;
}

}  // namespace curvelab::cli
