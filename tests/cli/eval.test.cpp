// curvelab eval against a fake OpenAI-compatible server on 127.0.0.1: the answers of a
// model that knows the key score 1, unreadable replies are skips, sequential items are
// interactive and never show the future, images go as PNG parts, the cache makes a
// re-run free, the budget stops the calls, and the API key is written nowhere.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "../../core/cli/commands.hpp"
#include "../../core/cli/eval.hpp"
#include "curvelab/json.hpp"
#include "curvelab/labels.hpp"
#include "fake_chat_server.hpp"

namespace {
using curvelab::test::completion;
using curvelab::test::FakeServer;
using curvelab::test::Scripted;
using nlohmann::json;
namespace cl = curvelab;
namespace fs = std::filesystem;

// A 200 reply whose message is `content`.
Scripted ok(const std::string& content, int prompt_tokens = 11, int completion_tokens = 7) {
  Scripted reply;
  reply.body = completion(content, prompt_tokens, completion_tokens);
  return reply;
}

// The user's text of a request body.
std::string prompt_of(const json& body) {
  const json& content = body.at("messages").back().at("content");
  if (content.is_string()) {
    return content.get<std::string>();
  }
  for (const json& part : content) {
    if (part.at("type") == "text") {
      return part.at("text").get<std::string>();
    }
  }
  return {};
}

// "Item <id>" on the prompt's first line.
std::string item_id_of(const std::string& prompt) {
  const std::size_t end = prompt.find('\n');
  return prompt.substr(5, end - 5);
}

// A model that knows the answer key: the ground-truth answer of every item, and for
// sequential items the ground truth's decision at each checkpoint.
struct KeyModel {
  std::vector<cl::QuizItem> items;
  std::map<std::string, std::pair<cl::QuizItem, cl::QuizTruth>> key;

  explicit KeyModel(std::vector<cl::QuizItem> set) : items(std::move(set)) {
    for (const cl::QuizItem& item : items) {
      key.emplace(item.id, std::make_pair(item, cl::quiz_truth(item, cl::run_item(item))));
    }
  }
  std::string reply(const std::string& prompt) const {
    const std::string id = item_id_of(prompt);
    const std::size_t colon = id.find(':');
    if (colon == std::string::npos) {
      const auto& [item, truth] = key.at(id);
      return "Looking at the curves, my answer is " + cl::to_json(truth.answer, item).dump();
    }
    // <item>:<run label>:<step>
    const auto& [item, truth] = key.at(id.substr(0, colon));
    const std::size_t second = id.find(':', colon + 1);
    const int run = *cl::parse_run_label(id.substr(colon + 1, second - colon - 1), static_cast<int>(item.runs.size()));
    const int step = std::stoi(id.substr(second + 1));
    const auto& stop = truth.answer.stops[static_cast<std::size_t>(run)];
    return std::string("{\"decision\": \"") + (stop && *stop == step ? "stop" : "continue") + "\"}";
  }
};

struct Fixture {
  fs::path dir;
  Fixture() {
    std::string pattern = (fs::temp_directory_path() / "curvelab-eval-XXXXXX").string();
    dir = mkdtemp(pattern.data());
  }
  ~Fixture() { fs::remove_all(dir); }
};

cl::cli::EvalOptions options_for(std::vector<cl::QuizItem> items, std::vector<cl::cli::EvalCondition> conditions) {
  cl::cli::EvalOptions options;
  options.items = std::move(items);
  options.conditions = std::move(conditions);
  options.model = "judge-1";
  return options;
}

cl::cli::EvalResult evaluate(const FakeServer& server, const cl::cli::EvalOptions& options, const fs::path& cache_dir,
                             cl::cli::RunnerOptions runner_options = {}) {
  cl::cli::ClientOptions client_options;
  client_options.endpoint = server.endpoint();
  client_options.retries = 0;
  const cl::cli::ChatClient client(client_options);
  const cl::cli::ReplyCache cache(cache_dir);
  cl::cli::ModelRunner runner(client, &cache, nullptr, runner_options, nullptr);
  return cl::cli::run_eval(options, runner);
}

std::string read_all(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST_CASE("a model that gives the answer key scores 1 on every kind and format") {
  const KeyModel model(cl::make_quiz({std::begin(cl::kAllQuizKinds), std::end(cl::kAllQuizKinds)}, 10, 5));
  FakeServer server([&](const json& body) { return ok(model.reply(prompt_of(body))); });
  const Fixture fixture;
  const auto options = options_for(model.items, {{"list", false}, {"json", true}});
  const cl::cli::EvalResult result = evaluate(server, options, fixture.dir / "cache");
  for (const auto& row : result.cells) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      INFO(model.items[i].id);
      CHECK_FALSE(row[i].answer.skipped);
      CHECK(row[i].score.score == Approx(1.0));
    }
  }
  const json report = cl::cli::eval_report(options, result, nullptr);
  REQUIRE(report.at("kinds").size() == 8);  // every kind, sequential included
  for (const json& kind : report.at("kinds")) {
    for (const json& cell : kind.at("model")) {
      CHECK(cell.at("mean").get<double>() == Approx(1.0));
      CHECK(cell.at("unreadable") == 0);
    }
    const std::string name = kind.at("kind").get<std::string>();
    if (name == "stop-early" || name == "stop-point" || name == "sequential") {
      CHECK_FALSE(kind.at("board").empty());  // the pruners beside
    }
    // The curve model sits beside the model on every kind.
    int curve_model = 0;
    for (const json& row : kind.at("board")) {
      curve_model += row.at("who") == "curve model";
    }
    CHECK(curve_model == 1);
  }
  // Each sequential item took one call per checkpoint reached, each other item one.
  const auto& requests = server.requests();
  int sequential_calls = 0;
  for (const auto& request : requests) {
    sequential_calls += item_id_of(prompt_of(json::parse(request.body))).find(':') != std::string::npos;
  }
  CHECK(sequential_calls > 2);
  CHECK(static_cast<int>(requests.size()) == 2 * 9 + sequential_calls);  // one of the 10 items is sequential
  CHECK(cl::cli::eval_report_markdown(report).find("| model, json+context | 1.00 [1.00, 1.00]") != std::string::npos);
}

