#include "eval.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "curvelab/interval.hpp"
#include "curvelab/json.hpp"
#include "quiz_agent.hpp"
#include "raster.hpp"

namespace curvelab::cli {
namespace {
using nlohmann::json;

constexpr const char* kSystem =
    "You judge learning curves: the reward of reinforcement-learning agents over time. "
    "Read the question and the curves, then answer with one line of JSON in the format asked.";

// One item's state under one condition while its calls are made.
struct Pending {
  std::size_t condition = 0;
  std::size_t item = 0;
  std::optional<CheckpointWalk> walk;  ///< sequential items
};

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

json interval_json(const MeanInterval& m) { return json{{"n", m.n}, {"mean", m.mean}, {"lo", m.lo}, {"hi", m.hi}}; }

MeanInterval interval_of(const std::vector<double>& scores) { return bootstrap_mean(scores, 0.95, 2000, 20261201); }
}  // namespace

const std::vector<std::string>& eval_formats() {
  static const std::vector<std::string> formats{"list", "csv", "markdown", "json", "image", "image+list"};
  return formats;
}

Expected<ChatRequest> eval_request(const json& message, const EvalCondition& condition, const EvalOptions& options) {
  PromptOptions prompt;
  prompt.downsample = options.downsample;
  prompt.decimals = options.decimals;
  const std::string& f = condition.format;
  prompt.data = f == "csv"        ? DataFormat::Csv
                : f == "markdown" ? DataFormat::Markdown
                : f == "json"     ? DataFormat::Json
                                  : DataFormat::List;
  prompt.with_data = f != "image";
  ChatRequest request;
  request.model = options.model;
  request.system = kSystem;
  request.temperature = options.temperature;
  request.max_tokens = options.max_tokens;
  request.seed = options.model_seed;
  request.user.push_back(ContentPart{ContentPart::Kind::Text, render_prompt(message, prompt)});
  if (f == "image" || f == "image+list") {
    auto png = svg_to_png(render_svg(message), options.png_timeout_s);
    if (!png) {
      return png.error();
    }
    request.user.push_back(ContentPart{ContentPart::Kind::ImageUrl, png_data_url(*png)});
  }
  return request;
}

std::optional<bool> checkpoint_decision_from_text(const std::string& text) {
  std::size_t at = text.rfind("\"decision\"");
  while (at != std::string::npos) {
    std::size_t i = at + 10;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
      ++i;
    }
    if (i < text.size() && text[i] == ':') {
      ++i;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
        ++i;
      }
      if (text.compare(i, 6, "\"stop\"") == 0) {
        return true;
      }
      if (text.compare(i, 10, "\"continue\"") == 0) {
        return false;
      }
      return std::nullopt;
    }
    at = at == 0 ? std::string::npos : text.rfind("\"decision\"", at - 1);
  }
  return std::nullopt;
}

