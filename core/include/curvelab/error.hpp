#pragma once
/// \file
/// Errors as values. The core validates input once, at its edges, and reports the
/// field, the allowed range and what it got, never by throwing (the WebAssembly build
/// runs without exceptions).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace curvelab {

/// One refused input: which field, and a sentence a person can act on.
struct Error {
  std::string field;    ///< the field as spelled in JSON (`epsilon`, `arm_spread`, `ranges.noise`)
  std::string message;  ///< the whole sentence, starting with the field: "epsilon must be in [0, 1], got 1.5"
};

/// "`field` must be in [lo, hi], got `value`", with numbers printed as a person writes them.
Error out_of_range(const std::string& field, double lo, double hi, double value);

/// A number as a person writes it: shortest round-trip form, `nan`, `inf`.
std::string format_number(double value);

/// How many characters of a refused value a message shows.
inline constexpr std::size_t kQuotedValueChars = 60;

/// A refused value as a message shows it: in double quotes, at most kQuotedValueChars
/// characters (then `...` and the full length), with quotes, backslashes, control
/// characters, invalid UTF-8 and bidirectional or invisible formatting characters
/// escaped (`\x1b`, `\u202e`), so that no value can flood or garble the one line.
std::string quote_value(std::string_view text);

/// A value or the error that prevented it.
template <class T>
class Expected {
 public:
  Expected(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Expected(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(data_); }
  T& value() & { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

}  // namespace curvelab
