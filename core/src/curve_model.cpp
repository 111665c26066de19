#include "curvelab/curve_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "curvelab/mathfn.hpp"

namespace curvelab {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// How much narrower the first bins are than the last (see the binning below).
constexpr double kBinBend = 1.0;
// The largest lag-one autocorrelation of residuals believed (see the noise estimate).
constexpr double kMaxRho = 0.9;
// The most points a bent bin's shape is averaged over (see the binning below).
constexpr int kMaxBinPoints = 32;

// A bin of consecutive values: where it sits (as a share of the prefix) and its mean.
struct Bin {
  double s = 0.0;      // mean step / last step, in (0, 1]
  double log_s = 0.0;  // det_log(s)
  double x = 0.0;      // mean step
  double y = 0.0;      // mean value, centred on the prefix's mean
  double n = 0.0;      // values in the bin
  // A bin whose last step is more than twice its first (the start of a curve) is too
  // bent for its mean step: its shape is averaged over its points, points[first, last),
  // each weighted by the values it stands for.
  std::size_t first = 0;
  std::size_t last = 0;
};

// A step of an averaged bin (or the mean step of a run of its steps), and how many values
// it stands for.
struct Point {
  double s = 0.0;
  double log_s = 0.0;
  double x = 0.0;
  double w = 1.0;
};

// The points a bent bin's shape is averaged over, from its steps `xs`: every step, or for
// more than kMaxBinPoints steps, runs of consecutive steps whose ends grow geometrically,
// each at its mean step and weighted by its length. The cost of a fit then stays the same
// however long the prefix, and a prefix of up to about 2,000 values (whose bent bins hold
// at most kMaxBinPoints steps) is fitted exactly as before.
void add_points(std::span<const double> xs, double last_x, std::vector<Point>& points) {
  const auto point = [&](double x, double w) { points.push_back(Point{x / last_x, det_log(x / last_x), x, w}); };
  if (xs.size() <= static_cast<std::size_t>(kMaxBinPoints)) {
    for (const double x : xs) {
      point(x, 1.0);
    }
    return;
  }
  const double log_ratio = det_log(xs.back() / xs.front()) / kMaxBinPoints;
  std::size_t i = 0;
  for (int run = 1; run <= kMaxBinPoints && i < xs.size(); ++run) {
    const double end = run == kMaxBinPoints ? kInf : xs.front() * det_exp(log_ratio * run);
    double sum = 0.0;
    std::size_t count = 0;
    while (i < xs.size() && (count == 0 || xs[i] <= end)) {
      sum += xs[i];
      ++count;
      ++i;
    }
    point(sum / static_cast<double>(count), static_cast<double>(count));
  }
}

// The shape function g of `family` at a bin or at a step: f = c - a g. `log_theta1` is
// det_log(theta1), computed once per shape rather than once per point.
double shape_value(CurveFamily family, double theta1, double theta2, double log_theta1, double s, double log_s,
                   double x) {
  switch (family) {
    case CurveFamily::Constant:
      return 0.0;
    case CurveFamily::Exp3:
      return det_exp(-theta1 * s);
    case CurveFamily::Pow3:
      return det_exp(-theta1 * log_s);
    case CurveFamily::Ilog2:
      return 1.0 / det_log(x + 1.0);
    case CurveFamily::Weibull:
      return det_exp(-det_exp(theta2 * (log_theta1 + log_s)));
    case CurveFamily::Mmf:
      return 1.0 / (1.0 + det_exp(theta2 * (log_theta1 + log_s)));
  }
  return 0.0;
}

int shape_count(CurveFamily family) {
  switch (family) {
    case CurveFamily::Constant:
    case CurveFamily::Ilog2:
      return 0;
    case CurveFamily::Exp3:
    case CurveFamily::Pow3:
      return 1;
    case CurveFamily::Weibull:
    case CurveFamily::Mmf:
      return 2;
  }
  return 0;
}

// Geometric grid of `count` points from lo to hi.
std::vector<double> geometric(double lo, double hi, int count) {
  std::vector<double> out;
  const double ratio = det_exp((det_log(hi) - det_log(lo)) / (count - 1));
  double v = lo;
  for (int i = 0; i < count; ++i) {
    out.push_back(v);
    v *= ratio;
  }
  return out;
}

// The shape grids, in units of the prefix length (s in (0, 1]): rates from "rises over
// twenty prefixes" to "rises within the first half-percent".
struct Grids {
  std::vector<double> rate = geometric(0.05, 200.0, 24);
  std::vector<double> power = geometric(0.02, 4.0, 20);
  std::vector<double> scale = geometric(0.1, 100.0, 10);
  std::vector<double> exponent{0.4, 0.7, 1.4, 2.0, 3.0, 4.5};
};
const Grids& grids() {
  static const Grids g;
  return g;
}

// The sufficient statistics of one shape over the bins: f = c - a g fitted to centred y.
struct Sums {
  double s0 = 0.0;   // sum n
  double s1 = 0.0;   // sum n g
  double s2 = 0.0;   // sum n g^2
  double sgy = 0.0;  // sum n g y
};

// The shape at a bin: at its mean step, or averaged over its points.
double bin_shape(CurveFamily family, double theta1, double theta2, double log_theta1, const Bin& b,
                 std::span<const Point> points) {
  if (b.last == b.first) {
    return shape_value(family, theta1, theta2, log_theta1, b.s, b.log_s, b.x);
  }
  double g = 0.0;
  for (std::size_t i = b.first; i < b.last; ++i) {
    g += points[i].w * shape_value(family, theta1, theta2, log_theta1, points[i].s, points[i].log_s, points[i].x);
  }
  return g / b.n;
}

Sums sums_of(CurveFamily family, double theta1, double theta2, std::span<const Bin> bins,
             std::span<const Point> points) {
  Sums s;
  const double log_theta1 = theta1 > 0.0 ? det_log(theta1) : 0.0;
  for (const Bin& b : bins) {
    const double g = bin_shape(family, theta1, theta2, log_theta1, b, points);
    s.s0 += b.n;
    s.s1 += b.n * g;
    s.s2 += b.n * g * g;
    s.sgy += b.n * g * b.y;
  }
  return s;
}

// The Gaussian linear model of one shape: posterior mean and covariance (per unit noise),
// weighted squared error, and log evidence at a noise variance (constants common to all
// candidates of the same data dropped).
struct Solved {
  std::array<double, 2> mean{0.0, 0.0};
  std::array<double, 3> cov{0.0, 0.0, 0.0};
  double error = kInf;  // sum n (y - f)^2 plus the prior's penalty
  double log_evidence = -kInf;
};

// lambda: prior precision times noise variance, for c and a (the prior is centred on 0
// for both: the prefix mean and no gain).
Solved solve(CurveFamily family, const Sums& s, double syy, double sy, double noise_var, double tau2) {
  Solved out;
  const double lambda = noise_var / tau2;
  if (family == CurveFamily::Constant) {
    const double a11 = s.s0 + lambda;
    const double c = sy / a11;
    out.mean = {c, 0.0};
    out.cov = {1.0 / a11, 0.0, 0.0};
    out.error = syy - 2.0 * c * sy + c * c * s.s0 + lambda * c * c;
    out.log_evidence = -0.5 * out.error / noise_var - 0.5 * det_log(a11 / lambda);
    return out;
  }
  // Design [1, -g]: A = [[s0 + l, -s1], [-s1, s2 + l]], b = [sy, -sgy].
  const double a11 = s.s0 + lambda;
  const double a12 = -s.s1;
  const double a22 = s.s2 + lambda;
  const double det = a11 * a22 - a12 * a12;
  if (!(det > 0.0) || !std::isfinite(det)) {
    return out;
  }
  const double b1 = sy;
  const double b2 = -s.sgy;
  const double c = (a22 * b1 - a12 * b2) / det;
  const double a = (a11 * b2 - a12 * b1) / det;
  out.mean = {c, a};
  out.cov = {a22 / det, -a12 / det, a11 / det};
  // sum n (y - c + a g)^2 expanded, plus the prior's penalty.
  const double sse = syy - 2.0 * c * sy + 2.0 * a * s.sgy + c * c * s.s0 - 2.0 * c * a * s.s1 + a * a * s.s2;
  out.error = std::max(sse, 0.0) + lambda * (c * c + a * a);
  out.log_evidence = -0.5 * out.error / noise_var - 0.5 * det_log(det / (lambda * lambda));
  return out;
}

// The last-resort weighted squared error of a shape, without the prior.
double fit_error(const Solved& s) { return s.error; }

double log_sum_exp_shift(double a, double b) { return a > b ? a : b; }

}  // namespace

