#pragma once
/// \file
/// The limits every input shares, so that a flag, a study file and the page refuse the
/// same values with the same words.

#include <cstddef>
#include <cstdint>
#include <string>

#include "curvelab/error.hpp"

namespace curvelab {

/// The largest magnitude of an integer parameter or step, in study JSON and in flags:
/// 2^53 - 1, the largest integer a JSON number (an IEEE double) holds exactly, so that
/// every study the tool writes reads back unchanged, in C++ and in JavaScript.
inline constexpr std::int64_t kMaxExactInteger = (std::int64_t{1} << 53) - 1;

/// How the range of kMaxExactInteger is written in messages.
inline constexpr const char* kExactIntegerRange = "[-(2^53 - 1), 2^53 - 1]";

/// Whether `value` is within [-kMaxExactInteger, kMaxExactInteger].
constexpr bool is_exact_integer(std::int64_t value) { return value >= -kMaxExactInteger && value <= kMaxExactInteger; }

/// The one message for an integer outside kExactIntegerRange (or not an integer at all):
/// "`field` must be an integer in [-(2^53 - 1), 2^53 - 1], got `got`".
inline Error exact_integer_error(const std::string& field, const std::string& got) {
  return Error{field, field + " must be an integer in " + kExactIntegerRange + ", got " + got};
}

/// The most bytes read from one input file or from stdin (64 MiB): more is refused before
/// it is parsed. Parsed JSON takes up to about 20 times its text (a million-trial study of
/// 49 MB peaks at 1.9 GB), so this keeps a read within the memory budget below. A study
/// exported by the page (20 runs of 100,000 steps) is about 40 MB.
inline constexpr std::size_t kMaxInputBytes = std::size_t{64} << 20U;

/// The memory a single command may plan to allocate for its data (2 GiB): a request
/// whose estimate is larger is refused before anything is allocated.
inline constexpr std::size_t kMemoryBudgetBytes = std::size_t{2} << 30U;

}  // namespace curvelab
