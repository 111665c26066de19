// Labels: made and scored by the core, checked, merged, exported and summarised.

#include <catch2/catch.hpp>

#include "curvelab/json.hpp"
#include "curvelab/labels.hpp"

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
  context.display = json{{"smoothing", "moving-average"}};
  context.latency_ms = 1234;
  auto label = make_label(context, item, answer);
  REQUIRE(label.ok());
  return label.value();
}
}  // namespace

TEST_CASE("a label carries the item, the answer and its score from the core", "[labels]") {
  const QuizItem item = make_quiz_item(QuizKind::RankMax, 3, 1);
  const QuizTruth truth = quiz_truth(item, run_item(item));
  const json answer = to_json(truth.answer, item);
  const json label = label_for(item, answer, "l1", "ann-a");
  CHECK(label["schema"] == kLabelSchema);
  CHECK(label["quiz_kind"] == "rank-max");
  CHECK(label["item"]["id"] == item.id);
  CHECK(label["answer"] == answer);
  CHECK(label["score"]["score"] == 1.0);
  CHECK(label["skipped"] == false);
  CHECK_FALSE(validate_label(label));
  // The item in the label regenerates the same runs.
  const auto back = quiz_item_from_json(label["item"]);
  REQUIRE(back.ok());
  CHECK(back->runs[2].seed == item.runs[2].seed);

  SECTION("a skip is an answer too") {
    const json skipped = label_for(item, json{{"skipped", true}}, "l2", "ann-a");
    CHECK(skipped["skipped"] == true);
    CHECK(skipped["score"]["skipped"] == true);
  }
  SECTION("an answer that does not fit the item makes no label") {
    LabelContext context;
    context.id = "x";
    const auto bad = make_label(context, item, json{{"ranking", {"A", "B"}}});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "ranking must name each of the 4 runs (A..D) exactly once");
  }
}

TEST_CASE("label files are read all or nothing, naming the bad line", "[labels]") {
  const QuizItem item = make_quiz_item(QuizKind::Onset, 3, 0);
  const std::string good = label_for(item, json{{"step", 200}}, "a", "x").dump() + "\n" +
                           label_for(item, json{{"step", 300}}, "b", "y").dump() + "\n\n";
  const auto parsed = parse_labels(good);
  REQUIRE(parsed.ok());
  CHECK(parsed->size() == 2);

  CHECK(parse_labels(good + "{\"schema\": \"other/1\"}\n").error().message ==
        "line 4: not a curvelab label: schema must be \"curvelab.label/2\" or \"curvelab.label/1\", got \"other/1\"");
  CHECK(parse_labels(good + "{oops\n").error().message == "line 4: not valid JSON");
  json missing = parsed.value()[0];
  missing.erase("annotator");
  CHECK(parse_labels(missing.dump()).error().message == "line 1: annotator must be a non-empty string");
  json wrong = parsed.value()[0];
  wrong["answer"] = json{{"step", 5000}};
  CHECK(parse_labels(wrong.dump()).error().message == "line 1: answer: step must be in [1, 1000], got 5000");
}

TEST_CASE("merging de-duplicates by id and keeps what was stored", "[labels]") {
  const QuizItem item = make_quiz_item(QuizKind::Onset, 3, 0);
  const json a = label_for(item, json{{"step", 200}}, "a", "x");
  const json b = label_for(item, json{{"step", 300}}, "b", "x");
  json a_changed = a;
  a_changed["latency_ms"] = 99;
  const LabelMerge merge = merge_labels({a}, {a_changed, b});
  CHECK(merge.added == 1);
  CHECK(merge.duplicates == 1);
  REQUIRE(merge.labels.size() == 2);
  CHECK(merge.labels[0]["latency_ms"] == 1234);
  // Export and re-import round-trip exactly.
  const auto again = parse_labels(labels_to_jsonl(merge.labels));
  REQUIRE(again.ok());
  CHECK(again.value() == merge.labels);
}

TEST_CASE("the CSV export has one quoted row per label", "[labels]") {
  const QuizItem item = make_quiz_item(QuizKind::StopEarly, 3, 0);
  const json label = label_for(item, json{{"stop", {"A", "B"}}}, "a", "x");
  const std::string csv = labels_to_csv({label});
  CHECK(csv.rfind("id,annotator,session,created_at,app_version,quiz_kind,item_id,", 0) == 0);
  CHECK(csv.find("a,x,s1,2026-11-29T10:00:00Z,0.1.0,stop-early,stop-early-3-0,3,0,false,1234,") != std::string::npos);
  CHECK(csv.find("\"{\"\"stop\"\":[\"\"A\"\",\"\"B\"\"]}\"") != std::string::npos);
}

