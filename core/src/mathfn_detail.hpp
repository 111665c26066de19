#pragma once
/// \file
/// What `det_exp_nonpositive` (mathfn.cpp) and its lane version (lane_batch.hpp) share,
/// so that the two do the same operations on the same constants.

namespace curvelab::mathfn_detail {

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11 (fdlibm's constants).
inline constexpr double kLn2Hi = 6.93147180369123816490e-01;
inline constexpr double kLn2Lo = 1.90821492927058770002e-10;
inline constexpr double kInvLn2 = 1.44269504088896338700e+00;

/// 2^(j/64) for j = 0..63, the table of `det_exp_nonpositive`.
const double* exp_nonpositive_powers();

}  // namespace curvelab::mathfn_detail
