// Hostile input to every reader: labels from other people's files, hand-made quiz files,
// deep or broken JSON, and replies built to be slow. Each is refused with one line or
// read correctly; none crashes, hangs or prints a wrong number.

#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "curvelab/json.hpp"
#include "curvelab/labels.hpp"
#include "curvelab/random.hpp"

using namespace curvelab;
using nlohmann::json;

namespace {
json label_for(const QuizItem& item, const json& answer, const std::string& id, const std::string& annotator) {
  LabelContext context;
  context.id = id;
  context.annotator = annotator;
  context.session = "s1";
  context.created_at = "2026-11-29T10:00:00Z";
  context.app_version = "0.1.0";
  auto label = make_label(context, item, answer);
  REQUIRE(label.ok());
  return label.value();
}

// Every number in a JSON value, walked without recursion.
bool all_numbers_finite(const json& root) {
  std::vector<const json*> todo{&root};
  while (!todo.empty()) {
    const json* j = todo.back();
    todo.pop_back();
    if (j->is_number_float() && !std::isfinite(j->get<double>())) {
      return false;
    }
    if (j->is_structured()) {
      for (const json& child : *j) {
        todo.push_back(&child);
      }
    }
  }
  return true;
}

std::string nested(std::size_t depth, char open, char close) {
  return std::string(depth, open) + std::string(depth, close);
}

std::string message_of(const Expected<json>& parsed) { return parsed ? std::string() : parsed.error().message; }
}  // namespace

TEST_CASE("labels that share an item id but not the item are refused by the summary", "[hostile]") {
  const QuizItem rank = make_quiz_item(QuizKind::RankMax, 3, 1);
  const json first = label_for(rank, json{{"ranking", {"A", "B", "C", "D"}}}, "1", "x");

  SECTION("different run counts") {
    QuizItem fewer = rank;
    fewer.runs.pop_back();
    const json second = label_for(fewer, json{{"ranking", {"C", "B", "A"}}}, "2", "y");
    const auto summary = label_summary({first, second});
    REQUIRE_FALSE(summary.ok());
    CHECK(summary.error().field == "item");
    CHECK(summary.error().message ==
          "label 2: item.id \"rank-max-3-1\" names another item in label 1 (kind, seed, index, runs or horizon "
          "differ): labels of different items cannot share an id");
  }
  SECTION("a rank label next to a stop-early or a sequential label") {
    for (const QuizKind kind : {QuizKind::StopEarly, QuizKind::Sequential}) {
      QuizItem other = make_quiz_item(kind, 3, 1);
      other.id = rank.id;
      const json answer = kind == QuizKind::StopEarly
                              ? json{{"stop", {"A"}}}
                              : json{{"stops", {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr}}};
      const auto summary = label_summary({first, label_for(other, answer, "2", "y")});
      REQUIRE_FALSE(summary.ok());
      CHECK(summary.error().message.rfind("label 2: item.id \"rank-max-3-1\" names another item", 0) == 0);
    }
  }
  SECTION("an onset label and a pairwise label") {
    const QuizItem onset = make_quiz_item(QuizKind::Onset, 3, 0);
    QuizItem pair = make_quiz_item(QuizKind::Pairwise, 3, 0);
    pair.id = onset.id;
    const auto summary = label_summary(
        {label_for(onset, json{{"step", 900}}, "1", "x"), label_for(pair, json{{"better", "A"}}, "2", "y")});
    REQUIRE_FALSE(summary.ok());
    CHECK(summary.error().field == "item");
  }
  SECTION("the same item twice is one item") {
    const auto summary = label_summary({first, label_for(rank, json{{"ranking", {"A", "B", "C", "D"}}}, "2", "y")});
    REQUIRE(summary.ok());
    REQUIRE(to_json(*summary)["items"].size() == 1);
    CHECK(to_json(*summary)["items"][0]["value"] == 1.0);
  }
  SECTION("a label that does not validate is refused, not skipped") {
    json broken = first;
    broken.erase("annotator");
    const auto summary = label_summary({first, broken});
    REQUIRE_FALSE(summary.ok());
    CHECK(summary.error().message == "label 2: annotator must be a non-empty string");
  }
}

TEST_CASE("a rank item of one run makes no label so it cannot show agreement nan", "[hostile]") {
  QuizItem one = make_quiz_item(QuizKind::RankMax, 3, 1);
  json label = label_for(one, json{{"ranking", {"A", "B", "C", "D"}}}, "1", "x");
  label["item"]["runs"] = json::array({label["item"]["runs"][0]});
  label["answer"] = json{{"ranking", {"A"}}};
  const auto problem = validate_label(label);
  REQUIRE(problem);
  CHECK(problem->message == "item.runs of a rank-max item must hold at least 2 runs, got 1");
  CHECK_FALSE(label_summary({label, label}).ok());
}

