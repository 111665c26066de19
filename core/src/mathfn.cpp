#include "curvelab/mathfn.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "mathfn_detail.hpp"

namespace curvelab {
namespace {
using mathfn_detail::kInvLn2;
using mathfn_detail::kLn2Hi;
using mathfn_detail::kLn2Lo;
constexpr double kSqrtHalf = 0.70710678118654752440;
}  // namespace

double det_log(double x) {
  if (std::isnan(x) || x < 0.0) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (x == 0.0) {
    return -std::numeric_limits<double>::infinity();
  }
  if (std::isinf(x)) {
    return x;
  }
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
  if (m < kSqrtHalf) {
    m *= 2.0;
    e -= 1;
  }
  // log(m) = 2 atanh(s) with s = (m - 1) / (m + 1), |s| <= 0.1716: the odd series
  // converges to below one ulp within eleven terms.
  const double s = (m - 1.0) / (m + 1.0);
  const double z = s * s;
  constexpr double kOddInverse[12] = {1.0,      1.0 / 3,  1.0 / 5,  1.0 / 7,  1.0 / 9,  1.0 / 11,
                                      1.0 / 13, 1.0 / 15, 1.0 / 17, 1.0 / 19, 1.0 / 21, 1.0 / 23};
  double series = kOddInverse[11];
  for (int k = 10; k >= 0; --k) {
    series = kOddInverse[k] + z * series;
  }
  const double log_m = 2.0 * s * series;
  const double de = static_cast<double>(e);
  return de * kLn2Hi + (de * kLn2Lo + log_m);
}

double det_exp(double x) {
  if (std::isnan(x)) {
    return x;
  }
  if (x > 709.782712893384) {
    return std::numeric_limits<double>::infinity();
  }
  if (x < -745.2) {
    return 0.0;
  }
  // x = k ln2 + r with |r| <= ln2 / 2; exp(r) by its Taylor series (degree 14 is
  // below one ulp there), then scaled exactly by 2^k.
  const double k = std::floor(x * kInvLn2 + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  // Horner's form of sum r^n / n!, with the 1/n factors as exact-rounded constants.
  constexpr double kInverse[15] = {0.0,     1.0,     1.0 / 2,  1.0 / 3,  1.0 / 4,  1.0 / 5,  1.0 / 6, 1.0 / 7,
                                   1.0 / 8, 1.0 / 9, 1.0 / 10, 1.0 / 11, 1.0 / 12, 1.0 / 13, 1.0 / 14};
  double poly = 1.0;
  for (int n = 14; n >= 1; --n) {
    poly = 1.0 + poly * r * kInverse[n];
  }
  // Scale by 2^k: exactly, with the exponent bits when 2^k is a normal number.
  const int exponent = static_cast<int>(k);
  if (exponent > -1022 && exponent < 1023) {
    const std::uint64_t bits = static_cast<std::uint64_t>(exponent + 1023) << 52U;
    double scale = 0.0;
    std::memcpy(&scale, &bits, sizeof scale);  // std::bit_cast is missing from Emscripten 3.1.6's libc++
    return poly * scale;
  }
  return std::ldexp(poly, exponent);
}

double det_normal_cdf(double z) {
  if (std::isnan(z)) {
    return z;
  }
  // erfc(|x|) with x = z / sqrt(2), by Numerical Recipes' Chebyshev fit (erfcc).
  const double x = std::fabs(z) * 0.70710678118654752440;
  const double t = 1.0 / (1.0 + 0.5 * x);
  const double poly =
      -1.26551223 +
      t * (1.00002368 +
           t * (0.37409196 +
                t * (0.09678418 +
                     t * (-0.18628806 +
                          t * (0.27886807 +
                               t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const double erfc_x = t * det_exp(-x * x + poly);
  return z >= 0.0 ? 1.0 - 0.5 * erfc_x : 0.5 * erfc_x;
}

namespace {
// 2^(j/64) for j = 0..63, from det_exp itself so that the table is the same everywhere.
std::array<double, 64> make_powers() {
  std::array<double, 64> t{};
  for (int j = 0; j < 64; ++j) {
    t[static_cast<std::size_t>(j)] = det_exp(static_cast<double>(j) * (kLn2Hi + kLn2Lo) / 64.0);
  }
  return t;
}
const std::array<double, 64> kPowers = make_powers();
}  // namespace

const double* mathfn_detail::exp_nonpositive_powers() { return kPowers.data(); }

double det_exp_nonpositive(double x) {
  if (std::isnan(x)) {
    return x;
  }
  if (x < -745.0) {
    return 0.0;
  }
  // x = (64 m + j) ln2 / 64 + r with |r| <= ln2 / 128: exp(x) = 2^m 2^(j/64) exp(r).
  const double n = std::floor(x * (64.0 * kInvLn2) + 0.5);
  const auto whole = static_cast<int>(n);
  const int j = whole & 63;
  const int m = (whole - j) / 64;
  // m * kLn2Hi and j * kLn2Hi / 64 are exact (|m| < 2^11, j < 64), as in det_exp.
  const double dm = static_cast<double>(m);
  const double dj = static_cast<double>(j);
  const double r = ((x - dm * kLn2Hi) - dj * (kLn2Hi / 64.0)) - (dm * kLn2Lo + dj * (kLn2Lo / 64.0));
  // exp(r) to degree 5: the remainder r^6 / 720 is below 2^-52 for |r| <= 0.0055.
  const double poly = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
  const double scaled = kPowers[static_cast<std::size_t>(j)] * poly;
  if (m > -1022) {
    const std::uint64_t bits = static_cast<std::uint64_t>(m + 1023) << 52U;
    double scale = 0.0;
    std::memcpy(&scale, &bits, sizeof scale);
    return scaled * scale;
  }
  return std::ldexp(scaled, m);
}

}  // namespace curvelab
