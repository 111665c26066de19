// Generator ranges (`curvelab generate --ranges FILE`): parse_json_text, then
// ranges_from_json; accepted ranges read back to the same ranges.

#include "contract.hpp"
#include "curvelab/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace curvelab;
  const auto parsed = parse_json_text(fuzz::text_of(data, size));
  if (fuzz::accepted(parsed)) {
    const auto ranges = ranges_from_json(*parsed);
    if (fuzz::accepted(ranges)) {
      const auto back = ranges_from_json(to_json(*ranges));
      fuzz::require(back.ok() && to_json(*back) == to_json(*ranges), "accepted ranges round-trip");
    }
  }
  return 0;
}
