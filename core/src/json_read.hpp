#pragma once
/// \file
/// What every JSON reader and writer of the core shares (internal to core/src): typed
/// reads that name the field they refuse, and the writers of optional values. The public
/// entry points are in curvelab/json.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "curvelab/error.hpp"
#include "curvelab/generator.hpp"
#include "curvelab/limits.hpp"
#include "curvelab/pruners.hpp"

namespace curvelab::json_read {
using nlohmann::json;

/// The largest seed JSON carries exactly: 2^53 - 1.
inline constexpr std::uint64_t kMaxSeed = (std::uint64_t{1} << 53U) - 1U;
/// The largest step (and any other 64-bit count) JSON carries exactly.
inline constexpr std::int64_t kMaxStep = kMaxExactInteger;

/// `describe_json` with its default length: what a message shows of a refused value.
std::string describe(const json& j);

/// "<field> must be <expected>, got <value>".
Error type_error(const std::string& field, const char* expected, const json& got);
/// Refuses anything but an object, naming `what`.
std::optional<Error> require_object(const json& j, const char* what);
/// "unknown field \"<key>\"<where> (expected <names>)".
Error unknown_field(const std::string& key, const std::string& where, const std::string& names);

/// A JSON number, or the strings "inf" / "+inf" / "Infinity", "-inf" / "-Infinity".
std::optional<Error> read_double(const json& j, const std::string& field, double& out);
/// An integer in int's range (a float with no fraction, below 2e9 in size, counts).
std::optional<Error> read_int(const json& j, const std::string& field, int& out);
/// An integer in [0, kMaxSeed].
std::optional<Error> read_seed(const json& j, const std::string& field, std::uint64_t& out);
/// A value: a number, null or "nan" / "NaN" (NaN), "inf" / "+inf" / "-inf".
std::optional<Error> read_value(const json& j, const std::string& field, double& out);
/// An integer in [-kMaxStep, kMaxStep].
std::optional<Error> read_int64(const json& j, const std::string& field, std::int64_t& out);
/// "auto" or an integer.
std::optional<Error> read_resource(const json& j, const std::string& field, Resource& out);

/// A pair [lo, hi] of integers (IntRange) or numbers (RealRange).
template <class Range>
std::optional<Error> read_range(const json& j, const std::string& field, Range& out) {
  if (!j.is_array() || j.size() != 2) {
    return type_error(field, "a pair [lo, hi]", j);
  }
  if constexpr (std::is_same_v<Range, IntRange>) {
    if (auto e = read_int(j[0], field + ".lo", out.lo)) {
      return e;
    }
    return read_int(j[1], field + ".hi", out.hi);
  } else {
    if (auto e = read_double(j[0], field + ".lo", out.lo)) {
      return e;
    }
    return read_double(j[1], field + ".hi", out.hi);
  }
}

/// The value, or null.
json optional_int(const std::optional<int>& v);
json optional_step(const std::optional<std::int64_t>& v);
json optional_bool(const std::optional<bool>& v);
/// `number_to_json` of the value, or null.
json optional_number(const std::optional<double>& v);

}  // namespace curvelab::json_read