TEST_CASE("the summary measures agreement among annotators and position bias", "[labels]") {
  const QuizItem rank = make_quiz_item(QuizKind::RankMax, 3, 1);
  const QuizItem pair = make_quiz_item(QuizKind::Pairwise, 3, 2);
  QuizItem swapped = pair;
  std::reverse(swapped.runs.begin(), swapped.runs.end());
  swapped.swapped = true;
  swapped.id += "-swapped";
  std::vector<json> labels{
      label_for(rank, json{{"ranking", {"A", "B", "C", "D"}}}, "1", "x"),
      label_for(rank, json{{"ranking", {"B", "A", "C", "D"}}}, "2", "y"),
      label_for(rank, json{{"ranking", {"A", "B", "D", "C"}}}, "3", "z"),
      // x picks the same run both times (A, then B once swapped); y picks the left side twice.
      label_for(pair, json{{"better", "A"}}, "4", "x"),
      label_for(swapped, json{{"better", "B"}}, "5", "x"),
      label_for(pair, json{{"better", "A"}}, "6", "y"),
      label_for(swapped, json{{"better", "A"}}, "7", "y"),
      label_for(rank, json{{"skipped", true}}, "8", "w"),
  };
  const LabelSummary typed = label_summary(labels).value();
  REQUIRE(typed.kinds.size() == 2);
  CHECK(typed.kinds[0].kind == QuizKind::Pairwise);  // by kind name
  CHECK(typed.kinds[1].kind == QuizKind::RankMax);
  CHECK(typed.kinds[1].items_with_agreement == 1);
  CHECK(label_summary_text(typed, 3) ==
        "8 labels from 4 annotators (3 duplicates ignored)\n\n"
        // The pair (x and y both chose A: 1) and its swapped showing (B and A: 0) give 0.5; three
        // of the four pairwise answers pick the worse run: (-1 - 1 - 1 + 1) / 4.
        "pairwise: 4 labels, 0 skipped, mean score -0.5, agreement 0.5 over 2 items answered by several annotators\n"
        "rank-max: 4 labels, 1 skipped, mean score -0.444, agreement 0.822 over 1 items answered by several "
        "annotators\n\n"
        "pairwise: the left curve was chosen in 75% of 4 answers; the same run was chosen after swapping sides in "
        "50% of 2 pairs\n");
  const json summary = to_json(typed);
  CHECK(summary["labels"] == 8);
  CHECK(summary["annotators"] == 4);
  CHECK(summary["by_kind"]["rank-max"]["labels"] == 4);
  CHECK(summary["by_kind"]["rank-max"]["skipped"] == 1);
  CHECK(summary["by_kind"]["rank-max"]["mean_agreement"].get<double>() == Approx(444.0 / 540.0));
  CHECK(summary["position_bias"]["pairwise_answers"] == 4);
  CHECK(summary["position_bias"]["share_left"] == 0.75);
  CHECK(summary["position_bias"]["swap_pairs"] == 2);
  CHECK(summary["position_bias"]["consistent_share"] == 0.5);
  bool found_pair = false;
  for (const json& item : summary["items"]) {
    if (item["id"] == pair.id) {
      found_pair = true;
      CHECK(item["statistic"] == "percent_agreement");
      CHECK(item["value"] == 1.0);
    }
  }
  CHECK(found_pair);
}

