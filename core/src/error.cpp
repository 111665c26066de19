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
  // The shortest %g form that reads back as the same double.
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) {
      break;
    }
  }
  return buffer;
}

Error out_of_range(const std::string& field, double lo, double hi, double value) {
  return Error{field, field + " must be in [" + format_number(lo) + ", " + format_number(hi) + "], got " +
                          format_number(value)};
}

}  // namespace curvelab
