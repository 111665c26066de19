// Mid-run agent changes: only agent fields change, the whole is validated, and a list of
// changes is checked against the horizon.

#include <catch2/catch.hpp>

#include <vector>

#include "curvelab/agent_change.hpp"

using namespace curvelab;

TEST_CASE("a mid-run change merges agent fields into the run's agent and validates them", "[agent-change]") {
  ExperimentConfig config;
  config.agent.epsilon = 0.1;
  SECTION("epsilon alone: the kind is kept") {
    const auto agent = changed_agent(config, nlohmann::json{{"epsilon", 0.3}});
    REQUIRE(agent);
    CHECK(agent->kind == AgentKind::EpsilonGreedy);
    CHECK(agent->epsilon == 0.3);
  }
  SECTION("to random") {
    const auto agent = changed_agent(config, nlohmann::json{{"agent", "random"}});
    REQUIRE(agent);
    CHECK(agent->kind == AgentKind::Random);
    CHECK(agent->epsilon == 0.1);
  }
  SECTION("a value out of range: the core's sentence") {
    const auto agent = changed_agent(config, nlohmann::json{{"epsilon", 7}});
    REQUIRE_FALSE(agent);
    CHECK(agent.error().message == "epsilon must be in [0, 1], got 7");
  }
  SECTION("a bandit field cannot change during a run") {
    const auto agent = changed_agent(config, nlohmann::json{{"arms", 3}});
    REQUIRE_FALSE(agent);
    CHECK(agent.error().field == "arms");
    CHECK(agent.error().message ==
          "arms cannot change during a run (only agent, epsilon, initial_value, initial_spread, step_size, ucb_c, "
          "baseline can)");
  }
  SECTION("not an object") {
    const auto agent = changed_agent(config, nlohmann::json::array());
    REQUIRE_FALSE(agent);
    CHECK(agent.error().message == "the agent change must be a JSON object");
  }
  SECTION("a derived seed beyond 2^53 does not get in the way") {
    config.seed = 0xffffffffffffffffULL;
    CHECK(changed_agent(config, nlohmann::json{{"epsilon", 0.2}}));
  }
}

TEST_CASE("a list of changes must be in step order, within the horizon, with valid agents", "[agent-change]") {
  AgentConfig greedy;
  greedy.epsilon = 0.0;
  AgentConfig bad;
  bad.epsilon = 2.0;
  CHECK_FALSE(validate_changes(std::vector<ScheduledChange>{}, 10));
  CHECK_FALSE(validate_changes(std::vector<ScheduledChange>{{1, greedy}, {5, greedy}, {5, greedy}, {10, greedy}}, 10));
  const auto late = validate_changes(std::vector<ScheduledChange>{{11, greedy}}, 10);
  REQUIRE(late);
  CHECK(late->field == "changes");
  CHECK(late->message == "a change's step must be in [1, 10] (in step order, within the horizon), got 11");
  CHECK(validate_changes(std::vector<ScheduledChange>{{0, greedy}}, 10));
  CHECK(validate_changes(std::vector<ScheduledChange>{{6, greedy}, {5, greedy}}, 10)->message ==
        "a change's step must be in [6, 10] (in step order, within the horizon), got 5");
  CHECK(validate_changes(std::vector<ScheduledChange>{{3, bad}}, 10)->message == "epsilon must be in [0, 1], got 2");
}
