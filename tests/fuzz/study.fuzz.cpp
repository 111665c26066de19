// Study JSON (`curvelab prune FILE`): parse_json_text, then study_from_json.

#include "contract.hpp"
#include "curvelab/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace curvelab;
  const auto parsed = parse_json_text(fuzz::text_of(data, size));
  if (fuzz::accepted(parsed)) {
    const auto spec = study_from_json(*parsed);
    if (fuzz::accepted(spec)) {
      fuzz::require(to_json(spec->pruner).is_object(), "a study's pruner writes back as an object");
    }
  }
  return 0;
}