TEST_CASE("Kendall's W stays between 0 and 1 and the summary holds no NaN for any rankings", "[hostile]") {
  const QuizItem rank = make_quiz_item(QuizKind::RankFastest, 9, 2);
  Rng rng(77);
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<json> labels;
    const int annotators = 2 + static_cast<int>(rng.next_u64() % 6);
    for (int a = 0; a < annotators; ++a) {
      std::vector<std::string> order{"A", "B", "C", "D"};
      for (std::size_t i = order.size() - 1; i > 0; --i) {
        std::swap(order[i], order[rng.next_u64() % (i + 1)]);
      }
      labels.push_back(label_for(rank, json{{"ranking", order}}, std::to_string(a), "ann" + std::to_string(a)));
    }
    const auto summary = label_summary(labels);
    REQUIRE(summary.ok());
    REQUIRE(to_json(*summary)["items"].size() == 1);
    const double w = to_json(*summary)["items"][0]["value"].get<double>();
    CHECK(w >= 0.0);
    CHECK(w <= 1.0);
    CHECK(all_numbers_finite(to_json(*summary)));
  }
}

TEST_CASE("hostile stored scores give a null mean and never an infinity or NaN", "[hostile]") {
  const QuizItem onset = make_quiz_item(QuizKind::Onset, 3, 0);
  json a = label_for(onset, json{{"step", 100}}, "1", "x");
  json b = label_for(onset, json{{"step", 300}}, "2", "y");
  a["score"]["score"] = 1.7e308;
  b["score"]["score"] = 1.7e308;
  const auto summary = label_summary({a, b});
  REQUIRE(summary.ok());
  CHECK(to_json(*summary)["by_kind"]["onset"]["mean_score"].is_null());
  CHECK(to_json(*summary)["items"][0]["value"] == 200.0);
  CHECK(all_numbers_finite(to_json(*summary)));
}

TEST_CASE("an item named like a swapped pair but of another kind is no swap pair", "[hostile]") {
  const QuizItem pair = make_quiz_item(QuizKind::Pairwise, 3, 0);
  QuizItem impostor = make_quiz_item(QuizKind::RankMax, 3, 1);
  impostor.id = pair.id + "-swapped";
  const auto summary = label_summary({label_for(pair, json{{"better", "A"}}, "1", "x"),
                                      label_for(impostor, json{{"ranking", {"A", "B", "C", "D"}}}, "2", "x")});
  REQUIRE(summary.ok());
  CHECK(to_json(*summary)["position_bias"]["swap_pairs"] == 0);
}

