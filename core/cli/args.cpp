#include "args.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace curvelab::cli {

CliError flag_error(const Error& error) {
  std::string flag = error.field;
  for (char& c : flag) {
    if (c == '_') {
      c = '-';
    }
  }
  std::string message = error.message;
  if (message.rfind(error.field, 0) == 0) {
    message = "--" + flag + message.substr(error.field.size());
  }
  return CliError(message);
}

Args::Args(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

bool Args::wants_help() const {
  for (const auto& token : tokens_) {
    if (token == "--help" || token == "-h") {
      return true;
    }
  }
  return false;
}

std::optional<std::string> Args::take(std::string_view name) {
  const std::string flag = "--" + std::string(name);
  std::optional<std::string> value;
  for (std::size_t i = 0; i < tokens_.size();) {
    const std::string& token = tokens_[i];
    std::size_t consumed = 0;
    std::string found;
    if (token == flag) {
      if (i + 1 >= tokens_.size()) {
        throw CliError(flag + " needs a value");
      }
      found = tokens_[i + 1];
      consumed = 2;
    } else if (token.rfind(flag + "=", 0) == 0) {
      found = token.substr(flag.size() + 1);
      consumed = 1;
    }
    if (consumed == 0) {
      ++i;
      continue;
    }
    if (value) {
      throw CliError(flag + " is given twice");
    }
    value = found;
    tokens_.erase(tokens_.begin() + static_cast<std::ptrdiff_t>(i),
                  tokens_.begin() + static_cast<std::ptrdiff_t>(i + consumed));
  }
  return value;
}

std::vector<std::string> Args::take_all(std::string_view name) {
  const std::string flag = "--" + std::string(name);
  std::vector<std::string> values;
  for (std::size_t i = 0; i < tokens_.size();) {
    if (tokens_[i] == flag) {
      if (i + 1 >= tokens_.size()) {
        throw CliError(flag + " needs a value");
      }
      values.push_back(tokens_[i + 1]);
      tokens_.erase(tokens_.begin() + static_cast<std::ptrdiff_t>(i),
                    tokens_.begin() + static_cast<std::ptrdiff_t>(i + 2));
    } else if (tokens_[i].rfind(flag + "=", 0) == 0) {
      values.push_back(tokens_[i].substr(flag.size() + 1));
      tokens_.erase(tokens_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  return values;
}

bool Args::take_switch(std::string_view name) {
  const std::string flag = "--" + std::string(name);
  bool present = false;
  for (std::size_t i = 0; i < tokens_.size();) {
    if (tokens_[i].rfind(flag + "=", 0) == 0) {
      throw CliError(flag + " is a switch and takes no value, got " + quote_value(tokens_[i]));
    }
    if (tokens_[i] == flag) {
      present = true;
      tokens_.erase(tokens_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  return present;
}

namespace {
std::string range_text(double lo, double hi) { return "[" + format_number(lo) + ", " + format_number(hi) + "]"; }

// A decimal number or, when `non_finite`, inf / -inf / nan spelled plainly.
std::optional<double> parse_real(const std::string& text, bool non_finite) {
  if (non_finite) {
    if (text == "inf" || text == "+inf") {
      return std::numeric_limits<double>::infinity();
    }
    if (text == "-inf") {
      return -std::numeric_limits<double>::infinity();
    }
    if (text == "nan") {
      return std::numeric_limits<double>::quiet_NaN();
    }
  }
  if (!is_decimal_number(text)) {
    return std::nullopt;
  }
  return std::strtod(text.c_str(), nullptr);  // may overflow to +-inf: the range decides
}
}  // namespace

bool is_decimal_number(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&]() {
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      ++i;
    }
    return i - start;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    ++i;
  }
  std::size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) {
    return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      ++i;
    }
    if (digits() == 0) {
      return false;
    }
  }
  return i == text.size();
}

double Args::real(std::string_view name, double fallback, double lo, double hi) {
  const auto text = take(name);
  if (!text) {
    return fallback;
  }
  const std::string flag = "--" + std::string(name);
  const auto value = parse_real(*text, std::isinf(lo) || std::isinf(hi));
  if (!value) {
    throw CliError(flag + " must be a number in " + range_text(lo, hi) + ", got " + quote_value(*text));
  }
  if (!(*value >= lo && *value <= hi)) {
    throw CliError(out_of_range(flag, lo, hi, *value).message);
  }
  return *value;
}

double Args::real(std::string_view name, double fallback) {
  const auto text = take(name);
  if (!text) {
    return fallback;
  }
  const auto value = parse_real(*text, true);
  if (!value) {
    throw CliError("--" + std::string(name) + " must be a number, got " + quote_value(*text));
  }
  return *value;
}

int Args::integer(std::string_view name, int fallback) {
  const auto text = take(name);
  if (!text) {
    return fallback;
  }
  int value = 0;
  const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || ptr != text->data() + text->size()) {
    throw CliError("--" + std::string(name) + " must be an integer, got " + quote_value(*text));
  }
  return value;
}

int Args::integer(std::string_view name, int fallback, int lo, int hi) {
  const auto text = take(name);
  if (!text) {
    return fallback;
  }
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || ptr != text->data() + text->size()) {
    throw CliError("--" + std::string(name) + " must be an integer in [" + std::to_string(lo) + ", " +
                   std::to_string(hi) + "], got " + quote_value(*text));
  }
  if (value < lo || value > hi) {
    throw CliError("--" + std::string(name) + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                   "], got " + std::to_string(value));
  }
  return static_cast<int>(value);
}

std::uint64_t Args::seed(std::string_view name, std::uint64_t fallback) {
  const auto text = take(name);
  if (!text) {
    return fallback;
  }
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || ptr != text->data() + text->size() ||
      value > static_cast<std::uint64_t>(kMaxExactInteger)) {
    throw CliError("--" + std::string(name) + " must be an integer in [0, 2^53 - 1], got " + quote_value(*text));
  }
  return value;
}

