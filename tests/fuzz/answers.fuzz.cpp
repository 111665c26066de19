// Answer lines (`curvelab score --answers FILE`): each input is one line, read as a strict
// answer and as a model's free-text reply, against one item of every kind; an accepted
// answer is scored.

#include <vector>

#include "contract.hpp"
#include "curvelab/json.hpp"

namespace {
struct Known {
  curvelab::QuizItem item;
  curvelab::QuizTruth truth;
};

const std::vector<Known>& known_items() {
  static const std::vector<Known> items = [] {
    std::vector<Known> out;
    for (const curvelab::QuizKind kind : curvelab::kAllQuizKinds) {
      curvelab::QuizItem item = curvelab::make_quiz_item(kind, 5, 0);
      curvelab::QuizTruth truth = curvelab::quiz_truth(item, curvelab::run_item(item));
      out.push_back({std::move(item), std::move(truth)});
    }
    return out;
  }();
  return items;
}

void judge(const curvelab::Expected<curvelab::QuizAnswer>& answer, const Known& known) {
  if (curvelab::fuzz::accepted(answer)) {
    curvelab::fuzz::require(!curvelab::validate_answer(known.item, *answer), "an accepted answer is valid");
    const curvelab::QuizScore score = curvelab::score_answer(known.item, known.truth, *answer);
    curvelab::fuzz::require(answer->skipped || score.score == score.score, "a score is a number");
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace curvelab;
  const std::string_view text = fuzz::text_of(data, size);
  const auto parsed = parse_json_text(text);
  for (const Known& known : known_items()) {
    if (parsed.ok()) {
      const auto* answer = parsed->is_object() && parsed->contains("answer") ? &(*parsed)["answer"] : &*parsed;
      judge(quiz_answer_from_json(*answer, known.item), known);
    } else {
      fuzz::check_error(parsed.error());
    }
    judge(quiz_answer_from_text(text, known.item), known);
  }
  return 0;
}