TEST_CASE("quiz items are validated before anything runs them", "[hostile]") {
  const auto refusal = [](const json& item) {
    const auto read = quiz_item_from_json(item);
    return read ? std::string("accepted") : read.error().message;
  };
  const json pair = to_json(make_quiz_item(QuizKind::Pairwise, 3, 0));
  const json sequential = to_json(make_quiz_item(QuizKind::Sequential, 3, 0));
  const json stop_point = to_json(make_quiz_item(QuizKind::StopPoint, 3, 0));
  const json rank = to_json(make_quiz_item(QuizKind::RankMax, 3, 0));
  REQUIRE(refusal(pair) == "accepted");
  REQUIRE(refusal(sequential) == "accepted");
  REQUIRE(refusal(stop_point) == "accepted");

  SECTION("run count for the kind") {
    json one = pair;
    one["runs"].erase(1);
    CHECK(refusal(one) == "item.runs of a pairwise item must hold exactly 2 runs, got 1");
    json three = pair;
    three["runs"].push_back(pair["runs"][0]);
    CHECK(refusal(three) == "item.runs of a pairwise item must hold exactly 2 runs, got 3");
    json many = rank;
    many["runs"] = json::array();
    for (int i = 0; i < kMaxItemRuns + 1; ++i) {
      many["runs"].push_back(rank["runs"][0]);
    }
    CHECK(refusal(many) == "item.runs must hold at most 100 runs, got 101");
  }
  SECTION("checkpoints inside 1..horizon and strictly increasing") {
    json low = sequential;
    low["checkpoints"][0] = -2147483648LL;
    CHECK(refusal(low) == "item.checkpoints must be in [1, 1000], got -2147483648");
    json high = sequential;
    high["checkpoints"].push_back(2147483647LL);
    CHECK(refusal(high) == "item.checkpoints must be in [1, 1000], got 2147483647");
    json back = sequential;
    back["checkpoints"] = json::array({300, 200});
    CHECK(refusal(back) == "item.checkpoints must be strictly increasing, got 300 then 200");
    json same = sequential;
    same["checkpoints"] = json::array({300, 300});
    CHECK(refusal(same) == "item.checkpoints must be strictly increasing, got 300 then 300");
    json none = sequential;
    none["checkpoints"] = json::array();
    CHECK(refusal(none) == "item.checkpoints of a sequential item must hold at least one step");
    json stray = rank;
    stray["checkpoints"] = json::array({100});
    CHECK(refusal(stray) == "item.checkpoints must be empty for a rank-max item");
  }
  SECTION("target and shown_until in range") {
    json target = stop_point;
    target["target"] = "F";
    CHECK(refusal(target) == "item.target must name a run A..E, got \"F\"");
    json missing = stop_point;
    missing["target"] = nullptr;
    CHECK(refusal(missing) == "item.target is required by a stop-point item: the run asked about (A..E)");
    json stray = rank;
    stray["target"] = "A";
    CHECK(refusal(stray) == "item.target must be null for a rank-max item");
    json shown = rank;
    shown["shown_until"] = 1001;
    CHECK(refusal(shown) == "item.shown_until must be in [1, 1000], got 1001");
  }
  SECTION("sizes are bounded before any curve is computed") {
    json huge = rank;
    for (json& run : huge["runs"]) {
      run["steps"] = 1000000;
    }
    huge["horizon"] = 1000000;
    huge["shown_until"] = 1000000;
    for (int i = 0; i < 96; ++i) {
      huge["runs"].push_back(huge["runs"][0]);
    }
    CHECK(refusal(huge) == "item.runs x item.horizon must be at most 20000000 run-steps, got 100 x 1000000");
  }
}

TEST_CASE("a quiz set needs unique ids and a bounded number of run-steps", "[hostile]") {
  const json item = to_json(make_quiz_item(QuizKind::RankMax, 3, 0));
  SECTION("a duplicate id is refused, not judged against the later item") {
    json twice = to_json(make_quiz_item(QuizKind::RankMax, 3, 1));
    twice["id"] = item["id"];
    const auto read = quiz_items_from_json(json{{"items", {item, twice}}});
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().message == "item 2: item.id \"rank-max-3-0\" is used by an earlier item (ids must be unique)");
  }
  SECTION("items each within the budget, together beyond it") {
    json big = item;
    for (json& run : big["runs"]) {
      run["steps"] = 1000000;
    }
    big["horizon"] = 1000000;
    big["shown_until"] = 1000000;
    big["smoothing_window"] = 1;
    json items = json::array();
    for (int i = 0; i < 6; ++i) {
      big["id"] = "big-" + std::to_string(i);
      items.push_back(big);
    }
    const auto read = quiz_items_from_json(json{{"items", items}});
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().message ==
          "item 6: the items ask for more than 20000000 run-steps (runs x horizon, summed over the items)");
  }
  SECTION("not a quiz set") {
    CHECK_FALSE(quiz_items_from_json(json::array()).ok());
    CHECK(quiz_items_from_json(json{{"items", json::array()}}).ok());
  }
}

TEST_CASE("JSON text is refused when too deep or too long or when it holds a NUL byte", "[hostile]") {
  SECTION("100,000 levels deep, in arrays and in objects") {
    CHECK(message_of(parse_json_text(nested(100000, '[', ']'))) == "JSON nested deeper than 64 levels at byte 64");
    std::string objects;
    for (int i = 0; i < 100000; ++i) {
      objects += "{\"a\":";
    }
    objects += "1" + std::string(100000, '}');
    CHECK(message_of(parse_json_text(objects)) == "JSON nested deeper than 64 levels at byte 320");
  }
  SECTION("the limit is exact, and brackets inside strings do not count") {
    CHECK(parse_json_text(nested(kMaxJsonDepth, '[', ']')).ok());
    CHECK_FALSE(parse_json_text(nested(kMaxJsonDepth + 1, '[', ']')).ok());
    CHECK(parse_json_text("[\"" + std::string(1000, '[') + "\\\"[[\"]").ok());
  }
  SECTION("a NUL byte no longer ends the text silently") {
    const std::string with_nul("{\"a\": 1}\0{\"b\": 2}", 17);
    CHECK(message_of(parse_json_text(with_nul)) == "not valid JSON: a NUL byte at byte 8");
    const std::string in_string("[\"a\0b\"]", 7);
    CHECK(message_of(parse_json_text(in_string)) == "not valid JSON: a NUL byte at byte 3");
    CHECK(message_of(parse_json_text("{\"a\": 1} {\"b\": 2}")) == "not valid JSON");
  }
  SECTION("more than the size limit") {
    const std::string big(kMaxInputBytes + 1, ' ');
    CHECK(message_of(parse_json_text(big)) ==
          "the JSON text is 67108865 bytes, more than the limit of 67108864 (64 MiB)");
    CHECK(parse_labels(big).error().message ==
          "the labels are 67108865 bytes, more than the limit of 67108864 (64 MiB)");
  }
}

