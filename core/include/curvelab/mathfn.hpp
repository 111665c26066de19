#pragma once
/// \file
/// Transcendental functions that give the same bits on every platform.
///
/// `std::exp` and `std::log` come from the C library, and glibc (native) and musl
/// (Emscripten) may round them differently in the last bit. Everything the simulator
/// samples goes through these instead: they use only IEEE-754 `+ - * /`, which are
/// exactly rounded everywhere (the build turns off fused multiply-add), and the exact
/// `std::frexp` / `std::ldexp`. Accuracy is within a few ulps of the true value.

namespace curvelab {

/// Natural logarithm of `x` (> 0). Returns -inf for 0 and NaN for negative input.
double det_log(double x);

/// `e` raised to `x`. Saturates to +inf above ~709.78 and to 0 below ~-745.
double det_exp(double x);

/// The standard normal distribution function, P(Z <= z), from `det_exp` (a Chebyshev
/// fit of erfc, relative error below 1.2e-7). 0 and 1 for -inf and +inf, NaN for NaN.
double det_normal_cdf(double z);

/// `e` raised to `x` for x <= 0 (the softmax's weights), about four times faster than
/// `det_exp`: a 64-entry table of 2^(j/64) and a degree-5 polynomial. Within a few ulps;
/// 0 below -745, NaN for NaN. Same bits on every platform, like `det_exp`.
double det_exp_nonpositive(double x);

}  // namespace curvelab