std::string_view curve_family_name(CurveFamily family) {
  switch (family) {
    case CurveFamily::Constant:
      return "constant";
    case CurveFamily::Exp3:
      return "exp3";
    case CurveFamily::Pow3:
      return "pow3";
    case CurveFamily::Ilog2:
      return "ilog2";
    case CurveFamily::Weibull:
      return "weibull";
    case CurveFamily::Mmf:
      return "mmf";
  }
  return "constant";
}

std::optional<CurveFamily> parse_curve_family(std::string_view name) {
  for (const CurveFamily f : kAllCurveFamilies) {
    if (name == curve_family_name(f)) {
      return f;
    }
  }
  return std::nullopt;
}

// ---- Forecasts ------------------------------------------------------------------------
double Forecast::mean() const {
  double m = 0.0;
  for (const ForecastComponent& c : components) {
    m += c.weight * c.mean;
  }
  return m;
}

double Forecast::sd() const {
  const double m = mean();
  double v = 0.0;
  for (const ForecastComponent& c : components) {
    const double d = c.mean - m;
    v += c.weight * (c.sd * c.sd + d * d);
  }
  return std::sqrt(v);
}

double Forecast::cdf(double x) const {
  double p = 0.0;
  for (const ForecastComponent& c : components) {
    if (c.sd > 0.0) {
      p += c.weight * det_normal_cdf((x - c.mean) / c.sd);
    } else {
      p += x >= c.mean ? c.weight : 0.0;
    }
  }
  return std::clamp(p, 0.0, 1.0);
}

