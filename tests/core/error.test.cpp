// Refused values as messages show them: short, quoted and escaped.

#include <catch2/catch.hpp>

#include <string>

#include "curvelab/error.hpp"

using curvelab::quote_value;

TEST_CASE("quote_value quotes a plain value as it is", "[error]") {
  CHECK(quote_value("xml") == "\"xml\"");
  CHECK(quote_value("") == "\"\"");
  CHECK(quote_value("ε 0.1 研究") == "\"ε 0.1 研究\"");
}

TEST_CASE("quote_value escapes quotes, control characters, invalid UTF-8 and bidirectional marks", "[error]") {
  CHECK(quote_value("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(quote_value("\x1b[31mred\n\t\r\x7f") == "\"\\x1b[31mred\\n\\t\\r\\x7f\"");
  CHECK(quote_value(std::string("a\0b", 3)) == "\"a\\x00b\"");
  CHECK(quote_value("\xe2\x80\xae"
                    "evil") == "\"\\u202eevil\"");  // RLO
  CHECK(quote_value("\xc2\x9b"
                    "2J") == "\"\\u009b2J\"");  // C1 CSI
  CHECK(quote_value("\xff\xfe") == "\"\\xff\\xfe\"");
  CHECK(quote_value("\xe2\x80") == "\"\\xe2\\x80\"");  // cut short
  CHECK(quote_value("\xc0\xaf") == "\"\\xc0\\xaf\"");  // overlong '/'
}

TEST_CASE("quote_value shows at most 60 characters of a long value, then its length", "[error]") {
  const std::string long_value(100000, 'x');
  CHECK(quote_value(long_value) == "\"" + std::string(60, 'x') + "\"... (100000 bytes)");
  CHECK(quote_value(std::string(60, 'y')) == "\"" + std::string(60, 'y') + "\"");
  // Characters, not bytes: a multi-byte character is never cut.
  std::string accents;
  for (int i = 0; i < 61; ++i) {
    accents += "é";
  }
  std::string shown;
  for (int i = 0; i < 60; ++i) {
    shown += "é";
  }
  CHECK(quote_value(accents) == "\"" + shown + "\"... (122 bytes)");
}