TEST_CASE("no prompt shows a value past its decision point") {
  const std::vector<cl::QuizItem> items = cl::make_quiz({cl::QuizKind::Sequential, cl::QuizKind::StopEarly}, 4, 9);
  const KeyModel model(items);
  FakeServer server([&](const json& body) { return ok(model.reply(prompt_of(body))); });
  const Fixture fixture;
  auto options = options_for(items, {{"json", false}});
  options.downsample = 1;
  evaluate(server, options, fixture.dir / "cache");
  int checked = 0;
  for (const auto& request : server.requests()) {
    const std::string prompt = prompt_of(json::parse(request.body));
    const std::string id = item_id_of(prompt);
    const std::size_t at = prompt.find("\n{\"step\":");
    REQUIRE(at != std::string::npos);
    const json data = json::parse(prompt.substr(at + 1, prompt.find('\n', at + 1) - at - 1));
    // The last step at which each run has a value.
    std::map<std::string, int> shown;
    for (const auto& [label, values] : data.items()) {
      for (std::size_t k = 0; label != "step" && k < values.size(); ++k) {
        if (!values[k].is_null()) {
          shown[label] = data["step"][k].get<int>();
        }
      }
    }
    int last = 0;
    for (const auto& [label, step] : shown) {
      last = std::max(last, step);
    }
    const std::string item_id = id.substr(0, id.find(':'));
    const auto it = std::find_if(items.begin(), items.end(), [&](const auto& i) { return i.id == item_id; });
    REQUIRE(it != items.end());
    if (it->kind == cl::QuizKind::StopEarly) {
      CHECK(last == it->shown_until);
      CHECK(it->shown_until < it->horizon);
    } else {
      // The growing run is the last one shown, up to the checkpoint; no later run appears.
      const int step = std::stoi(id.substr(id.rfind(':') + 1));
      const std::string run = id.substr(id.find(':') + 1, id.rfind(':') - id.find(':') - 1);
      CHECK(shown.at(run) == step);
      CHECK(last <= it->horizon);
      CHECK(shown.size() == static_cast<std::size_t>(*cl::parse_run_label(run, 26)) + 1);
    }
    ++checked;
  }
  CHECK(checked > 4);
}