double Forecast::quantile(double q) const {
  if (components.empty()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  double lo = kInf;
  double hi = -kInf;
  for (const ForecastComponent& c : components) {
    lo = std::min(lo, c.mean - 9.0 * c.sd);
    hi = std::max(hi, c.mean + 9.0 * c.sd);
  }
  if (!(hi > lo)) {
    return lo;
  }
  for (int i = 0; i < 80 && hi - lo > 1e-12 * (1.0 + std::fabs(lo) + std::fabs(hi)); ++i) {
    const double mid = 0.5 * (lo + hi);
    (cdf(mid) < q ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// ---- The model ----------------------------------------------------------------------
Forecast CurveModel::combine(std::span<const double> xs) const {
  Forecast f;
  double x_mean = 0.0;
  for (const double x : xs) {
    x_mean += x;
  }
  x_mean /= static_cast<double>(xs.size());
  // Farther from the data, the families' approximation errors grow.
  const double reach = std::max(0.0, x_mean / last_x_ - 1.0);
  const double noise = noise_var_ * (inflation_ + spread_ * reach);
  f.components.reserve(candidates_.size());
  std::vector<double> log_s(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) {
    log_s[i] = det_log(xs[i] / last_x_);
  }
  for (const Candidate& k : candidates_) {
    double g = 0.0;
    const double log_theta1 = k.theta1 > 0.0 ? det_log(k.theta1) : 0.0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      g += shape_value(k.family, k.theta1, k.theta2, log_theta1, xs[i] / last_x_, log_s[i], xs[i]);
    }
    g /= static_cast<double>(xs.size());
    const double mean = offset_ + k.mean[0] - k.mean[1] * g;
    const double var = (k.cov[0] - 2.0 * g * k.cov[1] + g * g * k.cov[2]) * noise;
    f.components.push_back(ForecastComponent{k.weight, mean, std::sqrt(std::max(var, 0.0))});
  }
  return f;
}

Forecast CurveModel::at(double x) const {
  const double xs[1] = {std::max(x, 1.0)};
  return combine(xs);
}

Forecast CurveModel::mean_over(double first, double last, int points) const {
  points = std::clamp(points, 2, 64);
  first = std::max(first, 1.0);
  last = std::max(last, first);
  std::vector<double> xs(static_cast<std::size_t>(points));
  for (int i = 0; i < points; ++i) {
    xs[static_cast<std::size_t>(i)] = first + (last - first) * i / (points - 1);
  }
  return combine(xs);
}

Forecast CurveModel::final_performance(double horizon, double final_fraction) const {
  horizon = std::max(horizon, 1.0);
  const double window = std::max(1.0, std::ceil(horizon * std::clamp(final_fraction, 1e-9, 1.0)));
  return mean_over(horizon - window + 1.0, horizon);
}

double CurveModel::mean_at(double x) const { return at(x).mean(); }

std::optional<Error> validate(const CurveModelOptions& options) {
  if (options.max_bins < 4 || options.max_bins > 400) {
    return out_of_range("max_bins", 4, 400, options.max_bins);
  }
  if (!(options.inflation >= 1.0) || !std::isfinite(options.inflation)) {
    return Error{"inflation", "inflation must be a finite number >= 1, got " + format_number(options.inflation)};
  }
  if (!(options.extrapolation_spread >= 0.0) || !std::isfinite(options.extrapolation_spread)) {
    return Error{"extrapolation_spread", "extrapolation_spread must be a finite number >= 0, got " +
                                             format_number(options.extrapolation_spread)};
  }
  return std::nullopt;
}

Expected<CurveModel> fit_curve(std::span<const double> values, std::span<const double> steps,
                               const CurveModelOptions& options) {
  if (auto e = validate(options)) {
    return *e;
  }
  if (!steps.empty() && steps.size() != values.size()) {
    return Error{"steps", "steps must have one step per value (" + std::to_string(values.size()) + "), got " +
                              std::to_string(steps.size())};
  }
  // The finite values and their steps.
  std::vector<double> xs;
  std::vector<double> ys;
  xs.reserve(values.size());
  ys.reserve(values.size());
  double previous = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double x = steps.empty() ? static_cast<double>(i + 1) : steps[i];
    if (!(x >= 1.0) || !(x > previous) || !std::isfinite(x)) {
      return Error{"steps",
                   "steps must increase from >= 1, got " + format_number(x) + " after " + format_number(previous)};
    }
    previous = x;
    if (std::isfinite(values[i])) {
      xs.push_back(x);
      ys.push_back(values[i]);
    }
  }
  const auto n = static_cast<int>(ys.size());
  if (n < kMinCurveValues) {
    return Error{"values", "values must hold at least " + std::to_string(kMinCurveValues) +
                               " finite numbers to fit a curve, got " + std::to_string(n)};
  }
  CurveModel model;
  model.values_used_ = n;
  model.last_x_ = xs.back();
  model.spread_ = options.extrapolation_spread;
  model.inflation_ = options.inflation;
  double mean_y = 0.0;
  for (const double y : ys) {
    mean_y += y;
  }
  mean_y /= n;
  model.offset_ = mean_y;

  // Bins of consecutive values, narrower at the start where curves bend most (a shape is
  // evaluated at a bin's mean step, so a bin should be nearly straight) and wider later:
  // bin b ends at n h((b + 1) / B) with h(u) = (e^(ku) - 1) / (e^k - 1), k = kBinBend,
  // at least one value each. (A larger k fits noise-free curves better and noisy ones
  // worse: the first values of a bandit's curve are its noisiest.)
  const int bin_count = std::min(n, options.max_bins);
  std::vector<Bin> bins;
  std::vector<Point> points;
  bins.reserve(static_cast<std::size_t>(bin_count));
  double lo_y = kInf;
  double hi_y = -kInf;
  const double e3 = det_exp(kBinBend) - 1.0;
  for (int b = 0, first = 0; b < bin_count && first < n; ++b) {
    const double h = (det_exp(kBinBend * (b + 1) / bin_count) - 1.0) / e3;
    int last = b + 1 == bin_count ? n : static_cast<int>(std::floor(h * n + 0.5));
    last = std::clamp(last, first + 1, std::max(first + 1, n - (bin_count - 1 - b)));
    Bin& bin = bins.emplace_back();
    for (int i = first; i < last; ++i) {
      bin.x += xs[static_cast<std::size_t>(i)];
      bin.y += ys[static_cast<std::size_t>(i)] - mean_y;
    }
    bin.n = last - first;
    bin.x /= bin.n;
    bin.y /= bin.n;
    bin.s = bin.x / model.last_x_;
    bin.log_s = det_log(bin.s);
    if (last - first > 1 && xs[static_cast<std::size_t>(last - 1)] > 2.0 * xs[static_cast<std::size_t>(first)]) {
      bin.first = points.size();
      add_points(std::span(xs).subspan(static_cast<std::size_t>(first), static_cast<std::size_t>(last - first)),
                 model.last_x_, points);
      bin.last = points.size();
    }
    lo_y = std::min(lo_y, bin.y);
    hi_y = std::max(hi_y, bin.y);
    first = last;
  }
  double sy = 0.0;
  double syy = 0.0;
  for (const Bin& b : bins) {
    sy += b.n * b.y;
    syy += b.n * b.y * b.y;
  }

  // The candidate shapes.
  std::vector<CurveFamily> families = options.families;
  if (families.empty()) {
    families.assign(std::begin(kAllCurveFamilies), std::end(kAllCurveFamilies));
  }
  struct Shape {
    CurveFamily family;
    double theta1;
    double theta2;
    Sums sums;
    double log_prior;
  };
  std::vector<Shape> shapes;
  const Grids& g = grids();
  const double log_families = det_log(static_cast<double>(families.size()));
  for (const CurveFamily family : families) {
    std::vector<std::array<double, 2>> thetas;
    switch (shape_count(family)) {
      case 0:
        thetas.push_back({0.0, 0.0});
        break;
      case 1:
        for (const double t : family == CurveFamily::Exp3 ? g.rate : g.power) {
          thetas.push_back({t, 0.0});
        }
        break;
      default:
        for (const double k : g.scale) {
          for (const double d : g.exponent) {
            thetas.push_back({k, d});
          }
        }
    }
    // One more share for the refined shape.
    const double log_prior = -log_families - det_log(static_cast<double>(thetas.size() + (thetas.size() > 1 ? 1 : 0)));
    for (const auto& t : thetas) {
      shapes.push_back(Shape{family, t[0], t[1], sums_of(family, t[0], t[1], bins, points), log_prior});
    }
  }

  // The noise: the best shape's residual variance per value (it holds the families'
  // misfit too, which is what a forecast should be humble about).
  const double scale = std::max(hi_y - lo_y, 1e-12 * (1.0 + std::fabs(mean_y)));
  const double tau2 = 16.0 * scale * scale + 1e-300;
  const auto noise_of = [&](double best_error) {
    const double dof = std::max(1.0, static_cast<double>(bin_count) - 4.0);
    return std::max(best_error / dof, 1e-20 * scale * scale);
  };
  double best_error = kInf;
  for (const Shape& s : shapes) {
    best_error = std::min(best_error, fit_error(solve(s.family, s.sums, syy, sy, 1e-12 * scale * scale, tau2)));
  }
  double noise_var = noise_of(best_error);

  // Refine each family's most probable shape by a pattern search in log-shape.
  for (const CurveFamily family : families) {
    const int dims = shape_count(family);
    if (dims == 0) {
      continue;
    }
    const Shape* best = nullptr;
    double best_z = -kInf;
    for (const Shape& s : shapes) {
      if (s.family == family) {
        const double z = solve(family, s.sums, syy, sy, noise_var, tau2).log_evidence;
        if (z > best_z) {
          best_z = z;
          best = &s;
        }
      }
    }
    if (best == nullptr) {
      continue;
    }
    double t1 = best->theta1;
    double t2 = best->theta2;
    const double log_prior = best->log_prior;
    double step = 0.35;  // in natural-log units: about half a grid spacing
    double score = best_z;
    for (int iter = 0; iter < 20 && step > 1e-4; ++iter) {
      bool improved = false;
      for (int d = 0; d < dims; ++d) {
        for (const double sign : {1.0, -1.0}) {
          double c1 = t1;
          double c2 = t2;
          (d == 0 ? c1 : c2) *= det_exp(sign * step);
          if (d == 1 && (c2 < 0.05 || c2 > 20.0)) {
            continue;
          }
          if (c1 < 1e-4 || c1 > 1e4) {
            continue;
          }
          const double z = solve(family, sums_of(family, c1, c2, bins, points), syy, sy, noise_var, tau2).log_evidence;
          if (z > score) {
            score = z;
            t1 = c1;
            t2 = c2;
            improved = true;
          }
        }
      }
      if (!improved) {
        step *= 0.5;
      }
    }
    shapes.push_back(Shape{family, t1, t2, sums_of(family, t1, t2, bins, points), log_prior});
  }
  const Shape* best_shape = nullptr;
  Solved best_solved;
  for (const Shape& s : shapes) {
    const Solved solved = solve(s.family, s.sums, syy, sy, 1e-12 * scale * scale, tau2);
    if (best_shape == nullptr || solved.error < best_error) {
      best_error = solved.error;
      best_shape = &s;
      best_solved = solved;
    }
  }
  noise_var = noise_of(best_error);
  // Residuals that run in long waves (a smoothed curve, a shape no family has) carry less
  // information than independent ones: the noise is scaled by the variance inflation of
  // a first-order autoregression, (1 + rho) / (1 - rho), rho being the lag-one
  // autocorrelation of the best fit's standardised bin residuals.
  {
    const double log_t1 = best_shape->theta1 > 0.0 ? det_log(best_shape->theta1) : 0.0;
    double previous_r = 0.0;
    double lagged = 0.0;
    double squares = 0.0;
    for (std::size_t i = 0; i < bins.size(); ++i) {
      const Bin& b = bins[i];
      const double f = best_solved.mean[0] - best_solved.mean[1] * bin_shape(best_shape->family, best_shape->theta1,
                                                                             best_shape->theta2, log_t1, b, points);
      const double r = (b.y - f) * std::sqrt(b.n);
      if (i > 0) {
        lagged += r * previous_r;
      }
      squares += r * r;
      previous_r = r;
    }
    const double rho = squares > 0.0 ? std::clamp(lagged / squares, 0.0, kMaxRho) : 0.0;
    noise_var *= (1.0 + rho) / (1.0 - rho);
  }
  model.noise_var_ = noise_var;
  model.noise_sd_ = std::sqrt(noise_var);

  // Posterior weights.
  std::vector<CurveModel::Candidate> all;
  all.reserve(shapes.size());
  std::vector<double> log_w;
  double top = -kInf;
  for (const Shape& s : shapes) {
    const Solved solved = solve(s.family, s.sums, syy, sy, noise_var, tau2);
    if (!std::isfinite(solved.log_evidence)) {
      continue;
    }
    CurveModel::Candidate k;
    k.family = s.family;
    k.theta1 = s.theta1;
    k.theta2 = s.theta2;
    k.mean = solved.mean;
    k.cov = solved.cov;
    all.push_back(k);
    log_w.push_back(solved.log_evidence + s.log_prior);
    top = log_sum_exp_shift(top, log_w.back());
  }
  double total = 0.0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    all[i].weight = det_exp(log_w[i] - top);
    total += all[i].weight;
  }
  // The families' shares and best fits.
  for (const CurveFamily family : families) {
    FamilyFit fit;
    fit.family = family;
    const CurveModel::Candidate* best = nullptr;
    for (const CurveModel::Candidate& k : all) {
      if (k.family == family) {
        fit.weight += k.weight / total;
        if (best == nullptr || k.weight > best->weight) {
          best = &k;
        }
      }
    }
    if (best == nullptr) {
      continue;
    }
    fit.c = best->mean[0] + mean_y;
    fit.a = best->mean[1];
    double sse = 0.0;
    double count = 0.0;
    for (const Bin& b : bins) {
      const double shape =
          bin_shape(family, best->theta1, best->theta2, best->theta1 > 0.0 ? det_log(best->theta1) : 0.0, b, points);
      const double r = b.y - (best->mean[0] - best->mean[1] * shape);
      sse += r * r;
      count += 1.0;
    }
    fit.rms = std::sqrt(sse / count);
    switch (family) {
      case CurveFamily::Exp3:
        fit.shape = {best->theta1 / model.last_x_, 0.0};
        break;
      case CurveFamily::Pow3:
        // c - a s^-alpha = c - (a X^alpha) x^-alpha.
        fit.shape = {best->theta1, 0.0};
        fit.a = best->mean[1] * det_exp(best->theta1 * det_log(model.last_x_));
        break;
      case CurveFamily::Weibull:
      case CurveFamily::Mmf:
        fit.shape = {best->theta1 / model.last_x_, best->theta2};
        break;
      case CurveFamily::Constant:
      case CurveFamily::Ilog2:
        break;
    }
    model.families_.push_back(fit);
  }
  std::stable_sort(model.families_.begin(), model.families_.end(),
                   [](const FamilyFit& a, const FamilyFit& b) { return a.weight > b.weight; });
  // Keep the candidates that matter, most probable first.
  std::vector<std::size_t> order(all.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return all[a].weight > all[b].weight; });
  double kept = 0.0;
  for (const std::size_t i : order) {
    if (model.candidates_.size() >= 48 || all[i].weight < 1e-9) {
      break;
    }
    model.candidates_.push_back(all[i]);
    kept += all[i].weight;
  }
  for (CurveModel::Candidate& k : model.candidates_) {
    k.weight /= kept;
  }
  return model;
}

}  // namespace curvelab
