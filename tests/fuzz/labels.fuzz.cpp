// Label files (`curvelab labels summary FILE`, the page's import): parse_labels, then
// label_summary, CSV and JSONL export of what was accepted.

#include "curvelab/labels.hpp"
#include "contract.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace curvelab;
  const auto labels = parse_labels(fuzz::text_of(data, size));
  if (!fuzz::accepted(labels)) {
    return 0;
  }
  const auto summary = label_summary(*labels);
  if (fuzz::accepted(summary)) {
    fuzz::require(static_cast<std::size_t>(summary->labels) == labels->size(), "every label is counted");
    fuzz::require(to_json(*summary).at("labels") == summary->labels, "the JSON report holds the counts");
    fuzz::require(!label_summary_text(*summary).empty(), "the text report holds the counts");
  }
  const auto again = parse_labels(labels_to_jsonl(*labels));
  fuzz::require(again.ok() && again->size() == labels->size(), "exported labels read back");
  fuzz::require(!labels_to_csv(*labels).empty(), "a CSV header at least");
  return 0;
}
