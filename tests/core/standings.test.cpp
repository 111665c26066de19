#include "curvelab/standings.hpp"

#include <catch2/catch.hpp>

using nlohmann::json;

namespace {
json label(const std::string& annotator, const std::string& kind, bool skipped, double score) {
  return json{{"annotator", annotator},
              {"quiz_kind", kind},
              {"skipped", skipped},
              {"score", skipped ? json{{"score", nullptr}} : json{{"score", score}}}};
}
}  // namespace

TEST_CASE("standings rank annotators by their mean score over answers not skipped", "[standings]") {
  const std::vector<json> labels{label("b", "onset", false, 0.25), label("a", "onset", false, 1.0),
                                 label("c", "pairwise", true, 0.0), label("a", "pairwise", false, 0.5),
                                 label("b", "pairwise", true, 0.0)};
  const json s = curvelab::label_standings(labels);
  REQUIRE(s.size() == 3);
  CHECK(s[0]["annotator"] == "a");
  CHECK(s[0]["labels"] == 2);
  CHECK(s[0]["mean_score"].get<double>() == 0.75);
  CHECK(s[0]["by_kind"]["onset"]["mean_score"].get<double>() == 1.0);
  CHECK(s[0]["by_kind"]["pairwise"]["mean_score"].get<double>() == 0.5);
  CHECK(s[1]["annotator"] == "b");
  CHECK(s[1]["skipped"] == 1);
  CHECK(s[1]["mean_score"].get<double>() == 0.25);
  CHECK(s[1]["by_kind"]["pairwise"]["mean_score"].is_null());
  // Only skips: no score, listed last.
  CHECK(s[2]["annotator"] == "c");
  CHECK(s[2]["mean_score"].is_null());
}

TEST_CASE("standings of no labels are empty, and ties keep annotator order", "[standings]") {
  CHECK(curvelab::label_standings({}).empty());
  const json s = curvelab::label_standings({label("z", "onset", false, 0.5), label("m", "onset", false, 0.5)});
  CHECK(s[0]["annotator"] == "m");
  CHECK(s[1]["annotator"] == "z");
}
