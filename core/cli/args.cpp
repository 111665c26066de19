#include "args.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

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
    if (tokens_[i] == flag) {
      present = true;
      tokens_.erase(tokens_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  return present;
}

double Args::real(std::string_view name, double fallback, double lo, double hi) {
  const auto text = take(name);
  if (!text) {
    return fallback;
  }
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (text->empty() || end != text->c_str() + text->size()) {
    throw CliError("--" + std::string(name) + " must be a number in [" + format_number(lo) + ", " + format_number(hi) +
                   "], got \"" + *text + "\"");
  }
  if (!(value >= lo && value <= hi)) {
    throw CliError(out_of_range("--" + std::string(name), lo, hi, value).message);
  }
  return value;
}

double Args::real(std::string_view name, double fallback) {
  const auto text = take(name);
  if (!text) {
    return fallback;
  }
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (text->empty() || end != text->c_str() + text->size()) {
    throw CliError("--" + std::string(name) + " must be a number, got \"" + *text + "\"");
  }
  return value;
}

int Args::integer(std::string_view name, int fallback) {
  const auto text = take(name);
  if (!text) {
    return fallback;
  }
  int value = 0;
  const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || ptr != text->data() + text->size()) {
    throw CliError("--" + std::string(name) + " must be an integer, got \"" + *text + "\"");
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
                   std::to_string(hi) + "], got \"" + *text + "\"");
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
  constexpr std::uint64_t kMax = (std::uint64_t{1} << 53U) - 1U;
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || ptr != text->data() + text->size() || value > kMax) {
    throw CliError("--" + std::string(name) + " must be an integer in [0, 9007199254740991], got \"" + *text + "\"");
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
  throw CliError("--" + std::string(name) + " must be one of " + list + ", got \"" + *text + "\"");
}

std::vector<std::string> Args::positionals() const {
  std::vector<std::string> out;
  for (const auto& token : tokens_) {
    if (token.rfind("--", 0) != 0 || token == "-") {
      out.push_back(token);
    }
  }
  return out;
}

void Args::finish() const {
  for (const auto& token : tokens_) {
    if (token.rfind("--", 0) == 0) {
      throw CliError("unknown option " + token.substr(0, token.find('=')) + " (see --help)");
    }
  }
}

std::string read_file(const std::string& path, std::string_view flag) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw CliError(std::string(flag) + ": cannot read \"" + path + "\"");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
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