EvalResult run_eval(const EvalOptions& options, ModelRunner& runner) {
  EvalResult result;
  std::vector<std::vector<double>> baselines;
  for (const QuizItem& item : options.items) {
    const std::vector<Run> runs = run_item(item);
    result.truths.push_back(quiz_truth(item, runs));
    baselines.emplace_back();
    for (const Run& run : runs) {
      baselines.back().push_back(run.baseline());
    }
  }
  result.cells.assign(options.conditions.size(), std::vector<EvalOutcome>(options.items.size()));
  for (auto& row : result.cells) {
    for (EvalOutcome& cell : row) {
      cell.answer.skipped = true;
    }
  }

  // Every item is one round of calls, except sequential items, which need a round per
  // checkpoint: all items and conditions wait in one queue, asked together each round.
  std::vector<Pending> pending;
  for (std::size_t c = 0; c < options.conditions.size(); ++c) {
    for (std::size_t i = 0; i < options.items.size(); ++i) {
      Pending p{c, i, std::nullopt};
      if (options.items[i].kind == QuizKind::Sequential) {
        p.walk.emplace(options.items[i]);
      }
      pending.push_back(std::move(p));
    }
  }
  while (!pending.empty()) {
    std::vector<ModelCall> calls;
    std::vector<std::size_t> asked;  // index into pending of each call
    std::vector<Pending> next;
    for (std::size_t k = 0; k < pending.size(); ++k) {
      Pending& p = pending[k];
      const QuizItem& item = options.items[p.item];
      const QuizTruth& truth = result.truths[p.item];
      const EvalCondition& condition = options.conditions[p.condition];
      EvalOutcome& cell = result.cells[p.condition][p.item];
      if (p.walk && p.walk->done()) {
        cell.answer = QuizAnswer{};
        cell.answer.stops = p.walk->stops();
        continue;
      }
      const json message = p.walk ? checkpoint_message(item, truth, baselines[p.item], p.walk->stops(), p.walk->run(),
                                                       p.walk->checkpoint(), condition.context)
                                  : question_message(item, truth, baselines[p.item], condition.context);
      auto request = eval_request(message, condition, options);
      if (!request) {
        cell.failed = true;
        cell.problem = request.error().message;
        continue;
      }
      calls.push_back(ModelCall{message["id"].get<std::string>() + " " + condition.name(), std::move(*request)});
      asked.push_back(k);
    }
    const std::vector<CallResult> replies = runner.run(calls);
    for (std::size_t n = 0; n < replies.size(); ++n) {
      Pending& p = pending[asked[n]];
      const QuizItem& item = options.items[p.item];
      EvalOutcome& cell = result.cells[p.condition][p.item];
      const CallResult& reply = replies[n];
      ++cell.calls;
      cell.tokens += reply.reply.usage.total_tokens;
      if (reply.over_budget || reply.reply.outcome != ChatOutcome::Ok) {
        cell.failed = true;
        cell.problem = reply.over_budget ? "not asked: the token budget would be exceeded" : reply.reply.error;
        continue;
      }
      if (p.walk) {
        const auto stop = checkpoint_decision_from_text(reply.reply.content);
        if (!stop) {
          cell.unreadable = true;
          cell.problem = "no \"decision\": \"continue\" or \"stop\" in the reply";
          continue;
        }
        p.walk->decide(*stop);
        next.push_back(std::move(p));
        continue;
      }
      auto answer = quiz_answer_from_text(reply.reply.content, item);
      if (answer) {
        cell.answer = std::move(answer).value();
      } else {
        cell.unreadable = true;
        cell.problem = answer.error().message;
      }
    }
    pending = std::move(next);
  }
  for (std::size_t c = 0; c < options.conditions.size(); ++c) {
    for (std::size_t i = 0; i < options.items.size(); ++i) {
      EvalOutcome& cell = result.cells[c][i];
      cell.score = score_answer(options.items[i], result.truths[i], cell.answer);
    }
  }
  result.tally = runner.tally();
  return result;
}

