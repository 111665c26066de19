#include "curvelab/error.hpp"

#include <cmath>
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

Error out_of_range(const std::string& field, double lo, double hi, double value) {
  return Error{
      field, field + " must be in [" + format_number(lo) + ", " + format_number(hi) + "], got " + format_number(value)};
}

}  // namespace curvelab
