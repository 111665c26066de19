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

TEST_CASE("a JSON list of changes reads into scheduled changes, each field checked by name", "[agent-change]") {
  using nlohmann::json;
  ExperimentConfig config;
  config.steps = 10;
  config.agent.epsilon = 0.1;
  const auto read =
      scheduled_changes(config, json::parse(R"([{"step": 3, "epsilon": 0.0}, {"step": 10, "agent": "random"}])"));
  REQUIRE(read);
  REQUIRE(read->size() == 2);
  CHECK((*read)[0].step == 3);
  CHECK((*read)[0].agent.epsilon == 0.0);
  CHECK((*read)[1].step == 10);
  CHECK((*read)[1].agent.epsilon == 0.1);  // each change patches the first agent
  CHECK(scheduled_changes(config, json::array())->empty());
  const auto field = [&](const char* text) {
    const auto r = scheduled_changes(config, json::parse(text));
    REQUIRE_FALSE(r);
    return r.error();
  };
  CHECK(field(R"({"step": 3})").message == "changes must be an array of {step, agent, epsilon}");
  CHECK(field(R"([{"epsilon": 0.2}])").message == "each change must be an object with an integer step");
  CHECK(field(R"([{"step": 2.5}])").field == "changes");
  CHECK(field(R"([{"step": 0}])").message == "a change's step must be in [1, 10], got 0");
  CHECK(field(R"([{"step": 11}])").message == "a change's step must be in [1, 10], got 11");
  CHECK(field(R"([{"step": 5, "epsilon": 2}])").field == "epsilon");
  CHECK(field(R"([{"step": 5, "steps": 20}])").field == "steps");
  CHECK(field(R"([{"step": 5}, {"step": 4}])").field == "changes");  // out of step order
}