std::string Args::choice(std::string_view name, const std::vector<std::string>& choices) {
  const auto text = take(name);
  if (!text) {
    return choices.front();
  }
  for (const auto& c : choices) {
    if (*text == c) {
      return c;
    }
  }
  std::string list;
  for (const auto& c : choices) {
    list += (list.empty() ? "" : ", ") + c;
  }
  throw CliError("--" + std::string(name) + " must be one of " + list + ", got " + quote_value(*text));
}

std::vector<std::string> Args::positionals() const {
  std::vector<std::string> out;
  for (const auto& token : tokens_) {
    if (token.empty() || token[0] != '-' || token == "-") {
      out.push_back(token);
    }
  }
  return out;
}

void Args::finish(std::size_t max_positionals) const {
  std::size_t positional = 0;
  for (const auto& token : tokens_) {
    if (token.rfind("--", 0) == 0) {
      throw CliError("unknown option " + quote_value(token.substr(0, token.find('='))) + " (see --help)");
    }
    if (token.size() > 1 && token[0] == '-') {
      throw CliError("unknown option " + quote_value(token) + " (options are spelled --name; see --help)");
    }
    if (++positional > max_positionals) {
      throw CliError("unexpected argument " + quote_value(token) +
                     (max_positionals == 0 ? std::string(" (this command takes only options; see --help)")
                                           : std::string(" (see --help)")));
    }
  }
}

Expected<std::string> read_input(const std::string& path, std::string_view what, std::size_t max_bytes) {
  const std::string field(what);
  const bool from_stdin = path == "-";
  const std::string name = from_stdin ? std::string("stdin") : quote_value(path);
  int fd = 0;
  if (!from_stdin) {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
      return Error{field, field + ": cannot read " + name};
    }
  }
  struct Closer {
    int fd;
    bool owned;
    ~Closer() {
      if (owned) {
        ::close(fd);
      }
    }
  } closer{fd, !from_stdin};
  struct stat info {};
  if (::fstat(fd, &info) == 0) {
    if (S_ISDIR(info.st_mode)) {
      return Error{field, field + ": " + name + " is a directory, not a file"};
    }
    if (S_ISREG(info.st_mode) && static_cast<std::uint64_t>(info.st_size) > max_bytes) {
      return Error{field, field + ": " + name + " is larger than the input limit of " + std::to_string(max_bytes) +
                              " bytes (" + std::to_string(info.st_size) + " bytes)"};
    }
  }
  if (!from_stdin) {
    // Opened without blocking (a FIFO with no writer would hang the open); read blocking.
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) {
      ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    }
  }
  std::string data;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Error{field, field + ": cannot read " + name};
    }
    if (got == 0) {
      break;
    }
    if (data.size() + static_cast<std::size_t>(got) > max_bytes) {
      return Error{field,
                   field + ": " + name + " is larger than the input limit of " + std::to_string(max_bytes) + " bytes"};
    }
    data.append(buffer, static_cast<std::size_t>(got));
  }
  return data;
}

std::string read_file(const std::string& path, std::string_view flag) {
  auto data = read_input(path, flag);
  if (!data) {
    throw CliError(data.error().message);
  }
  return std::move(data.value());
}

void append_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += format_number(value);
    return;
  }
  char buffer[32];
  const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, ptr);
}

}  // namespace curvelab::cli
