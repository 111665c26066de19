#pragma once
// Included by each translation unit that compiles the batched simulator for one
// instruction set (simulate.cpp for the baseline, simulate_avx2.cpp), inside its own
// CURVELAB_LANES namespace: no inline function or type is shared between them.

#include <array>
#include <cassert>
#include <cstdint>
#include <limits>
#include <vector>

#include "curvelab/simulate.hpp"
#include "lane_support.hpp"
#include "lanes.hpp"

namespace curvelab::CURVELAB_LANES {
namespace {

// Steps recorded between two additions into the curves: the records of a batch stay in
// the first-level cache, whatever the horizon.
constexpr int kChunk = 256;

// kLanes runs of one epsilon-greedy or random configuration stepped together, lane i
// being run `first + i`. Every lane does what `Run` does for its run, operation for
// operation, so the curves are the same bits as those of `Run` (the tests compare them):
// the arm is chosen without branches, the greedy set is rescanned in every lane each
// step, and only the rare slow normal or below() draws leave the vector, lane by lane.
class LaneBatch {
 public:
  LaneBatch(const ExperimentConfig& config, int first) : config_(config) {
    const auto arms = static_cast<std::size_t>(config.bandit.arms);
    q_.assign(arms, F64{});
    estimates_.assign(arms, F64{});
    pulls_.assign(arms, F64{});
    double q[kMaxArms];
    double estimates[kMaxArms];
    for (int lane = 0; lane < kLanes; ++lane) {
      std::array<std::uint64_t, 4> state{};
      lanes_start_run(config, static_cast<std::uint64_t>(first + lane), {q, arms}, {estimates, arms}, state);
      double sum = 0.0;
      double best = q[0];
      for (std::size_t a = 0; a < arms; ++a) {
        q_[a].set(lane, q[a]);
        estimates_[a].set(lane, estimates[a]);
        sum += q[a];
        best = q[a] > best ? q[a] : best;
      }
      baseline_.set(lane, sum / static_cast<double>(arms));
      best_.set(lane, best);
      generators_.set(lane, state);
    }
    rescan_greedy();
  }

  /// Steps every lane `count` (<= kChunk) times, writing step t's records at [t].
  void step(int count, F64* rewards, F64* values, F64* optimal) {
    const bool drifting = config_.bandit.walk > 0.0;
    switch (config_.agent.kind) {
      case AgentKind::EpsilonGreedy:
        if (config_.agent.step_size) {
          drifting ? step_epsilon_greedy<true, true>(count, rewards, values, optimal)
                   : step_epsilon_greedy<true, false>(count, rewards, values, optimal);
        } else {
          drifting ? step_epsilon_greedy<false, true>(count, rewards, values, optimal)
                   : step_epsilon_greedy<false, false>(count, rewards, values, optimal);
        }
        break;
      case AgentKind::Random:
        drifting ? step_random<true>(count, rewards, values, optimal)
                 : step_random<false>(count, rewards, values, optimal);
        break;
      case AgentKind::Ucb:
      case AgentKind::Gradient:
        assert(false);
        break;
    }
  }

 private:
  // Run::rescan_greedy in every lane: the best estimate, how many arms share it, the
  // first of them and the mean q* over them (summed in arm order, as Run sums).
  CURVELAB_LANE_INLINE void rescan_greedy() {
    const std::size_t arms = estimates_.size();
    F64 top = estimates_[0];
    for (std::size_t a = 1; a < arms; ++a) {
      top = select(estimates_[a] > top, estimates_[a], top);
    }
    I64 count{};
    F64 sum{};
    I64 first = I64(-1);
    for (std::size_t a = 0; a < arms; ++a) {
      const I64 tied = estimates_[a] == top;
      count = count - tied;  // tied is -1 or 0
      sum = select(tied, sum + q_[a], sum);
      first = select(tied & (first < 0), I64(static_cast<std::int64_t>(a)), first);
    }
    greedy_estimate_ = top;
    greedy_count_ = count;
    greedy_first_ = first;
    greedy_mean_ = sum / to_double53(as_u64(count));
  }

  // The arm values, estimates and pull counts of the arm each lane pulls.
  struct Pulled {
    F64 value{};
    F64 estimate{};
    F64 pulls{};
  };
  CURVELAB_LANE_INLINE Pulled pulled(I64 arm) const {
    Pulled p;
    for (std::size_t a = 0; a < q_.size(); ++a) {
      const I64 is = arm == static_cast<std::int64_t>(a);
      p.value = select(is, q_[a], p.value);
      p.estimate = select(is, estimates_[a], p.estimate);
      p.pulls = select(is, pulls_[a], p.pulls);
    }
    return p;
  }

  // Run::drift: each q*(a) takes its Normal(0, walk) step, in arm order, in every lane.
  CURVELAB_LANE_INLINE void drift() {
    const double sigma = config_.bandit.walk;
    F64 sum{};
    F64 best = F64(-std::numeric_limits<double>::infinity());
    for (F64& q : q_) {
      q = q + sigma * generators_.normal();
      sum = sum + q;
      best = select(q > best, q, best);
    }
    baseline_ = sum / static_cast<double>(q_.size());
    best_ = best;
  }

