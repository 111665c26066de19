#pragma once
// Command-line flags of one curvelab command: `--name value`, `--name=value`, switches
// and positionals. Every refusal is a CliError carrying the one line printed on stderr.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "curvelab/error.hpp"
#include "curvelab/limits.hpp"

namespace curvelab::cli {

/// Bad input: main prints the message on one line and exits with status 2.
class CliError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A core validation error (`field` as spelled in JSON) restated for a flag:
/// "arm_mean must be ..." becomes "--arm-mean must be ...".
CliError flag_error(const Error& error);

class Args {
 public:
  explicit Args(std::vector<std::string> tokens);

  /// True when --help or -h is present.
  bool wants_help() const;
  /// The value of `--name`, removed from the remaining tokens; a flag given twice is refused.
  std::optional<std::string> take(std::string_view name);
  /// Every value of a repeatable flag (`--param k=v --param k2=v2`).
  std::vector<std::string> take_all(std::string_view name);
  /// A switch without a value (`--with-context`); `--with-context=1` is refused.
  bool take_switch(std::string_view name);

  /// A decimal number within [lo, hi] (`inf`, `-inf` only when the range holds them);
  /// anything else (hex, spaces, `nan`, words) is refused naming the flag and the range.
  double real(std::string_view name, double fallback, double lo, double hi);
  /// A decimal integer within [lo, hi].
  int integer(std::string_view name, int fallback, int lo, int hi);
  /// A decimal number, `inf`, `-inf` or `nan`: for fields whose range the core checks
  /// (and refuses with its own message).
  double real(std::string_view name, double fallback);
  /// Any decimal integer that fits an int: for fields whose range the core checks.
  int integer(std::string_view name, int fallback);
  std::uint64_t seed(std::string_view name, std::uint64_t fallback);
  /// One of `choices`; the first is the default.
  std::string choice(std::string_view name, const std::vector<std::string>& choices);

  /// The positional arguments left once flags are taken.
  std::vector<std::string> positionals() const;
  /// Refuses any flag that no one took, any token starting with a single `-` (flags are
  /// spelled `--name`), and positional arguments beyond `max_positionals`.
  void finish(std::size_t max_positionals = 0) const;

 private:
  std::vector<std::string> tokens_;
};

/// Whether `text` is a plain decimal number: an optional sign, digits with an optional
/// point, an optional exponent. No spaces, hex, `inf` or `nan`.
bool is_decimal_number(std::string_view text);

/// The whole of file `path`, or of stdin when `path` is "-", if it holds at most
/// `max_bytes`. A missing or unreadable file, a directory, or more bytes than that is an
/// Error whose field is `what` (the flag or argument that named the file).
Expected<std::string> read_input(const std::string& path, std::string_view what,
                                 std::size_t max_bytes = kMaxInputBytes);

/// read_input with the input limit, its Error thrown as a CliError.
std::string read_file(const std::string& path, std::string_view flag);

/// Shortest round-trip decimal form of a double (`nan`, `inf` for the others).
void append_number(std::string& out, double value);

}  // namespace curvelab::cli
