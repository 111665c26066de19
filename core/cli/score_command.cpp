// curvelab score: a model's (or anyone's) answers to a quiz, scored as the page scores
// people, next to every pruner and to the people's labels on the same items.

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "curvelab/json.hpp"
#include "curvelab/labels.hpp"
#include "curvelab/quiz.hpp"
#include "score_report.hpp"

namespace curvelab::cli {
namespace {
using nlohmann::json;

constexpr const char* kHelp = R"(usage: curvelab score --quiz quiz.json --answers answers.jsonl [options]

Scores answers against ground truth, exactly as the page scores people, and prints a
report per kind next to every pruner's score on the same items.

options:
  --quiz FILE       a quiz set from `curvelab quiz --format json`
  --answers FILE    JSON lines: {"id": "<item id>", "answer": {...}} or
                    {"id": "<item id>", "response": "<a model's whole reply>"}; in a reply
                    the last JSON object that answers the item is taken ('-' is stdin)
  --labels FILE     labels exported from the page (JSONL): people's scores on the same items
  --format F        text (default) or json
  --key             print the answer key instead: ground truth's answer to each item,
                    as JSON lines {"id", "answer", "truth"} (no --answers needed)
)";

using Problem = ScoreProblem;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

bool blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

std::string cell(const std::optional<double>& v, const char* format) {
  if (!v) {
    return "-";
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, *v);
  return buffer;
}
}  // namespace

int run_score(Args& args, std::ostream& out) {
  if (args.wants_help()) {
    out << kHelp;
    return 0;
  }
  const auto quiz_path = args.take("quiz");
  const auto answers_path = args.take("answers");
  const auto labels_path = args.take("labels");
  const std::string format = args.choice("format", {"text", "json"});
  const bool key = args.take_switch("key");
  args.finish();
  if (!quiz_path) {
    throw CliError("--quiz is required (a file from `curvelab quiz --format json`)");
  }
  if (!answers_path && !key) {
    throw CliError("--answers is required (JSON lines with \"id\" and \"answer\" or \"response\")");
  }

  // The quiz: items in order, by id.
  const auto quiz = parse_json_text(read_file(*quiz_path, "--quiz"));
  if (!quiz) {
    throw CliError("--quiz " + *quiz_path + ": " + quiz.error().message);
  }
  auto read_items = quiz_items_from_json(*quiz);
  if (!read_items) {
    throw CliError("--quiz " + *quiz_path + ": " + read_items.error().message);
  }
  const std::vector<QuizItem> items = std::move(read_items.value());
  std::map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < items.size(); ++i) {
    by_id[items[i].id] = i;
  }
  std::vector<QuizTruth> truths;
  for (const QuizItem& item : items) {
    truths.push_back(quiz_truth(item, run_item(item)));
  }
  if (key) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      out << json{{"id", items[i].id},
                  {"answer", to_json(truths[i].answer, items[i])},
                  {"truth", to_json(truths[i], items[i])}}
                 .dump()
          << "\n";
    }
    return 0;
  }

  // The answers: strict about the JSON answer, tolerant of text around it.
  std::vector<std::optional<QuizScore>> model(items.size());
  std::vector<Problem> problems;
  std::vector<std::string> duplicates;
  const std::vector<std::string> answer_lines = lines_of(read_file(*answers_path, "--answers"));
  for (std::size_t n = 0; n < answer_lines.size(); ++n) {
    const std::string& line = answer_lines[n];
    if (blank(line)) {
      continue;
    }
    const int line_no = static_cast<int>(n) + 1;
    const auto parsed = parse_json_text(line);
    if (!parsed) {
      problems.push_back({line_no, "", parsed.error().message});
      continue;
    }
    const json& j = parsed.value();
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string()) {
      problems.push_back({line_no, "", "not a JSON object with a string \"id\""});
      continue;
    }
    const std::string id = j["id"].get<std::string>();
    const auto found = by_id.find(id);
    if (found == by_id.end()) {
      problems.push_back({line_no, id, "no item with this id in the quiz"});
      continue;
    }
    const QuizItem& item = items[found->second];
    Expected<QuizAnswer> answer = Error{"answer", "neither \"answer\" nor \"response\" is given"};
    if (j.contains("answer")) {
      answer = quiz_answer_from_json(j["answer"], item);
    } else if (j.contains("response") && j["response"].is_string()) {
      answer = quiz_answer_from_text(j["response"].get<std::string>(), item);
    }
    if (!answer) {
      problems.push_back({line_no, id, answer.error().message});
      continue;
    }
    if (model[found->second]) {
      duplicates.push_back(id);
      continue;  // the first answer counts
    }
    model[found->second] = score_answer(item, truths[found->second], answer.value());
  }

  // People: labels from the page on the same items.
  LabelsOnQuiz people;
  if (labels_path) {
    people = labels_on_quiz(read_file(*labels_path, "--labels"), items, truths);
  }
  std::vector<Problem> label_problems;
  for (const LabelProblem& p : people.problems) {
    label_problems.push_back({p.line, p.id, p.error});
  }

  ScoreReport report;
  report.items = std::move(items);
  report.truths = std::move(truths);
  report.model = std::move(model);
  report.tally = std::move(people.tally);
  report.labels_path = labels_path;
  report.labels_used = people.used;
  report.problems = std::move(problems);
  report.label_problems = std::move(label_problems);
  report.duplicates = std::move(duplicates);
  return write_score_report(report, format, out);
}

