#include "curvelab/error.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace curvelab {

std::string format_number(double value) {
  if (std::isnan(value)) {
    return "nan";
  }
  if (std::isinf(value)) {
    return value > 0 ? "inf" : "-inf";
  }
  // The shortest form that reads back as the same double: plain decimals for everyday
  // magnitudes (100, not 1e+02), the exponent form otherwise.
  char buffer[48];
  const double magnitude = std::fabs(value);
  const bool plain = magnitude == 0.0 || (magnitude >= 1e-5 && magnitude < 1e15);
  for (int precision = plain ? 0 : 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, plain ? "%.*f" : "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) {
      return buffer;
    }
  }
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

namespace {
// Code points that change how a terminal shows the rest of the line: C1 controls,
// bidirectional marks and overrides, zero-width and other invisible formatting.
bool is_hidden_format(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x00AD || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF;
}

void append_hex(std::string& out, const char* prefix, std::uint32_t value, int digits) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%s%0*x", prefix, digits, static_cast<unsigned>(value));
  out += buffer;
}

// The length of the UTF-8 sequence at `text[i]` and its code point; 0 when invalid.
std::size_t utf8_sequence(std::string_view text, std::size_t i, std::uint32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1FU;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0FU;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07U;
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0U) != 0x80U) {
      return 0;
    }
    cp = (cp << 6U) | (byte(i + k) & 0x3FU);
  }
  const bool overlong = (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return length;
}
}  // namespace

std::string quote_value(std::string_view text) {
  std::string out = "\"";
  std::size_t shown = 0;
  std::size_t i = 0;
  while (i < text.size() && shown < kQuotedValueChars) {
    const auto c = static_cast<unsigned char>(text[i]);
    ++shown;
    if (c < 0x80) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c < 0x20 || c == 0x7F) {
        append_hex(out, "\\x", c, 2);
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t length = utf8_sequence(text, i, cp);
    if (length == 0) {
      append_hex(out, "\\x", c, 2);
      ++i;
    } else if (is_hidden_format(cp)) {
      append_hex(out, "\\u", cp, 4);
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  out += '"';
  if (i < text.size()) {
    out += "... (" + std::to_string(text.size()) + " bytes)";
  }
  return out;
}

Error out_of_range(const std::string& field, double lo, double hi, double value) {
  return Error{
      field, field + " must be in [" + format_number(lo) + ", " + format_number(hi) + "], got " + format_number(value)};
}

}  // namespace curvelab
