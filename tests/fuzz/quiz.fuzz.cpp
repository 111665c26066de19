// Quiz sets (`curvelab score --quiz FILE`): parse_json_text, then quiz_items_from_json;
// a small accepted set is also run, its truth computed and its ground truth scored, which
// is where an item the reader should have refused would overflow.

#include "contract.hpp"
#include "curvelab/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace curvelab;
  constexpr std::int64_t kRunStepsToRun = 2000;  // keeps each input fast
  const auto parsed = parse_json_text(fuzz::text_of(data, size));
  if (!fuzz::accepted(parsed)) {
    return 0;
  }
  const auto items = quiz_items_from_json(*parsed);
  if (!fuzz::accepted(items)) {
    return 0;
  }
  std::int64_t run_steps = 0;
  for (const QuizItem& item : *items) {
    run_steps += static_cast<std::int64_t>(item.runs.size()) * item.horizon;
  }
  if (run_steps > kRunStepsToRun) {
    return 0;
  }
  for (const QuizItem& item : *items) {
    const QuizTruth truth = quiz_truth(item, run_item(item));
    fuzz::require(!validate_answer(item, truth.answer), "ground truth's answer is valid");
    for (const BoardRow& row : item_board(item, truth)) {
      fuzz::require(!row.answer || !validate_answer(item, *row.answer), "every board answer is valid");
    }
    const auto back = quiz_item_from_json(to_json(item));
    fuzz::require(back.ok() && to_json(*back) == to_json(item), "an accepted item round-trips");
  }
  return 0;
}
