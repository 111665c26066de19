#pragma once
/// \file
/// A learning-curve model: fitted to a prefix of a curve, it predicts the rest, with
/// uncertainty.
///
/// The model is a Bayesian average over parametric families of the kind Domhan,
/// Springenberg and Hutter (IJCAI 2015) use for learning curves. Each family is
/// `f(x) = c - a * g(x; theta)`: linear in the level `c` and the gain `a`, with one or two
/// shape parameters `theta`. For every shape on a fixed grid (plus a refined best shape
/// per family) the linear part is solved exactly as a Gaussian linear model, whose
/// evidence weighs the shape against all the others; the forecast is the resulting
/// mixture of Gaussians. Nothing is sampled, so a fit is deterministic, and it uses only
/// `+ - * /`, `sqrt` and the core's own `det_exp` / `det_log`: the same bits natively and
/// in WebAssembly.
///
/// The fit works on bin means (the prefix averaged into at most `max_bins` bins), so its
/// cost does not grow with the length of the prefix beyond one pass over it.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "curvelab/error.hpp"

namespace curvelab {

/// The parametric families, in `x` (the step, from 1), with `c` the level reached as `x`
/// grows and `a` the gain still to come.
enum class CurveFamily {
  Constant,  ///< `c`: a curve that does not move
  Exp3,      ///< `c - a exp(-b x)`
  Pow3,      ///< `c - a x^-alpha`
  Ilog2,     ///< `c - a / ln(x + 1)`: slow, logarithmic progress
  Weibull,   ///< `c - a exp(-(k x)^d)` (also Janoschek's)
  Mmf,       ///< Morgan-Mercer-Flodin, `c - a / (1 + (k x)^d)` (also the log-power family)
};

inline constexpr CurveFamily kAllCurveFamilies[] = {CurveFamily::Constant, CurveFamily::Exp3,    CurveFamily::Pow3,
                                                    CurveFamily::Ilog2,    CurveFamily::Weibull, CurveFamily::Mmf};

/// `constant`, `exp3`, `pow3`, `ilog2`, `weibull`, `mmf`.
std::string_view curve_family_name(CurveFamily family);
std::optional<CurveFamily> parse_curve_family(std::string_view name);

/// How a curve is fitted.
struct CurveModelOptions {
  /// The families averaged over; empty means all of them.
  std::vector<CurveFamily> families;
  /// The prefix is averaged into at most this many bins of consecutive values, [4, 400].
  int max_bins = 40;
  /// Humility, set once on the simulator's reward curves (the coverage test in
  /// tests/core/curve_model.test.cpp pins it): the families only approximate a bandit's
  /// curve, so the noise variance behind a forecast at `x` is multiplied by
  /// `inflation + extrapolation_spread * max(0, x / last_x - 1)`: more the farther it
  /// reaches past the data. `inflation` >= 1, `extrapolation_spread` >= 0.
  double inflation = 1.6;
  double extrapolation_spread = 0.15;
};

/// Fewest finite values a fit needs.
inline constexpr int kMinCurveValues = 8;

/// One Gaussian of a forecast mixture.
struct ForecastComponent {
  double weight = 0.0;  ///< > 0; the weights of a forecast sum to 1
  double mean = 0.0;
  double sd = 0.0;  ///< >= 0
};

/// A predictive distribution of one quantity (a value of the noise-free curve, or its mean
/// over a range of steps): a mixture of Gaussians.
struct Forecast {
  std::vector<ForecastComponent> components;

  double mean() const;
  double sd() const;
  /// P(quantity <= x).
  double cdf(double x) const;
  /// The `q`-quantile, q in (0, 1) (by bisection on the cdf, to ~1e-12 of the spread).
  double quantile(double q) const;
};

/// The best fit of one family (its most probable shape, refined) and the family's share
/// of the posterior.
struct FamilyFit {
  CurveFamily family = CurveFamily::Constant;
  double weight = 0.0;  ///< posterior probability of the family, all its shapes together
  double c = 0.0;       ///< the level
  double a = 0.0;       ///< the gain (0 for Constant)
  /// Shape in steps: Exp3 {b}, Pow3 {alpha}, Weibull and Mmf {k, d}; unused entries 0.
  std::array<double, 2> shape{0.0, 0.0};
  double rms = 0.0;  ///< root mean square residual of the bin means
};

/// A fitted curve model.
class CurveModel {
 public:
  /// The families' best fits, most probable first.
  const std::vector<FamilyFit>& families() const { return families_; }
  /// The noise standard deviation of one value, as estimated from the fit.
  double noise_sd() const { return noise_sd_; }
  /// The last step (x) of the prefix the model was fitted to.
  double last_x() const { return last_x_; }
  /// How many finite values it was fitted to.
  int values_used() const { return values_used_; }

  /// The noise-free curve at step `x` (>= 1).
  Forecast at(double x) const;
  /// The mean of the noise-free curve over the steps `first..last` (1 <= first <= last),
  /// taken at `points` evenly spaced steps (2..64).
  Forecast mean_over(double first, double last, int points = 8) const;
  /// The final performance of a run of `horizon` steps: the mean over its last
  /// `final_fraction` (in (0, 1]) of steps, as ground truth defines it.
  Forecast final_performance(double horizon, double final_fraction = 0.10) const;
  /// The most probable value of the noise-free curve at `x` (the mixture's mean).
  double mean_at(double x) const;

  // One candidate shape with the posterior of its linear part (kept for forecasts).
  struct Candidate {
    CurveFamily family = CurveFamily::Constant;
    double theta1 = 0.0;  ///< shape in units of the prefix length
    double theta2 = 0.0;
    double weight = 0.0;
    std::array<double, 2> mean{0.0, 0.0};      ///< posterior mean of (c, a)
    std::array<double, 3> cov{0.0, 0.0, 0.0};  ///< posterior covariance (cc, ca, aa), per unit noise
  };

 private:
  friend Expected<CurveModel> fit_curve(std::span<const double>, std::span<const double>, const CurveModelOptions&);
  Forecast combine(std::span<const double> xs) const;

  std::vector<Candidate> candidates_;
  std::vector<FamilyFit> families_;
  double noise_var_ = 0.0;  // of one value
  double noise_sd_ = 0.0;
  double last_x_ = 1.0;
  double offset_ = 0.0;  // the prefix's mean: candidates are fitted to centred values
  double spread_ = 0.15;
  double inflation_ = 1.6;
  int values_used_ = 0;
};

/// Fits the model to `values` at steps `steps` (increasing, >= 1; empty means 1, 2, 3, ...).
/// Non-finite values are skipped. An error when fewer than `kMinCurveValues` finite values
/// remain, when steps and values differ in length, or steps are not increasing from >= 1.
Expected<CurveModel> fit_curve(std::span<const double> values, std::span<const double> steps = {},
                               const CurveModelOptions& options = {});

/// The first problem with `options`.
std::optional<Error> validate(const CurveModelOptions& options);

}  // namespace curvelab