TEST_CASE("a deep display field refuses the label file naming the line", "[hostile]") {
  const QuizItem onset = make_quiz_item(QuizKind::Onset, 3, 0);
  std::string line = label_for(onset, json{{"step", 200}}, "a", "x").dump();
  const std::string display = "\"display\":{";
  const std::size_t at = line.find(display);
  REQUIRE(at != std::string::npos);
  line.insert(at + display.size(), "\"deep\":" + nested(100000, '[', ']') + ",");
  const auto read = parse_labels(line + "\n");
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().message.rfind("line 1: JSON nested deeper than 64 levels at byte ", 0) == 0);
}

TEST_CASE("messages show a bounded and escaped piece of the refused value", "[hostile]") {
  CHECK(describe_json(json::parse(nested(60, '[', ']'))) == std::string(37, '[') + "...");
  const json long_string = std::string(100000, 'x');
  CHECK(describe_json(long_string) == "\"" + std::string(36, 'x') + "...");
  CHECK(describe_json(json("\x1b[31m\xe2\x80\xae")) == "\"\\u001b[31m\xe2\x80\xae\"");
  CHECK(describe_json(json{{"a", {1, 2}}, {"b", nullptr}}) == "{\"a\":[1,2],\"b\":null}");
  CHECK(describe_json(json::array()) == "[]");
  // A multi-byte character is never cut in half.
  CHECK(describe_json(json(std::string(35, 'x') + "\xc3\xa9\xc3\xa9")) == "\"" + std::string(35, 'x') + "...");
  const auto bad = experiment_from_json(json{{"arms", std::string(100000, 'x')}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.size() < 100);
}

TEST_CASE("the tolerant reply reader is linear and still finds the answer", "[hostile]") {
  const QuizItem pair = make_quiz_item(QuizKind::Pairwise, 3, 0);
  SECTION("a million open braces: no object, and one pass") {
    const auto read = quiz_answer_from_text(std::string(1000000, '{'), pair);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().message == "no JSON object in the reply");
  }
  SECTION("a million characters of nested objects") {
    std::string deep;
    while (deep.size() < 1000000) {
      deep += "{\"a\":";
    }
    const std::size_t levels = deep.size() / 5;
    deep += "{\"better\": \"B\"}" + std::string(levels, '}');
    const auto read = quiz_answer_from_text(deep, pair);
    REQUIRE(read.ok());
    CHECK(read->better == 1);
  }
  SECTION("the last valid answer wins; prose quotes and braces around it do not matter") {
    const auto read = quiz_answer_from_text(
        "The format is {\"better\": \"A\"}. I said \"hm { and then: {\"note\": \"}\", \"x\": {\"better\": \"B\"}}",
        pair);
    REQUIRE(read.ok());
    CHECK(read->better == 1);
  }
  SECTION("the reason the last object was refused") {
    const auto read = quiz_answer_from_text("{\"better\": \"Q\"}", pair);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().message == "better must name a run A..B, got \"Q\"");
  }
}

TEST_CASE("an onset item whose run never learns still has a valid ground-truth answer") {
  QuizItem item = make_quiz_item(QuizKind::Onset, 3, 4);
  item.runs[0].agent.kind = AgentKind::Random;
  const QuizTruth truth = quiz_truth(item, run_item(item));
  REQUIRE_FALSE(truth.runs[0].onset.has_value());
  REQUIRE_FALSE(validate_answer(item, truth.answer).has_value());
  CHECK(*truth.answer.step == item.horizon);
  CHECK(score_answer(item, truth, truth.answer).score == 1.0);
  QuizAnswer early;
  early.step = 1;
  CHECK(score_answer(item, truth, early).score < 1.0);
}