  template <bool kConstantStep, bool kDrifting>
  void step_epsilon_greedy(int count, F64* rewards, F64* values, F64* optimal) {
    const double epsilon = config_.agent.epsilon;
    const double alpha = config_.agent.step_size.value_or(0.0);
    const double noise = config_.bandit.noise;
    const U64 arms(static_cast<std::uint64_t>(q_.size()));
    for (int t = 0; t < count; ++t) {
      values[t] = (1.0 - epsilon) * greedy_mean_ + epsilon * baseline_;
      // Explore with probability epsilon (a uniform arm), else the greedy arm, a tie
      // broken uniformly: the draws Run makes, in the lanes that make them.
      const I64 explore = generators_.uniform() < epsilon;
      const I64 tie = ~explore & (greedy_count_ > 1);
      I64 arm = greedy_first_;
      if (any(explore | tie)) {
        const U64 n = select(explore, arms, as_u64(greedy_count_));
        const I64 draw = as_i64(generators_.below_where(explore | tie, n));
        arm = select(explore, draw, arm);
        if (any(tie)) {
          // The draw-th of the tied arms.
          I64 pick = draw;
          I64 tied_arm = arm;
          for (std::size_t a = 0; a < q_.size(); ++a) {
            const I64 tied = estimates_[a] == greedy_estimate_;
            tied_arm = select(tied & (pick == 0), I64(static_cast<std::int64_t>(a)), tied_arm);
            pick = select(tied, pick - 1, pick);
          }
          arm = select(tie, tied_arm, arm);
        }
      }
      const Pulled p = pulled(arm);
      const F64 reward = p.value + noise * generators_.normal();
      rewards[t] = reward;
      optimal[t] = select(p.value == best_, F64(1.0), F64{});
      const F64 pulls = p.pulls + 1.0;
      F64 estimate;
      if constexpr (kConstantStep) {
        estimate = p.estimate + alpha * (reward - p.estimate);
      } else {
        estimate = p.estimate + (reward - p.estimate) / pulls;
      }
      for (std::size_t a = 0; a < q_.size(); ++a) {
        const I64 is = arm == static_cast<std::int64_t>(a);
        estimates_[a] = select(is, estimate, estimates_[a]);
        pulls_[a] = select(is, pulls, pulls_[a]);
      }
      if constexpr (kDrifting) {
        drift();
      }
      rescan_greedy();
    }
  }

  template <bool kDrifting>
  void step_random(int count, F64* rewards, F64* values, F64* optimal) {
    const double noise = config_.bandit.noise;
    const U64 arms(static_cast<std::uint64_t>(q_.size()));
    const I64 all = I64(-1);
    for (int t = 0; t < count; ++t) {
      values[t] = baseline_;
      const I64 arm = as_i64(generators_.below_where(all, arms));
      F64 value{};
      for (std::size_t a = 0; a < q_.size(); ++a) {
        value = select(arm == static_cast<std::int64_t>(a), q_[a], value);
      }
      rewards[t] = value + noise * generators_.normal();
      optimal[t] = select(value == best_, F64(1.0), F64{});
      if constexpr (kDrifting) {
        drift();
      }
    }
  }

  const ExperimentConfig& config_;
  Generators generators_;
  std::vector<F64> q_;          // [arm]: the arms' true values
  std::vector<F64> estimates_;  // [arm]: the value estimates
  std::vector<F64> pulls_;      // [arm]: pulls so far, as doubles (exact below 2^53)
  F64 baseline_{};              // mean q* now
  F64 best_{};                  // max q* now
  F64 greedy_estimate_{};
  I64 greedy_count_{};
  I64 greedy_first_{};
  F64 greedy_mean_{};
};

}  // namespace

/// Adds the curves of `runs` runs of `config` (epsilon-greedy or random) to `out`,
/// stepped kLanes at a time.
void add_batched(const ExperimentConfig& config, int runs, AverageCurves& out) {
  double* const reward_sum = out.mean_reward.data();
  double* const share_sum = out.optimal_share.data();
  double* const value_sum = out.mean_true_value.data();
  std::vector<F64> rewards(kChunk);
  std::vector<F64> values(kChunk);
  std::vector<F64> optimal(kChunk);
  for (int first = 0; first < runs; first += kLanes) {
    const int used = runs - first < kLanes ? runs - first : kLanes;  // lanes past the last run are not added
    LaneBatch batch(config, first);
    for (int start = 0; start < config.steps; start += kChunk) {
      const int count = config.steps - start < kChunk ? config.steps - start : kChunk;
      batch.step(count, rewards.data(), values.data(), optimal.data());
      // Runs in order, as the scalar path adds them.
      for (int t = 0; t < count; ++t) {
        const auto at = static_cast<std::size_t>(start + t);
        double reward = reward_sum[at];
        double share = share_sum[at];
        double value = value_sum[at];
        for (int lane = 0; lane < used; ++lane) {
          reward += rewards[static_cast<std::size_t>(t)][lane];
          share += optimal[static_cast<std::size_t>(t)][lane];
          value += values[static_cast<std::size_t>(t)][lane];
        }
        reward_sum[at] = reward;
        share_sum[at] = share;
        value_sum[at] = value;
      }
    }
  }
}

}  // namespace curvelab::CURVELAB_LANES
