#pragma once
/// \file
/// What every instruction set's lanes (lanes.hpp) share, compiled once for the baseline
/// target: a lane's rare scalar paths and its start, which run `Rng` itself.

#include <cstdint>
#include <span>

#include "curvelab/config.hpp"

namespace curvelab {

/// The rest of `Rng::normal()` for the generator `state`, whose first draw gave `layer`
/// and `u` outside the rectangles (`Rng::normal_resume`); advances `state`.
double lanes_finish_normal(std::uint64_t state[4], unsigned layer, double u);
/// The rest of `Rng::below(n)` for the generator `state`, whose first product was `m`.
std::uint64_t lanes_finish_below(std::uint64_t state[4], std::uint64_t m, std::uint32_t n);

/// What `Run`'s constructor draws for run `index` of `config`: the arms' values `q` and
/// the initial estimates (both `arms` long), and the generator's state after them.
void lanes_start_run(const ExperimentConfig& config, std::uint64_t index, std::span<double> q,
                     std::span<double> estimates, std::uint64_t state[4]);

/// Per-step sums (one `steps` long array each) that runs are added to; `value` may be
/// null when the true values are not wanted.
struct RunSums {
  double* reward;
  double* optimal;
  double* value;
};

/// Adds runs [first, first + count) of `config` to `sums`, run by run in run order, in
/// the widest lanes this processor has (or as Runs): the same bits whichever path steps
/// them. `simulate_average` and the parameter study both add their runs through it.
void add_run_sums(const ExperimentConfig& config, int first, int count, RunSums sums);

}  // namespace curvelab