json eval_report(const EvalOptions& options, const EvalResult& result, const LabelsOnQuiz* people) {
  std::vector<QuizKind> kinds;
  for (const QuizItem& item : options.items) {
    if (std::find(kinds.begin(), kinds.end(), item.kind) == kinds.end()) {
      kinds.push_back(item.kind);
    }
  }
  // The board's rows (pruners and reference rows) on the same items.
  std::map<QuizKind, std::vector<std::pair<std::string, std::vector<double>>>> board;
  for (std::size_t i = 0; i < options.items.size(); ++i) {
    auto& rows = board[options.items[i].kind];
    for (const BoardRow& row : item_board(options.items[i], result.truths[i])) {
      if (!row.score || row.who == "ground truth") {
        continue;
      }
      auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.first == row.who; });
      if (it == rows.end()) {
        rows.emplace_back(row.who, std::vector<double>{});
        it = rows.end() - 1;
      }
      it->second.push_back(row.score->score);
    }
  }
  json report{{"model", options.model}, {"items", options.items.size()}};
  json conditions = json::array();
  for (const EvalCondition& c : options.conditions) {
    conditions.push_back(c.name());
  }
  report["conditions"] = conditions;
  json kinds_json = json::array();
  for (const QuizKind kind : kinds) {
    json k{{"kind", quiz_kind_name(kind)}};
    json cells = json::array();
    for (std::size_t c = 0; c < options.conditions.size(); ++c) {
      std::vector<double> scores;
      int unreadable = 0;
      int failed = 0;
      long long tokens = 0;
      for (std::size_t i = 0; i < options.items.size(); ++i) {
        if (options.items[i].kind != kind) {
          continue;
        }
        const EvalOutcome& cell = result.cells[c][i];
        scores.push_back(cell.score.skipped ? 0.0 : cell.score.score);
        unreadable += cell.unreadable;
        failed += cell.failed;
        tokens += cell.tokens;
      }
      json cell = interval_json(interval_of(scores));
      cell["condition"] = options.conditions[c].name();
      cell["unreadable"] = unreadable;
      cell["failed"] = failed;
      cell["tokens_per_item"] = scores.empty() ? 0.0 : static_cast<double>(tokens) / static_cast<double>(scores.size());
      cells.push_back(cell);
    }
    k["model"] = cells;
    json rows = json::array();
    for (const auto& [who, scores] : board[kind]) {
      json row = interval_json(interval_of(scores));
      row["who"] = who;
      rows.push_back(row);
    }
    if (people != nullptr) {
      std::vector<double> scores;
      for (const auto& [i, score] : people->scores) {
        if (options.items[i].kind == kind) {
          scores.push_back(score.skipped ? 0.0 : score.score);
        }
      }
      if (!scores.empty()) {
        json row = interval_json(interval_of(scores));
        row["who"] = "people";
        rows.push_back(row);
      }
    }
    k["board"] = rows;
    kinds_json.push_back(k);
  }
  report["kinds"] = kinds_json;

  // Position bias: how often the left run is chosen, and whether a pair's two showings
  // (sides swapped) get the same run.
  json bias = json::array();
  for (std::size_t c = 0; c < options.conditions.size(); ++c) {
    int answered = 0;
    int left = 0;
    int pairs = 0;
    int consistent = 0;
    for (std::size_t i = 0; i < options.items.size(); ++i) {
      const QuizItem& item = options.items[i];
      const QuizAnswer& answer = result.cells[c][i].answer;
      if (item.kind != QuizKind::Pairwise || answer.skipped || !answer.better) {
        continue;
      }
      ++answered;
      left += *answer.better == 0;
      if (!item.swapped) {
        for (std::size_t j = 0; j < options.items.size(); ++j) {
          const QuizAnswer& other = result.cells[c][j].answer;
          if (options.items[j].swapped && options.items[j].id == item.id + "-swapped" && !other.skipped &&
              other.better) {
            ++pairs;
            consistent += *other.better != *answer.better;
          }
        }
      }
    }
    if (answered > 0) {
      bias.push_back(json{{"condition", options.conditions[c].name()},
                          {"answered", answered},
                          {"left_share", static_cast<double>(left) / answered},
                          {"pairs", pairs},
                          {"consistent_share", pairs > 0 ? json(static_cast<double>(consistent) / pairs) : json()}});
    }
  }
  report["position_bias"] = bias;
  const RunnerTally& t = result.tally;
  report["calls"] =
      json{{"calls", t.calls},   {"requests", t.requests},       {"retries", t.retries}, {"cached", t.cached},
           {"failed", t.failed}, {"over_budget", t.over_budget}, {"tokens", t.tokens}};
  return report;
}

std::string eval_report_markdown(const json& report) {
  const auto range = [](const json& cell) {
    return fixed(cell.value("mean", 0.0), 2) + " [" + fixed(cell.value("lo", 0.0), 2) + ", " +
           fixed(cell.value("hi", 0.0), 2) + "]";
  };
  std::string out = "# Evaluation of " + report.value("model", std::string()) + "\n\n";
  out += std::to_string(report.value("items", 0)) +
         " items. Scores are chance-corrected: 1 is the ground-truth answer, 0 what random answers earn on the "
         "same item; brackets give a bootstrap 95% interval over the items. Unreadable replies count as skips "
         "(score 0).\n";
  for (const json& kind : report.at("kinds")) {
    out += "\n## " + kind.value("kind", std::string()) + "\n\n| who | score | items | unreadable | tokens/item |\n";
    out += "|---|---|---|---|---|\n";
    for (const json& cell : kind.at("model")) {
      out += "| model, " + cell.value("condition", std::string()) + " | " + range(cell) + " | " +
             std::to_string(cell.value("n", 0)) + " | " + std::to_string(cell.value("unreadable", 0)) + " | " +
             fixed(cell.value("tokens_per_item", 0.0), 0) + " |\n";
    }
    for (const json& row : kind.at("board")) {
      out += "| " + row.value("who", std::string()) + " | " +
             (row.contains("lo") ? range(row) : fixed(row.value("mean", 0.0), 2)) + " | " +
             std::to_string(row.value("n", 0)) + " | | |\n";
    }
  }
  if (!report.at("position_bias").empty()) {
    out += "\n## Position bias (pairwise)\n\n| condition | answered | left chosen | pairs | same run both times |\n";
    out += "|---|---|---|---|---|\n";
    for (const json& b : report.at("position_bias")) {
      out += "| " + b.value("condition", std::string()) + " | " + std::to_string(b.value("answered", 0)) + " | " +
             fixed(b.value("left_share", 0.0), 2) + " | " + std::to_string(b.value("pairs", 0)) + " | " +
             (b["consistent_share"].is_number() ? fixed(b["consistent_share"].get<double>(), 2) : "-") + " |\n";
    }
  }
  const json& calls = report.at("calls");
  out += "\nCalls: " + std::to_string(calls.value("calls", 0LL)) + " (" + std::to_string(calls.value("cached", 0LL)) +
         " from the cache), requests " + std::to_string(calls.value("requests", 0LL)) + ", retries " +
         std::to_string(calls.value("retries", 0LL)) + ", failed " + std::to_string(calls.value("failed", 0LL)) +
         ", over budget " + std::to_string(calls.value("over_budget", 0LL)) + ", tokens " +
         std::to_string(calls.value("tokens", 0LL)) + ".\n";
  return out;
}

