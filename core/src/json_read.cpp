#include "json_read.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "curvelab/json.hpp"

namespace curvelab {
namespace json_read {

std::string describe(const json& j) { return describe_json(j); }

Error type_error(const std::string& field, const char* expected, const json& got) {
  return Error{field, field + " must be " + expected + ", got " + describe(got)};
}

std::optional<Error> require_object(const json& j, const char* what) {
  if (!j.is_object()) {
    return Error{what, std::string(what) + " must be a JSON object, got " + describe(j)};
  }
  return std::nullopt;
}

Error unknown_field(const std::string& key, const std::string& where, const std::string& names) {
  return Error{key, "unknown field \"" + key + "\"" + where + " (expected " + names + ")"};
}

std::optional<Error> read_double(const json& j, const std::string& field, double& out) {
  if (j.is_number()) {
    out = j.get<double>();
    return std::nullopt;
  }
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s == "inf" || s == "+inf" || s == "Infinity") {
      out = std::numeric_limits<double>::infinity();
      return std::nullopt;
    }
    if (s == "-inf" || s == "-Infinity") {
      out = -std::numeric_limits<double>::infinity();
      return std::nullopt;
    }
  }
  return type_error(field, "a number", j);
}

std::optional<Error> read_int(const json& j, const std::string& field, int& out) {
  if (j.is_number_integer() && j.get<std::int64_t>() >= std::numeric_limits<int>::min() &&
      j.get<std::int64_t>() <= std::numeric_limits<int>::max()) {
    out = j.get<int>();
    return std::nullopt;
  }
  if (j.is_number_float() && std::floor(j.get<double>()) == j.get<double>() && std::abs(j.get<double>()) < 2e9) {
    out = static_cast<int>(j.get<double>());
    return std::nullopt;
  }
  return type_error(field, "an integer", j);
}

std::optional<Error> read_seed(const json& j, const std::string& field, std::uint64_t& out) {
  if (j.is_number_unsigned() && j.get<std::uint64_t>() <= kMaxSeed) {
    out = j.get<std::uint64_t>();
    return std::nullopt;
  }
  if (j.is_number_integer() && j.get<std::int64_t>() >= 0) {
    out = static_cast<std::uint64_t>(j.get<std::int64_t>());
    if (out <= kMaxSeed) {
      return std::nullopt;
    }
  }
  return type_error(field, "an integer in [0, 2^53 - 1]", j);
}

std::optional<Error> read_value(const json& j, const std::string& field, double& out) {
  if (j.is_null() || (j.is_string() && (j == "nan" || j == "NaN"))) {
    out = std::numeric_limits<double>::quiet_NaN();
    return std::nullopt;
  }
  if (!read_double(j, field, out)) {
    return std::nullopt;
  }
  return type_error(field, "a number, null (NaN), \"inf\" or \"-inf\"", j);
}

std::optional<Error> read_int64(const json& j, const std::string& field, std::int64_t& out) {
  if (j.is_number_unsigned()) {
    if (j.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxStep)) {
      out = static_cast<std::int64_t>(j.get<std::uint64_t>());
      return std::nullopt;
    }
  } else if (j.is_number_integer() && is_exact_integer(j.get<std::int64_t>())) {
    // Built from flags or bindings an integer is signed: the same limit applies.
    out = j.get<std::int64_t>();
    return std::nullopt;
  }
  return exact_integer_error(field, describe(j));
}

std::optional<Error> read_resource(const json& j, const std::string& field, Resource& out) {
  if (j.is_string() && j.get_ref<const std::string&>() == "auto") {
    out = Resource{true, 0};
    return std::nullopt;
  }
  if (j.is_number_integer()) {
    std::int64_t v = 0;
    if (auto e = read_int64(j, field, v)) {
      return e;
    }
    out = Resource{false, v};
    return std::nullopt;
  }
  return type_error(field, "\"auto\" or an integer", j);
}

json optional_int(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }
json optional_step(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }
json optional_bool(const std::optional<bool>& v) { return v ? json(*v) : json(nullptr); }
json optional_number(const std::optional<double>& v) { return v ? number_to_json(*v) : json(nullptr); }

}  // namespace json_read

using nlohmann::json;

json number_to_json(double value) {
  if (std::isnan(value)) {
    return nullptr;
  }
  if (std::isinf(value)) {
    return value > 0 ? "inf" : "-inf";
  }
  return value;
}

std::string describe_json(const json& j, std::size_t max_chars) {
  std::string out;
  // A string is cut before it is escaped, so a long one costs no more than a short one.
  const auto quoted = [&out, max_chars](const std::string& text) {
    out += json(text.substr(0, max_chars + 1)).dump(-1, ' ', false, json::error_handler_t::replace);
  };
  struct Frame {
    const json* node;
    json::const_iterator next;
  };
  std::vector<Frame> stack;
  const auto open = [&](const json& v) {
    if (v.is_object() || v.is_array()) {
      out += v.is_object() ? '{' : '[';
      stack.push_back({&v, v.cbegin()});
    } else if (v.is_string()) {
      quoted(v.get_ref<const std::string&>());
    } else {
      out += v.dump();
    }
  };
  open(j);
  while (!stack.empty() && out.size() <= max_chars) {
    const json* node = stack.back().node;
    if (stack.back().next == node->cend()) {
      out += node->is_object() ? '}' : ']';
      stack.pop_back();
      continue;
    }
    if (stack.back().next != node->cbegin()) {
      out += ',';
    }
    const json::const_iterator it = stack.back().next++;
    if (node->is_object()) {
      quoted(it.key());
      out += ':';
    }
    open(*it);
  }
  if (out.size() > max_chars) {
    std::size_t cut = max_chars > 3 ? max_chars - 3 : 0;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0U) == 0x80U) {
      --cut;  // not inside a UTF-8 sequence
    }
    out = out.substr(0, cut) + "...";
  }
  return out;
}

Expected<json> parse_json_text(std::string_view text) {
  if (text.size() > kMaxInputBytes) {
    return Error{"json", "the JSON text is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                             std::to_string(kMaxInputBytes) + " (" + std::to_string(kMaxInputBytes >> 20) + " MiB)"};
  }
  // One pass before parsing: a NUL would end nlohmann's parse silently, and depth is
  // bounded here so that no later recursive walk of the value can overflow the stack.
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\0') {
      return Error{"json", "not valid JSON: a NUL byte at byte " + std::to_string(i)};
    }
    if (in_string) {
      if (c == '\\') {
        ++i;
        if (i < text.size() && text[i] == '\0') {
          return Error{"json", "not valid JSON: a NUL byte at byte " + std::to_string(i)};
        }
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        return Error{"json", "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels at byte " +
                                 std::to_string(i)};
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Error{"json", "not valid JSON" + std::string(text.empty() ? " (the input is empty)" : "")};
  }
  return j;
}

}  // namespace curvelab
