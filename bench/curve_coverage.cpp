// Coverage of the curve model's 80% predictive interval for a run's final performance
// (ground truth: the mean true value over the last 10% of steps), predicted from a prefix
// of each curve, on the generator's default ranges; a markdown table for the README.
//   build/curvelab_curve_coverage [count]        (default 300 experiments, seed 5)

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "curvelab/curve_model.hpp"
#include "curvelab/generator.hpp"
#include "curvelab/ground_truth.hpp"
#include "curvelab/run.hpp"
#include "curvelab/smoothing.hpp"

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 300;
  if (count < 1 || count > 100000) {
    std::fprintf(stderr, "curvelab_curve_coverage: count must be in [1, 100000]\n");
    return 2;
  }
  const auto configs = curvelab::generate_experiments(curvelab::GeneratorRanges{}, count, 5);
  const double cuts[] = {0.1, 0.2, 0.3, 0.5, 0.8};
  const char* names[] = {"observed rewards", "true values (noise-free)", "rewards, moving average of 50"};
  std::printf("| curve fitted (%d runs) | 10%% shown | 20%% | 30%% | 50%% | 80%% |\n|---|---:|---:|---:|---:|---:|\n",
              count);
  for (int mode = 0; mode < 3; ++mode) {
    std::printf("| %s |", names[mode]);
    for (const double cut : cuts) {
      int covered = 0;
      double error = 0.0;
      for (const auto& config : configs) {
        curvelab::Run run(config);
        run.finish();
        const double truth = curvelab::run_truth(run.true_values(), run.rewards(), run.baseline(), run.best_possible())
                                 .final_performance;
        const auto n = static_cast<std::size_t>(cut * config.steps);
        std::vector<double> values;
        if (mode == 0) {
          values.assign(run.rewards().begin(), run.rewards().begin() + static_cast<std::ptrdiff_t>(n));
        } else if (mode == 1) {
          values.assign(run.true_values().begin(), run.true_values().begin() + static_cast<std::ptrdiff_t>(n));
        } else {
          const auto smoothed = curvelab::moving_average(run.rewards(), 50);
          values.assign(smoothed.begin(), smoothed.begin() + static_cast<std::ptrdiff_t>(n));
        }
        const auto model = curvelab::fit_curve(values);
        if (!model) {
          return 1;
        }
        const auto f = model->final_performance(config.steps);
        covered += truth >= f.quantile(0.1) && truth <= f.quantile(0.9) ? 1 : 0;
        error += std::fabs(f.mean() - truth);
      }
      std::printf(" %.1f%% (MAE %.2f) |", 100.0 * covered / count, error / count);
    }
    std::printf("\n");
  }
  return 0;
}