TEST_CASE("a label keeps the whole answer of every kind", "[labels]") {
  for (const QuizKind kind : kAllQuizKinds) {
    for (int index = 0; index < 2; ++index) {
      const QuizItem item = make_quiz_item(kind, 11, index);
      const QuizTruth truth = quiz_truth(item, run_item(item));
      // The truth's answer, and a different one where the kind allows it: each survives whole.
      std::vector<json> answers{to_json(truth.answer, item)};
      switch (kind) {
        case QuizKind::StopEarly:
          answers.push_back(json{{"stop", {"C", "A"}}});  // in the order given
          answers.push_back(json{{"stop", json::array()}});
          break;
        case QuizKind::StopPoint:
          answers.push_back(json{{"step", nullptr}});  // never stop
          answers.push_back(json{{"step", 1}});
          break;
        case QuizKind::Onset:
          answers.push_back(json{{"step", item.horizon}});
          break;
        case QuizKind::Sequential: {
          json stops = json::array();
          for (std::size_t r = 0; r < item.runs.size(); ++r) {
            stops.push_back(r % 2 == 0 ? json(item.checkpoints[r % item.checkpoints.size()]) : json(nullptr));
          }
          answers.push_back(json{{"stops", stops}});
          break;
        }
        case QuizKind::Pairwise:
          answers.push_back(json{{"better", "B"}});
          break;
        default:
          answers.push_back(json{{"ranking", {"D", "C", "B", "A"}}});
          break;
      }
      answers.push_back(json{{"skipped", true}});
      for (const json& answer : answers) {
        INFO(item.id << " " << answer.dump());
        const json label = label_for(item, answer, "l", "x");
        CHECK(label["answer"] == answer);
        CHECK(label["skipped"] == answer.contains("skipped"));
        // The stored answer alone gives back the score the label carries.
        const auto back = quiz_answer_from_json(label["answer"], item);
        REQUIRE(back.ok());
        CHECK(label["score"] == to_json(score_answer(item, truth, back.value())));
        // New labels are scored by the current rules: rescoring changes nothing.
        const auto again = rescore_label(label);
        REQUIRE(again.ok());
        CHECK(again.value() == label);
      }
    }
  }
}

TEST_CASE("a label of the current schema refuses an answer it could not keep whole", "[labels]") {
  const QuizItem item = make_quiz_item(QuizKind::StopPoint, 3, 0);
  json label = label_for(item, json{{"step", 400}}, "a", "x");
  SECTION("an extra field would be lost") {
    label["answer"] = json{{"step", 400}, {"confidence", 0.9}};
    const auto e = validate_label(label);
    REQUIRE(e);
    CHECK(e->field == "answer");
    CHECK(e->message ==
          "answer must be the whole answer as the core writes it, {\"step\":400}, got "
          "{\"confidence\":0.9,\"step\":400}");
    label["schema"] = kLabelSchemaV1;  // the previous schema read such answers, and still does
    CHECK_FALSE(validate_label(label));
  }
  SECTION("skipped must agree with the answer") {
    label["skipped"] = true;
    const auto e = validate_label(label);
    REQUIRE(e);
    CHECK(e->message == "skipped must be false, as the answer says, got true");
  }
}

TEST_CASE("labels of the previous schema validate and are rescored from their answers", "[labels]") {
  const QuizItem item = make_quiz_item(QuizKind::StopEarly, 3, 0);
  const QuizTruth truth = quiz_truth(item, run_item(item));
  const json now = label_for(item, json{{"stop", {"A", "B"}}}, "a", "x");
  // A label as the previous schema wrote it: the same fields, a score by older rules.
  json old = now;
  old["schema"] = kLabelSchemaV1;
  old["score"] = json{{"score", 0.667}, {"skipped", false}};
  REQUIRE_FALSE(validate_label(old));
  const auto parsed = parse_labels(old.dump() + "\n");
  REQUIRE(parsed.ok());

  const auto rescored = rescore_label(old);
  REQUIRE(rescored.ok());
  CHECK(rescored.value()["schema"] == kLabelSchema);
  QuizAnswer answer;
  answer.stop = {0, 1};
  CHECK(rescored.value()["score"] == to_json(score_answer(item, truth, answer)));
  // Nothing but the schema and the score changes.
  json rest = rescored.value();
  json old_rest = old;
  for (json* j : {&rest, &old_rest}) {
    j->erase("schema");
    j->erase("score");
  }
  CHECK(rest == old_rest);

  SECTION("an import upgrades the old labels and keeps current ones as they are") {
    json current = now;
    current["id"] = "b";
    current["score"]["note"] = "kept";  // not recomputed: the current schema's score stands
    const auto upgraded = upgrade_labels({old, current});
    REQUIRE(upgraded.ok());
    REQUIRE(upgraded->size() == 2);
    CHECK(upgraded.value()[0] == rescored.value());
    CHECK(upgraded.value()[1] == current);
  }
  SECTION("a label that does not validate is refused, by its position") {
    json broken = old;
    broken["answer"] = json{{"stop", {"Z"}}};
    const auto upgraded = upgrade_labels({old, broken});
    REQUIRE_FALSE(upgraded.ok());
    CHECK(upgraded.error().message.rfind("label 2: answer: ", 0) == 0);
    CHECK_FALSE(rescore_label(broken).ok());
  }
}
