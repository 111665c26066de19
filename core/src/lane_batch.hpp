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
  LaneBatch(const ExperimentConfig& config, int first)
      : config_(config), arms_(static_cast<std::size_t>(config.bandit.arms)) {
    q_.assign(arms_ * kLanes, 0.0);
    estimates_.assign(arms_ * kLanes, 0.0);
    pulls_.assign(arms_ * kLanes, 0.0);
    double q[kMaxArms];
    double estimates[kMaxArms];
    for (int lane = 0; lane < kLanes; ++lane) {
      std::array<std::uint64_t, 4> state{};
      lanes_start_run(config, static_cast<std::uint64_t>(first + lane), {q, arms_}, {estimates, arms_}, state);
      double sum = 0.0;
      double best = q[0];
      for (std::size_t a = 0; a < arms_; ++a) {
        q_[a * kLanes + static_cast<std::size_t>(lane)] = q[a];
        estimates_[a * kLanes + static_cast<std::size_t>(lane)] = estimates[a];
        sum += q[a];
        best = q[a] > best ? q[a] : best;
      }
      baseline_.set(lane, sum / static_cast<double>(arms_));
      best_.set(lane, best);
      generators_.set(lane, state);
    }
    rescan_greedy(I64(-1));
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
  // Run::rescan_greedy in the lanes of `lanes`: the best estimate, how many arms share
  // it, the first of them, the mean q* over them (summed in arm order, as Run sums) and
  // the best estimate outside them.
  void rescan_greedy(const I64& lanes) {
    F64 top = load(&estimates_[0]);
    for (std::size_t a = 1; a < arms_; ++a) {
      const F64 estimate = load(&estimates_[a * kLanes]);
      top = select(estimate > top, estimate, top);
    }
    I64 count{};
    F64 sum{};
    I64 first = I64(-1);
    F64 runner_up = F64(-std::numeric_limits<double>::infinity());
    for (std::size_t a = 0; a < arms_; ++a) {
      const F64 estimate = load(&estimates_[a * kLanes]);
      const I64 tied = estimate == top;
      count = count - tied;  // tied is -1 or 0
      sum = select(tied, sum + load(&q_[a * kLanes]), sum);
      first = select(tied & (first < 0), I64(static_cast<std::int64_t>(a)), first);
      runner_up = select(~tied & (estimate > runner_up), estimate, runner_up);
    }
    greedy_estimate_ = select(lanes, top, greedy_estimate_);
    greedy_count_ = select(lanes, count, greedy_count_);
    greedy_first_ = select(lanes, first, greedy_first_);
    greedy_mean_ = select(lanes, sum / to_double53(as_u64(count)), greedy_mean_);
    runner_up_ = select(lanes, runner_up, runner_up_);
  }

  // Run::update_greedy in every lane, after `arm`'s estimate went from `old_estimate` to
  // `estimate`: the same cases, as masks; the lanes that Run rescans are rescanned.
  CURVELAB_LANE_INLINE void update_greedy(const I64& arm, const F64& value, const F64& old_estimate,
                                          const F64& estimate) {
    const I64 alone = greedy_count_ == 1;
    const I64 is_greedy = arm == greedy_first_;
    const I64 above_runner_up = estimate > runner_up_;
    const I64 below_top = estimate < greedy_estimate_;
    const I64 above_top = estimate > greedy_estimate_;
    // The greedy arm still alone at the top.
    const I64 stays = alone & is_greedy & above_runner_up;
    // Another arm: below the top and now the runner-up, or above the top.
    const I64 other = alone & ~is_greedy;
    const I64 new_runner_up = other & below_top & above_runner_up;
    const I64 takes_over = other & above_top;
    const I64 rescan = ~(stays | (other & below_top & (above_runner_up | (old_estimate < runner_up_))) | takes_over);
    runner_up_ = select(new_runner_up, estimate, select(takes_over, greedy_estimate_, runner_up_));
    greedy_estimate_ = select(stays | takes_over, estimate, greedy_estimate_);
    greedy_first_ = select(takes_over, arm, greedy_first_);
    greedy_mean_ = select(takes_over, value, greedy_mean_);
    if (any(rescan)) {
      rescan_greedy(rescan);
    }
  }

  // Run::drift: each q*(a) takes its Normal(0, walk) step, in arm order, in every lane;
  // then the greedy arms' mean q* (a lone greedy arm's q*, else a rescan, as Run).
  void drift() {
    const double sigma = config_.bandit.walk;
    F64 sum{};
    F64 best = F64(-std::numeric_limits<double>::infinity());
    for (std::size_t a = 0; a < arms_; ++a) {
      const F64 q = load(&q_[a * kLanes]) + sigma * generators_.normal();
      store(&q_[a * kLanes], q);
      sum = sum + q;
      best = select(q > best, q, best);
    }
    baseline_ = sum / static_cast<double>(arms_);
    best_ = best;
    const I64 alone = greedy_count_ == 1;
    greedy_mean_ = select(alone, gather(q_.data(), index_of(greedy_first_)), greedy_mean_);
    if (any(~alone)) {
      rescan_greedy(~alone);
    }
  }

  // Where lane i's value of `arm` is in the [arm][lane] arrays.
  CURVELAB_LANE_INLINE U64 index_of(const I64& arm) const { return as_u64(arm) * static_cast<std::uint64_t>(kLanes) + lanes_; }

  template <bool kConstantStep, bool kDrifting>
  void step_epsilon_greedy(int count, F64* rewards, F64* values, F64* optimal) {
    const double epsilon = config_.agent.epsilon;
    const double alpha = config_.agent.step_size.value_or(0.0);
    const double noise = config_.bandit.noise;
    const U64 arms(static_cast<std::uint64_t>(arms_));
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
          for (std::size_t a = 0; a < arms_; ++a) {
            const I64 tied = load(&estimates_[a * kLanes]) == greedy_estimate_;
            tied_arm = select(tied & (pick == 0), I64(static_cast<std::int64_t>(a)), tied_arm);
            pick = select(tied, pick - 1, pick);
          }
          arm = select(tie, tied_arm, arm);
        }
      }
      const U64 at = index_of(arm);
      const F64 value = gather(q_.data(), at);
      const F64 old_estimate = gather(estimates_.data(), at);
      const F64 pulls = gather(pulls_.data(), at) + 1.0;
      const F64 reward = value + noise * generators_.normal();
      rewards[t] = reward;
      optimal[t] = select(value == best_, F64(1.0), F64{});
      F64 estimate;
      if constexpr (kConstantStep) {
        estimate = old_estimate + alpha * (reward - old_estimate);
      } else {
        estimate = old_estimate + (reward - old_estimate) / pulls;
      }
      scatter(estimates_.data(), at, estimate);
      scatter(pulls_.data(), at, pulls);
      update_greedy(arm, value, old_estimate, estimate);
      if constexpr (kDrifting) {
        drift();
      }
    }
  }

  template <bool kDrifting>
  void step_random(int count, F64* rewards, F64* values, F64* optimal) {
    const double noise = config_.bandit.noise;
    const U64 arms(static_cast<std::uint64_t>(arms_));
    for (int t = 0; t < count; ++t) {
      values[t] = baseline_;
      const I64 arm = as_i64(generators_.below_where(I64(-1), arms));
      const F64 value = gather(q_.data(), index_of(arm));
      rewards[t] = value + noise * generators_.normal();
      optimal[t] = select(value == best_, F64(1.0), F64{});
      if constexpr (kDrifting) {
        drift();
      }
    }
  }

  const ExperimentConfig& config_;
  std::size_t arms_;
  U64 lanes_ = lane_numbers();
  Generators generators_;
  // [arm][lane]: lane i of arm a at a * kLanes + i.
  std::vector<double> q_;          // the arms' true values
  std::vector<double> estimates_;  // the value estimates
  std::vector<double> pulls_;      // pulls so far, as doubles (exact below 2^53)
  F64 baseline_;                   // mean q* now
  F64 best_;                       // max q* now
  // The greedy set, as Run keeps it.
  F64 greedy_estimate_;
  I64 greedy_count_;
  I64 greedy_first_;
  F64 greedy_mean_;
  F64 runner_up_;
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
