#pragma once
// The contract every reader keeps, checked by each fuzz target: a value, or an Error whose
// message is one non-empty line. Anything else aborts, and libFuzzer keeps the input.

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "curvelab/error.hpp"

namespace curvelab::fuzz {

/// Aborts unless the message is one non-empty line.
inline void check_error(const Error& error) {
  if (error.message.empty() || error.message.find('\n') != std::string::npos) {
    std::fprintf(stderr, "contract broken: message \"%s\" (field \"%s\")\n", error.message.c_str(),
                 error.field.c_str());
    std::abort();
  }
}

/// `result` is a value or a proper error.
template <class T>
bool accepted(const Expected<T>& result) {
  if (!result) {
    check_error(result.error());
    return false;
  }
  return true;
}

/// Aborts with `what` when `condition` is false.
inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "contract broken: %s\n", what);
    std::abort();
  }
}

inline std::string_view text_of(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};  // NOLINT: libFuzzer hands out bytes
}

}  // namespace curvelab::fuzz