int write_score_report(const ScoreReport& report, const std::string& format, std::ostream& out) {
  const auto& [items, truths, model, answerer, people, labels_path, labels_used, problems, label_problems, duplicates,
               extra] = report;
  QuizTally tally = people;
  json per_item = json::array();
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < items.size(); ++i) {
    json row{{"id", items[i].id}, {"kind", quiz_kind_name(items[i].kind)}};
    if (model[i]) {
      tally.add(items[i].kind, answerer, *model[i]);
      row["score"] = to_json(*model[i]);
    } else {
      missing.push_back(items[i].id);
      row["score"] = nullptr;
    }
    for (const BoardRow& board_row : item_board(items[i], truths[i])) {
      if (board_row.score && board_row.who != "ground truth") {
        tally.add(items[i].kind, board_row.who, *board_row.score);
      }
    }
    per_item.push_back(row);
  }

  const int parsed = static_cast<int>(items.size() - missing.size());
  if (format == "json") {
    // {"<kind>": {"<who>": {"items", "answered", "skipped", "<figure>": mean, ...}}}
    json by_kind = json::object();
    for (const QuizTally::Kind& kind : tally.kinds()) {
      for (const QuizTally::Entry& e : kind.rows) {
        json entry{{"items", e.items}, {"answered", e.answered}, {"skipped", e.skipped}};
        for (const auto& [figure, sum] : e.sums) {
          entry[figure] = number_to_json(sum.first / sum.second);
        }
        by_kind[std::string(quiz_kind_name(kind.kind))][e.who] = entry;
      }
    }
    json problem_list = json::array();
    for (const Problem& p : problems) {
      problem_list.push_back(json{{"line", p.line}, {"id", p.id}, {"error", p.error}});
    }
    json label_problem_list = json::array();
    for (const Problem& p : label_problems) {
      label_problem_list.push_back(json{{"line", p.line}, {"id", p.id}, {"error", p.error}});
    }
    json j{{"items", items.size()},
           {"answered", parsed},
           {"unparseable", problem_list},
           {"duplicates", duplicates},
           {"missing", missing},
           {"labels_used", labels_used},
           {"label_problems", label_problem_list},
           {"by_kind", by_kind},
           {"per_item", per_item}};
    j.update(extra);
    out << j.dump(2) << "\n";
    return 0;
  }

  out << "curvelab score: " << items.size() << " items, " << parsed << " answered, " << problems.size()
      << " unparseable, " << missing.size() << " without an answer";
  if (labels_path) {
    out << ", " << labels_used << " labels from people";
  }
  out << "\n";
  for (const Problem& p : problems) {
    out << "  unparseable: line " << p.line << (p.id.empty() ? "" : " (" + p.id + ")") << ": " << p.error << "\n";
  }
  for (const Problem& p : label_problems) {
    out << "  label refused: line " << p.line << (p.id.empty() ? "" : " (" + p.id + ")") << ": " << p.error << "\n";
  }
  for (const std::string& id : duplicates) {
    out << "  duplicate answer ignored: " << id << "\n";
  }
  out << "\nscore: 1 = as good as ground truth, 0 = what random answers earn (below 0: worse). tau: Kendall's\n"
         "tau; dist: click distance in steps; prec/rec: of stops against runs below the median; saved: share of\n"
         "steps not run; regret: best final lost, as a share of the cohort's range. curve model: a judge\n"
         "reading only what each item shows with a fitted learning curve (its score: the item's\n"
         "answerability). Rows in [brackets] are references: stop all, stop none, random.\n\n";
  char header[256];
  std::snprintf(header, sizeof header, "%-13s %-20s %5s %6s %6s %5s %6s %5s %5s %6s %6s %5s %6s\n", "kind", "who", "n",
                "score", "tau", "top1", "dist", "prec", "rec", "saved", "regret", "corr", "best");
  out << header;
  // Kinds in the order of kAllQuizKinds; the model first, then people, then the pruners.
  for (const QuizKind k : kAllQuizKinds) {
    const auto kind_it =
        std::find_if(tally.kinds().begin(), tally.kinds().end(), [k](const QuizTally::Kind& x) { return x.kind == k; });
    if (kind_it == tally.kinds().end()) {
      continue;
    }
    const std::string kind(quiz_kind_name(k));
    std::vector<const QuizTally::Entry*> order;
    for (const std::string& first : {answerer, std::string("people")}) {
      for (const QuizTally::Entry& e : kind_it->rows) {
        if (e.who == first) {
          order.push_back(&e);
        }
      }
    }
    for (const QuizTally::Entry& e : kind_it->rows) {
      if (e.who != answerer && e.who != "people") {
        order.push_back(&e);
      }
    }
    for (const QuizTally::Entry* entry : order) {
      const QuizTally::Entry& t = *entry;
      const std::string who = is_reference_row(t.who) ? "[" + t.who + "]" : t.who;
      char line[256];
      std::snprintf(line, sizeof line, "%-13s %-20s %5d %6s %6s %5s %6s %5s %5s %6s %6s %5s %6s\n", kind.c_str(),
                    who.c_str(), t.answered, cell(t.mean("score"), "%.3f").c_str(),
                    cell(t.mean("kendall_tau"), "%.2f").c_str(), cell(t.mean("top1"), "%.2f").c_str(),
                    cell(t.mean("distance"), "%.0f").c_str(), cell(t.mean("precision"), "%.2f").c_str(),
                    cell(t.mean("recall"), "%.2f").c_str(), cell(t.mean("steps_saved"), "%.3f").c_str(),
                    cell(t.mean("regret"), "%.2f").c_str(), cell(t.mean("correct"), "%.2f").c_str(),
                    cell(t.mean("best_kept"), "%.2f").c_str());
      out << line;
    }
  }
  return 0;
}

}  // namespace curvelab::cli