TEST_CASE("unreadable and chatty replies: a skip is counted, never guessed") {
  const std::vector<cl::QuizItem> items = cl::make_quiz({cl::QuizKind::Pairwise}, 4, 3);
  const Fixture fixture;
  SECTION("no JSON in the reply") {
    FakeServer server({ok("I would pick the first one.")});
    const auto options = options_for(items, {{"markdown", false}});
    const auto result = evaluate(server, options, fixture.dir / "cache");
    for (const auto& cell : result.cells[0]) {
      CHECK(cell.answer.skipped);
      CHECK(cell.unreadable);
      CHECK(cell.score.score == 0.0);
    }
    const json report = cl::cli::eval_report(options, result, nullptr);
    CHECK(report["kinds"][0]["model"][0]["unreadable"] == 4);
  }
  SECTION("the answer after some reasoning, and position bias") {
    FakeServer server({ok("Both rise; A ends higher.\n{\"better\": \"A\"}")});
    const auto options = options_for(items, {{"csv", false}});
    const auto result = evaluate(server, options, fixture.dir / "cache");
    for (const auto& cell : result.cells[0]) {
      REQUIRE_FALSE(cell.answer.skipped);
      CHECK(*cell.answer.better == 0);
    }
    const json bias = cl::cli::eval_report(options, result, nullptr).at("position_bias");
    REQUIRE(bias.size() == 1);
    CHECK(bias[0]["left_share"] == 1.0);
    CHECK(bias[0]["pairs"] == 2);
    CHECK(bias[0]["consistent_share"] == 0.0);  // "always the left one" never names the same run twice
  }
}

TEST_CASE("checkpoint decisions are read from the last decision field") {
  using curvelab::cli::checkpoint_decision_from_text;
  CHECK(checkpoint_decision_from_text(R"({"decision": "stop"})") == true);
  CHECK(checkpoint_decision_from_text("It may recover. {\"decision\" :\n\"continue\"}") == false);
  CHECK(checkpoint_decision_from_text(R"(format {"decision": "continue"}; mine: {"decision": "stop"})") == true);
  CHECK_FALSE(checkpoint_decision_from_text(R"({"decision": "maybe"})").has_value());
  CHECK_FALSE(checkpoint_decision_from_text("stop").has_value());
  CHECK_FALSE(checkpoint_decision_from_text(std::string(100000, '{')).has_value());
}

TEST_CASE("image formats send the chart as a PNG part") {
  const std::vector<cl::QuizItem> items = cl::make_quiz({cl::QuizKind::RankMax}, 1, 4);
  const KeyModel model(items);
  FakeServer server([&](const json& body) { return ok(model.reply(prompt_of(body))); });
  const Fixture fixture;
  const auto result = evaluate(server, options_for(items, {{"image", false}, {"image+list", false}}), fixture.dir);
  const auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  int with_list = 0;
  for (const auto& request : requests) {
    const json body = json::parse(request.body);
    CHECK(body.at("model") == "judge-1");
    const json& content = body.at("messages").back().at("content");
    REQUIRE(content.size() == 2);
    CHECK(content[1].at("type") == "image_url");
    const std::string url = content[1].at("image_url").at("url").get<std::string>();
    CHECK(url.rfind("data:image/png;base64,iVBORw0KGgo", 0) == 0);  // the PNG signature, base64
    const std::string text = content[0].at("text").get<std::string>();
    const bool list = text.find("Run A:") != std::string::npos;
    with_list += list;
    CHECK(list != (text.find("The chart shows the reward curves") != std::string::npos));
  }
  CHECK(with_list == 1);
  CHECK(result.cells[0][0].score.score == Approx(1.0));
  CHECK(result.cells[1][0].score.score == Approx(1.0));
}

TEST_CASE("the cache makes a re-run free, and the budget stops the calls") {
  const std::vector<cl::QuizItem> items = cl::make_quiz({cl::QuizKind::RankMax, cl::QuizKind::Onset}, 6, 2);
  const KeyModel model(items);
  FakeServer server([&](const json& body) { return ok(model.reply(prompt_of(body)), 100, 20); });
  const Fixture fixture;
  const auto options = options_for(items, {{"list", false}});
  SECTION("re-run") {
    const auto first = evaluate(server, options, fixture.dir / "cache");
    CHECK(first.tally.requests == 6);
    const auto second = evaluate(server, options, fixture.dir / "cache");
    CHECK(second.tally.requests == 0);
    CHECK(second.tally.cached == 6);
    CHECK(server.requests().size() == 6);
    for (std::size_t i = 0; i < items.size(); ++i) {
      CHECK(second.cells[0][i].score.score == first.cells[0][i].score.score);
    }
  }
  SECTION("budget") {
    cl::cli::RunnerOptions runner;
    runner.concurrency = 1;
    runner.budget_tokens = 2500;  // prompts are ~250 tokens (bytes / 4) plus 1024 for the reply
    const auto result = evaluate(server, options, fixture.dir / "cache", runner);
    CHECK(result.tally.over_budget > 0);
    CHECK(server.requests().size() < 6);
    CHECK(result.tally.tokens <= 2500);
    int failed = 0;
    for (const auto& cell : result.cells[0]) {
      failed += cell.failed;
    }
    CHECK(failed == result.tally.over_budget);
  }
}

