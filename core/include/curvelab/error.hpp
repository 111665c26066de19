#pragma once
/// \file
/// Errors as values. The core validates input once, at its edges, and reports the
/// field, the allowed range and what it got, never by throwing (the WebAssembly build
/// runs without exceptions).

#include <optional>
#include <string>
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
