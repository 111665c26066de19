// The serialisation module: round trips and refusals.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "curvelab/json.hpp"

using nlohmann::json;

TEST_CASE("an experiment config round-trips through JSON", "[json]") {
  curvelab::ExperimentConfig c;
  c.bandit = {37, -0.25, 1.5, 2.75, 0.0};
  c.agent.kind = curvelab::AgentKind::Random;
  c.agent.epsilon = 0.03;
  c.agent.initial_value = 1.0;
  c.agent.initial_spread = 0.5;
  c.steps = 1234;
  c.seed = 9007199254740991ULL;
  const auto back = curvelab::experiment_from_json(json::parse(curvelab::to_json(c).dump()));
  REQUIRE(back.ok());
  CHECK(back->bandit.arms == 37);
  CHECK(back->bandit.arm_mean == -0.25);
  CHECK(back->bandit.noise == 2.75);
  CHECK(back->agent.kind == curvelab::AgentKind::Random);
  CHECK(back->agent.epsilon == 0.03);
  CHECK(back->agent.initial_spread == 0.5);
  CHECK(back->steps == 1234);
  CHECK(back->seed == 9007199254740991ULL);
}

TEST_CASE("missing fields take their defaults", "[json]") {
  const auto c = curvelab::experiment_from_json(json{{"epsilon", 0.2}});
  REQUIRE(c.ok());
  CHECK(c->agent.epsilon == 0.2);
  CHECK(c->bandit.arms == 10);
  CHECK(c->steps == 1000);
}

TEST_CASE("bad experiment JSON is refused with the field and the reason", "[json]") {
  const auto message = [](const json& j) { return curvelab::experiment_from_json(j).error().message; };
  CHECK(message(json{{"epsilon", 1.5}}) == "epsilon must be in [0, 1], got 1.5");
  CHECK(message(json{{"arms", 1}}) == "arms must be in [2, 100], got 1");
  CHECK(message(json{{"arms", "ten"}}) == "arms must be an integer, got \"ten\"");
  CHECK(message(json{{"agent", "softmax"}}) ==
        "agent must be \"epsilon-greedy\", \"ucb\", \"gradient\" or \"random\", got \"softmax\"");
  CHECK(message(json{{"epsilon", nullptr}}) == "epsilon must be a number, got null");
  CHECK(message(json{{"seed", -1}}) == "seed must be an integer in [0, 2^53 - 1], got -1");
  CHECK(message(json{{"colour", 1}}).rfind("unknown field \"colour\"", 0) == 0);
  CHECK(message(json::array()) == "experiment must be a JSON object, got []");
}