TEST_CASE("the eval command writes its report, resumes, and never writes the key") {
  const std::vector<cl::QuizItem> items = cl::make_quiz({cl::QuizKind::Pairwise}, 2, 1);
  const KeyModel model(items);
  std::string authorization;
  FakeServer server([&](const json& body) { return ok(model.reply(prompt_of(body))); });
  const Fixture fixture;
  const std::string out = (fixture.dir / "run").string();
  setenv("CURVELAB_EVAL_TEST_KEY", "sk-test-7f3a9c", 1);
  const auto command = [&](std::vector<std::string> extra) {
    std::vector<std::string> tokens{"--endpoint",
                                    server.endpoint(),
                                    "--model",
                                    "judge-1",
                                    "--out",
                                    out,
                                    "--kind",
                                    "pairwise",
                                    "--count",
                                    "2",
                                    "--seed",
                                    "1",
                                    "--formats",
                                    "list,csv",
                                    "--quiet",
                                    "--api-key-env",
                                    "CURVELAB_EVAL_TEST_KEY"};
    tokens.insert(tokens.end(), extra.begin(), extra.end());
    cl::cli::Args args(tokens);
    std::ostringstream text;
    const int status = cl::cli::run_eval(args, text);
    return std::make_pair(status, text.str());
  };
  const auto [status, text] = command({});
  CHECK(status == 0);
  CHECK(text.find("## pairwise") != std::string::npos);
  for (const char* name : {"report.md", "report.json", "chart.svg", "chart.png", "responses.jsonl", "eval.json"}) {
    CHECK(fs::is_regular_file(fs::path(out) / name));
  }
  CHECK(server.requests().size() == 4);
  CHECK(server.requests()[0].get_header_value("Authorization") == "Bearer sk-test-7f3a9c");
  CHECK_THROWS_WITH(command({}), Catch::Contains("holds an eval already"));
  CHECK_THROWS_WITH(command({"--resume", "--temperature", "0.5"}), Catch::Contains("another temperature"));
  const auto [again, again_text] = command({"--resume"});
  CHECK(again == 0);
  CHECK(server.requests().size() == 4);  // all from the cache
  CHECK(again_text.substr(0, again_text.find("Calls:")) == text.substr(0, text.find("Calls:")));
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    if (entry.is_regular_file()) {
      INFO(entry.path());
      CHECK(read_all(entry.path()).find("sk-test-7f3a9c") == std::string::npos);
    }
  }
  // Its settings file is input too: a hostile one is refused, bounded in depth.
  {
    std::ofstream deep(fs::path(out) / "eval.json");
    deep << std::string(100000, '[') << std::string(100000, ']');
  }
  CHECK_THROWS_WITH(command({"--resume"}), Catch::Contains("is not an eval's settings: JSON nested deeper than 64"));
  unsetenv("CURVELAB_EVAL_TEST_KEY");
}