std::string eval_chart_svg(const json& report) {
  static constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                             "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
  const json& kinds = report.at("kinds");
  const json& conditions = report.at("conditions");
  const std::size_t nk = std::max<std::size_t>(1, kinds.size());
  const std::size_t nc = std::max<std::size_t>(1, conditions.size());
  constexpr double kLeft = 60;
  constexpr double kTop = 30;
  constexpr double kPlotHeight = 300;
  const double group = std::max(60.0, 14.0 * static_cast<double>(nc) + 20);
  const double width = kLeft + group * static_cast<double>(nk) + 160;
  const double height = kTop + kPlotHeight + 60;
  double lo = -0.25;
  for (const json& k : kinds) {
    for (const json& cell : k.at("model")) {
      lo = std::min(lo, std::floor(cell.value("lo", 0.0) * 4) / 4);
    }
  }
  const double hi = 1.0;
  const auto y = [&](double v) { return kTop + (hi - v) / (hi - lo) * kPlotHeight; };
  const auto num = [](double v) { return fixed(v, 1); };
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(height) +
                    "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" "
                    "fill=\"white\"/>\n";
  for (double v = std::ceil(lo * 4) / 4; v <= hi + 1e-9; v += 0.25) {
    svg += "<line x1=\"" + num(kLeft) + "\" x2=\"" + num(kLeft + group * static_cast<double>(nk)) + "\" y1=\"" +
           num(y(v)) + "\" y2=\"" + num(y(v)) + "\" stroke=\"" + (std::abs(v) < 1e-9 ? "#444" : "#ddd") + "\"/>\n";
    svg += "<text x=\"" + num(kLeft - 6) + "\" y=\"" + num(y(v) + 4) + "\" text-anchor=\"end\">" + fixed(v, 2) +
           "</text>\n";
  }
  svg += "<text transform=\"translate(16 " + num(kTop + kPlotHeight / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">score (0 = chance, 1 = ground truth)</text>\n";
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const double x0 = kLeft + group * static_cast<double>(k) + 10;
    const json& cells = kinds[k].at("model");
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const json& cell = cells[c];
      const double x = x0 + 14.0 * static_cast<double>(c);
      const double mean = cell.value("mean", 0.0);
      const double top = y(std::max(mean, 0.0));
      const double bottom = y(std::min(mean, 0.0));
      svg += "<rect x=\"" + num(x) + "\" y=\"" + num(top) + "\" width=\"11\" height=\"" +
             num(std::max(bottom - top, 0.5)) + "\" fill=\"" + kColours[c % 10] + "\"/>\n";
      svg += "<line x1=\"" + num(x + 5.5) + "\" x2=\"" + num(x + 5.5) + "\" y1=\"" + num(y(cell.value("lo", 0.0))) +
             "\" y2=\"" + num(y(cell.value("hi", 0.0))) + "\" stroke=\"#000\"/>\n";
    }
    svg += "<text x=\"" + num(x0) + "\" y=\"" + num(kTop + kPlotHeight + 18) + "\">" +
           kinds[k].value("kind", std::string()) + "</text>\n";
  }
  for (std::size_t c = 0; c < conditions.size(); ++c) {
    const double ly = kTop + 16.0 * static_cast<double>(c);
    const double lx = kLeft + group * static_cast<double>(nk) + 16;
    svg += "<rect x=\"" + num(lx) + "\" y=\"" + num(ly - 9) + "\" width=\"11\" height=\"11\" fill=\"" +
           kColours[c % 10] + "\"/>\n<text x=\"" + num(lx + 16) + "\" y=\"" + num(ly) + "\">" +
           conditions[c].get<std::string>() + "</text>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace curvelab::cli