TEST_CASE("generator ranges read pairs and keep defaults for the rest", "[json]") {
  const auto r = curvelab::ranges_from_json(json::parse(R"({"arms": [5, 6], "random_share": 0.5})"));
  REQUIRE(r.ok());
  CHECK(r->arms.lo == 5);
  CHECK(r->arms.hi == 6);
  CHECK(r->random_share == 0.5);
  CHECK(r->noise.hi == curvelab::GeneratorRanges{}.noise.hi);

  const auto bad = curvelab::ranges_from_json(json::parse(R"({"noise": [0, 500]})"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "noise.hi must be in [0, 100], got 500");
  CHECK(curvelab::ranges_from_json(json::parse(R"({"noise": 3})")).error().message ==
        "noise must be a pair [lo, hi], got 3");

  const auto round = curvelab::ranges_from_json(curvelab::to_json(curvelab::GeneratorRanges{}));
  REQUIRE(round.ok());
  CHECK(round->epsilon.hi == 0.5);
}

TEST_CASE("malformed JSON text is an error, not a crash", "[json]") {
  CHECK_FALSE(curvelab::parse_json_text("{\"a\": ").ok());
  CHECK_FALSE(curvelab::parse_json_text("").ok());
  CHECK(curvelab::parse_json_text("[1, 2]").ok());
}

TEST_CASE("non-finite numbers are written as null and strings", "[json]") {
  CHECK(curvelab::number_to_json(std::numeric_limits<double>::quiet_NaN()).is_null());
  CHECK(curvelab::number_to_json(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(curvelab::number_to_json(-std::numeric_limits<double>::infinity()) == "-inf");
  CHECK(curvelab::number_to_json(0.5) == 0.5);
}

TEST_CASE("ground truth serialises unreached steps as null", "[json]") {
  curvelab::RunTruth t;
  t.time_to_50 = 12;
  const json j = curvelab::to_json(t);
  CHECK(j["time_to_50"] == 12);
  CHECK(j["time_to_90"].is_null());
  CHECK(j["onset"].is_null());
}

TEST_CASE("a study writes as study_from_json reads it", "[json][study]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  curvelab::StudySpec spec;
  spec.name = "s1";
  spec.direction = curvelab::Direction::Maximize;
  spec.pruner = curvelab::default_pruner_spec(curvelab::PrunerKind::Threshold);
  spec.pruner.lower = 0.5;
  spec.trials.push_back(curvelab::TrialSpec{{0.1, nan, inf}, {0, 10, 20}, 0.3});
  spec.trials.push_back(curvelab::TrialSpec{{1.0, -2.0}, {}, {}});
  const json j = curvelab::to_json(spec);
  CHECK(j == json::parse(R"({"study_name": "s1", "direction": "maximize",
      "pruner": {"name": "threshold", "params": {"lower": 0.5, "upper": null, "n_warmup_steps": 0,
                                                 "interval_steps": 1}},
      "trials": [{"values": [0.1, null, "inf"], "steps": [0, 10, 20], "final": 0.3},
                 {"values": [1.0, -2.0]}]})"));
  const auto back = curvelab::study_from_json(json::parse(j.dump()));
  REQUIRE(back.ok());
  CHECK(curvelab::to_json(*back) == j);
  CHECK(back->trials[0].steps == std::vector<std::int64_t>{0, 10, 20});
  CHECK(std::isnan(back->trials[0].values[1]));
  CHECK_FALSE(back->trials[1].final_value.has_value());
}

TEST_CASE("every pruner's parameters round-trip and an unknown one is refused with the list", "[json][study]") {
  for (const auto kind :
       {curvelab::PrunerKind::Nop, curvelab::PrunerKind::Median, curvelab::PrunerKind::Percentile,
        curvelab::PrunerKind::SuccessiveHalving, curvelab::PrunerKind::Hyperband, curvelab::PrunerKind::Threshold,
        curvelab::PrunerKind::Patient, curvelab::PrunerKind::Extrapolation}) {
    const json written = curvelab::to_json(curvelab::default_pruner_spec(kind));
    const auto back = curvelab::pruner_from_json(written);
    REQUIRE(back.ok());
    CHECK(curvelab::to_json(*back) == written);
  }
  const auto median = curvelab::pruner_from_json(json::parse(R"({"name": "median", "params": {"percentile": 10}})"));
  REQUIRE_FALSE(median.ok());
  CHECK(median.error().message ==
        "unknown parameter \"percentile\" for median (expected n_startup_trials, n_warmup_steps, interval_steps, "
        "n_min_trials)");
  const auto nop = curvelab::pruner_from_json(json::parse(R"({"name": "nop", "params": {"x": 1}})"));
  REQUIRE_FALSE(nop.ok());
  CHECK(nop.error().message == "unknown parameter \"x\" for nop (expected none)");
}

TEST_CASE("quiz items and their answers round-trip through JSON, every kind", "[json][quiz]") {
  for (const curvelab::QuizKind kind : curvelab::kAllQuizKinds) {
    CAPTURE(curvelab::quiz_kind_name(kind));
    const curvelab::QuizItem item = curvelab::make_quiz_item(kind, 3, 1);
    const json written = curvelab::to_json(item);
    CHECK(written["kind"] == curvelab::quiz_kind_name(kind));
    CHECK(written["runs"].size() == item.runs.size());
    const auto back = curvelab::quiz_item_from_json(json::parse(written.dump()));
    REQUIRE(back.ok());
    CHECK(curvelab::to_json(*back) == written);
    const curvelab::QuizTruth truth = curvelab::quiz_truth(item, curvelab::run_item(item));
    const json answer = curvelab::to_json(truth.answer, item);
    const auto read = curvelab::quiz_answer_from_json(answer, item);
    REQUIRE(read.ok());
    CHECK(curvelab::to_json(*read, item) == answer);
    // The same answer inside a reply, after prose that restates another one.
    const auto in_text =
        curvelab::quiz_answer_from_text("e.g. {\"skipped\": true}; mine: " + answer.dump() + ".", item);
    REQUIRE(in_text.ok());
    CHECK(curvelab::to_json(*in_text, item) == answer);
    const auto skipped = curvelab::quiz_answer_from_json(json{{"skipped", true}}, item);
    REQUIRE(skipped.ok());
    CHECK(skipped->skipped);
  }
}

TEST_CASE("quiz answers are written by run label, in the kind's field", "[json][quiz]") {
  const curvelab::QuizItem stop = curvelab::make_quiz_item(curvelab::QuizKind::StopEarly, 3, 0);
  curvelab::QuizAnswer a;
  a.stop = {0, 2};
  CHECK(curvelab::to_json(a, stop) == json::parse(R"({"stop": ["A", "C"]})"));
  const curvelab::QuizItem pair = curvelab::make_quiz_item(curvelab::QuizKind::Pairwise, 3, 0);
  curvelab::QuizAnswer better;
  better.better = 1;
  CHECK(curvelab::to_json(better, pair) == json::parse(R"({"better": "B"})"));
  const curvelab::QuizItem seq = curvelab::make_quiz_item(curvelab::QuizKind::Sequential, 3, 0);
  json stop_list = json::array({json(nullptr)});
  std::vector<std::optional<int>> expected{std::nullopt};
  while (stop_list.size() < seq.runs.size()) {
    stop_list.push_back(seq.checkpoints.front());
    expected.emplace_back(seq.checkpoints.front());
  }
  const auto stops = curvelab::quiz_answer_from_json(json{{"stops", stop_list}}, seq);
  REQUIRE(stops.ok());
  CHECK(stops->stops == expected);
  CHECK(curvelab::to_json(*stops, seq) == json{{"stops", stop_list}});
  curvelab::QuizAnswer skipped;
  skipped.skipped = true;
  CHECK(curvelab::to_json(skipped, pair) == json::parse(R"({"skipped": true})"));
}

TEST_CASE("quiz answers that do not fit are refused naming the field", "[json][quiz]") {
  const curvelab::QuizItem pair = curvelab::make_quiz_item(curvelab::QuizKind::Pairwise, 3, 0);
  const auto missing = curvelab::quiz_answer_from_json(json::parse(R"({"stop": ["A"]})"), pair);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().field == "better");
  CHECK(missing.error().message.rfind("the answer to a pairwise item needs \"better\", e.g. ", 0) == 0);
  const auto not_object = curvelab::quiz_answer_from_json(json::array(), pair);
  REQUIRE_FALSE(not_object.ok());
  CHECK(not_object.error().message == "the answer must be a JSON object, got []");
  const curvelab::QuizItem rank = curvelab::make_quiz_item(curvelab::QuizKind::RankMax, 3, 0);
  const auto not_list = curvelab::quiz_answer_from_json(json::parse(R"({"ranking": "A"})"), rank);
  REQUIRE_FALSE(not_list.ok());
  CHECK(not_list.error().message == "ranking must be a list of run labels, got \"A\"");
  const auto none = curvelab::quiz_answer_from_text("I would rather not say.", pair);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message == "no JSON object in the reply");
  const auto set = curvelab::quiz_items_from_json(json::parse(R"({"items": 3})"));
  REQUIRE_FALSE(set.ok());
  CHECK(set.error().message == "expected {\"items\": [...]} from `curvelab quiz --format json`");
}