TEST_CASE("people's labels sit on the eval's board, scored on the same items, with their interval") {
  const std::vector<cl::QuizItem> items = cl::make_quiz({cl::QuizKind::Pairwise}, 2, 1);
  const KeyModel model(items);
  FakeServer server([&](const json& body) { return ok(model.reply(prompt_of(body))); });
  const Fixture fixture;
  // Two annotators: one gives the key on both items, the other the wrong run on the first.
  std::string labels;
  int n = 0;
  for (const std::string who : {"ann-1", "ann-2"}) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      cl::LabelContext context{"label-" + std::to_string(++n), who, "s", "2026-12-01T12:00:00Z", "test"};
      cl::QuizAnswer answer = model.key.at(items[i].id).second.answer;
      if (who == "ann-2" && i == 0) {
        answer.better = 1 - *answer.better;
      }
      labels += cl::make_label(context, items[i], cl::to_json(answer, items[i])).value().dump() + "\n";
    }
  }
  // A label on an item of another quiz, one whose item reuses an id but differs, and a broken line.
  const cl::QuizItem other = cl::make_quiz({cl::QuizKind::Pairwise}, 1, 99).front();
  const cl::QuizAnswer other_answer = cl::quiz_truth(other, cl::run_item(other)).answer;
  cl::QuizItem impostor = other;
  impostor.id = items[0].id;
  cl::LabelContext context{"label-x", "ann-3", "s", "2026-12-01T12:00:00Z", "test"};
  labels += cl::make_label(context, other, cl::to_json(other_answer, other)).value().dump() + "\n";
  context.id = "label-y";
  labels += cl::make_label(context, impostor, cl::to_json(other_answer, impostor)).value().dump() + "\n";
  labels += "{\"schema\": \"curvelab.label/2\"\n";
  const fs::path labels_path = fixture.dir / "labels.jsonl";
  std::ofstream(labels_path) << labels;

  const cl::LabelsOnQuiz on = cl::labels_on_quiz(labels, items, [&] {
    std::vector<cl::QuizTruth> truths;
    for (const cl::QuizItem& item : items) {
      truths.push_back(model.key.at(item.id).second);
    }
    return truths;
  }());
  CHECK(on.used == 4);
  CHECK(on.other_items == 1);
  REQUIRE(on.problems.size() == 2);
  CHECK(on.problems[0].line == 6);
  CHECK(on.problems[0].error == "the label's item differs from the quiz item with this id");
  CHECK(on.problems[1].line == 7);

  cl::cli::Args args({"--endpoint", server.endpoint(), "--model", "judge-1", "--out", (fixture.dir / "run").string(),
                      "--kind", "pairwise", "--count", "2", "--seed", "1", "--formats", "list", "--quiet", "--labels",
                      labels_path.string()});
  std::ostringstream text;
  REQUIRE(cl::cli::run_eval(args, text) == 0);
  const json report = json::parse(read_all(fixture.dir / "run" / "report.json"));
  const json& board = report.at("kinds").at(0).at("board");
  const auto people =
      std::find_if(board.begin(), board.end(), [](const json& row) { return row.at("who") == "people"; });
  REQUIRE(people != board.end());
  // Pairwise scores 1 for the better run and -1 for the other: (1 + 1 + 1 - 1) / 4.
  CHECK(people->at("n") == 4);
  CHECK(people->at("mean").get<double>() == Approx(0.5));
  CHECK(people->at("lo").get<double>() <= 0.5);
  CHECK(people->at("hi").get<double>() >= 0.5);
  CHECK(text.str().find("people") != std::string::npos);

  cl::cli::Args missing({"--endpoint", server.endpoint(), "--model", "judge-1", "--out",
                         (fixture.dir / "run2").string(), "--quiet", "--labels", (fixture.dir / "none").string()});
  CHECK_THROWS_WITH(cl::cli::run_eval(missing, text), Catch::Contains("--labels"));
  CHECK(server.requests().size() == 2);  // refused before any call
}

TEST_CASE("eval refuses bad flags with one line naming the flag") {
  const auto refuse = [](std::vector<std::string> tokens) {
    cl::cli::Args args(std::move(tokens));
    std::ostringstream text;
    cl::cli::run_eval(args, text);
  };
  CHECK_THROWS_WITH(refuse({"--model", "m", "--out", "d"}), Catch::Contains("--endpoint"));
  CHECK_THROWS_WITH(refuse({"--endpoint", "ftp://x", "--model", "m", "--out", "d"}), Catch::Contains("--endpoint"));
  CHECK_THROWS_WITH(refuse({"--endpoint", "http://127.0.0.1:9/v1", "--out", "d"}), Catch::Contains("--model"));
  CHECK_THROWS_WITH(refuse({"--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--out", "d", "--formats", "png"}),
                    Catch::Contains("--formats"));
  CHECK_THROWS_WITH(refuse({"--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--out", "d", "--concurrency", "0"}),
                    Catch::Contains("--concurrency"));
  CHECK_THROWS_WITH(refuse({"--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--out", "d", "--context", "x"}),
                    Catch::Contains("--context"));
}
