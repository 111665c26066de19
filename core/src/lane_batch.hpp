#pragma once
// Included by each translation unit that compiles the batched simulator for one
// instruction set (simulate.cpp for WebAssembly's SIMD128, simulate_avx2.cpp and
// simulate_avx512.cpp), inside its own
// CURVELAB_LANES namespace: no inline function or type is shared between them.

#include <cstdint>
#include <limits>
#include <vector>

#include "curvelab/mathfn.hpp"
#include "curvelab/simulate.hpp"
#include "lane_support.hpp"
#include "lanes.hpp"
#include "mathfn_detail.hpp"

namespace curvelab::CURVELAB_LANES {
namespace {

// Steps recorded between two additions into the curves: the records of a batch stay in
// the first-level cache, whatever the horizon.
constexpr int kChunk = 256;

// A batch's zeroed doubles. Not std::vector<double>: its members, instantiated
// here, would be compiled for this file's instruction set, and the linker could keep that
// copy for every other user of std::vector<double>, on any processor.
class Doubles {
 public:
  explicit Doubles(std::size_t n) : data_(new double[n]()) {}
  ~Doubles() { delete[] data_; }
  Doubles(const Doubles&) = delete;
  Doubles& operator=(const Doubles&) = delete;
  double* data() { return data_; }
  const double* data() const { return data_; }
  double& operator[](std::size_t i) { return data_[i]; }
  const double& operator[](std::size_t i) const { return data_[i]; }

 private:
  double* data_;
};

// kLanes runs of one configuration stepped together, lane i being run `first + i`. Every
// lane does what `Run` does for its run, operation for operation, so the curves are the
// same bits as those of `Run` (the tests compare them): the arm is chosen without
// branches (masks and selections), and only the rare slow normal or below() draws and
// the softmax's weights below 2^-1022 leave the vector, lane by lane.
class LaneBatch {
 public:
  /// `log_t[t]` is ln(t + 1) for UCB's steps (unused by the other agents).
  LaneBatch(const ExperimentConfig& config, int first, const double* log_t)
      : config_(config),
        log_t_(log_t),
        arms_(static_cast<std::size_t>(config.bandit.arms)),
        q_(arms_ * kLanes),
        estimates_(arms_ * kLanes),
        pulls_(arms_ * kLanes),
        weights_(config.agent.kind == AgentKind::Gradient ? arms_ * kLanes : 0) {
    double q[kMaxArms];
    double estimates[kMaxArms];
    for (int lane = 0; lane < kLanes; ++lane) {
      std::uint64_t state[4] = {};
      lanes_start_run(config, static_cast<std::uint64_t>(first + lane), {q, arms_}, {estimates, arms_}, state);
      double sum = 0.0;
      double best = q[0];
      for (std::size_t a = 0; a < arms_; ++a) {
        q_[a * kLanes + static_cast<std::size_t>(lane)] = q[a];
        estimates_[a * kLanes + static_cast<std::size_t>(lane)] = estimates[a];
        sum += q[a];
        best = q[a] > best ? q[a] : best;
      }
      bandit_.baseline.set(lane, sum / static_cast<double>(arms_));
      bandit_.best.set(lane, best);
      generators_.set(lane, state);
    }
    greedy_ = rescan(estimates_.data(), q_.data(), arms_);
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
        if (config_.agent.step_size) {
          drifting ? step_ucb<true, true>(count, rewards, values, optimal)
                   : step_ucb<true, false>(count, rewards, values, optimal);
        } else {
          drifting ? step_ucb<false, true>(count, rewards, values, optimal)
                   : step_ucb<false, false>(count, rewards, values, optimal);
        }
        break;
      case AgentKind::Gradient:
        if (config_.agent.baseline) {
          drifting ? step_gradient<true, true>(count, rewards, values, optimal)
                   : step_gradient<true, false>(count, rewards, values, optimal);
        } else {
          drifting ? step_gradient<false, true>(count, rewards, values, optimal)
                   : step_gradient<false, false>(count, rewards, values, optimal);
        }
        break;
    }
    steps_done_ += count;
  }

 private:
  // The greedy set, as Run keeps it. The stepping loops work on copies of it, of the
  // generators and of the bandit's summary in locals, which stay in registers.
  struct Greedy {
    F64 estimate;   // the best estimate
    I64 count;      // how many arms share it
    I64 first;      // the first of them
    F64 mean;       // mean q* over them
    F64 runner_up;  // the best estimate outside them
  };
  struct Bandit {
    F64 baseline;  // mean q* now
    F64 best;      // max q* now
  };

  // Run::rescan_greedy in every lane: the mean q* summed in arm order, as Run sums.
  [[gnu::noinline]] static Greedy rescan(const double* estimates, const double* q, std::size_t arms) {
    F64 top = load(estimates);
    for (std::size_t a = 1; a < arms; ++a) {
      const F64 estimate = load(estimates + a * kLanes);
      top = select(estimate > top, estimate, top);
    }
    I64 count{};
    F64 sum{};
    I64 first = I64(-1);
    F64 runner_up = F64(-std::numeric_limits<double>::infinity());
    for (std::size_t a = 0; a < arms; ++a) {
      const F64 estimate = load(estimates + a * kLanes);
      const I64 tied = estimate == top;
      count = count - tied;  // tied is -1 or 0
      sum = select(tied, sum + load(q + a * kLanes), sum);
      first = select(tied & (first < 0), I64(static_cast<std::int64_t>(a)), first);
      runner_up = select(~tied & (estimate > runner_up), estimate, runner_up);
    }
    return {top, count, first, sum / to_double53(as_u64(count)), runner_up};
  }

  // The rescan's result in the lanes of `lanes`.
  CURVELAB_LANE_INLINE void rescan_greedy(Greedy& greedy, const I64& lanes) const {
    const Greedy fresh = rescan(estimates_.data(), q_.data(), arms_);
    greedy.estimate = select(lanes, fresh.estimate, greedy.estimate);
    greedy.count = select(lanes, fresh.count, greedy.count);
    greedy.first = select(lanes, fresh.first, greedy.first);
    greedy.mean = select(lanes, fresh.mean, greedy.mean);
    greedy.runner_up = select(lanes, fresh.runner_up, greedy.runner_up);
  }

  // Run::update_greedy in every lane, after `arm`'s estimate went from `old_estimate` to
  // `estimate`: the same cases, as masks; the lanes that Run rescans are rescanned.
  CURVELAB_LANE_INLINE void update_greedy(Greedy& greedy, const I64& arm, const F64& value, const F64& old_estimate,
                                          const F64& estimate) const {
    const I64 alone = greedy.count == 1;
    const I64 is_greedy = arm == greedy.first;
    const I64 above_runner_up = estimate > greedy.runner_up;
    const I64 below_top = estimate < greedy.estimate;
    const I64 above_top = estimate > greedy.estimate;
    // The greedy arm still alone at the top.
    const I64 stays = alone & is_greedy & above_runner_up;
    // Another arm: below the top and now the runner-up, or above the top.
    const I64 other = alone & ~is_greedy;
    const I64 new_runner_up = other & below_top & above_runner_up;
    const I64 takes_over = other & above_top;
    const I64 keeps = stays | (other & below_top & (above_runner_up | (old_estimate < greedy.runner_up))) | takes_over;
    greedy.runner_up = select(new_runner_up, estimate, select(takes_over, greedy.estimate, greedy.runner_up));
    greedy.estimate = select(stays | takes_over, estimate, greedy.estimate);
    greedy.first = select(takes_over, arm, greedy.first);
    greedy.mean = select(takes_over, value, greedy.mean);
    if (any(~keeps)) {
      rescan_greedy(greedy, ~keeps);
    }
  }

  // Run::drift: each q*(a) takes its Normal(0, walk) step, in arm order, in every lane;
  // then the greedy arms' mean q* (a lone greedy arm's q*, else a rescan, as Run).
  CURVELAB_LANE_INLINE void drift(Generators& g, Bandit& bandit, Greedy* greedy) {
    const double sigma = config_.bandit.walk;
    F64 sum{};
    F64 best = F64(-std::numeric_limits<double>::infinity());
    for (std::size_t a = 0; a < arms_; ++a) {
      const F64 q = load(&q_[a * kLanes]) + sigma * g.normal();
      store(&q_[a * kLanes], q);
      sum = sum + q;
      best = select(q > best, q, best);
    }
    bandit.baseline = sum / static_cast<double>(arms_);
    bandit.best = best;
    if (greedy != nullptr) {
      const I64 alone = greedy->count == 1;
      greedy->mean = select(alone, gather(q_.data(), index_of(greedy->first)), greedy->mean);
      if (any(~alone)) {
        rescan_greedy(*greedy, ~alone);
      }
    }
  }

  // Where lane i's value of `arm` is in the [arm][lane] arrays.
  CURVELAB_LANE_INLINE U64 index_of(const I64& arm) const {
    return as_u64(arm) * static_cast<std::uint64_t>(kLanes) + lane_numbers();
  }

  // What a pull changed, for the greedy set's upkeep.
  struct Pull {
    F64 value;         // q* of the pulled arm
    F64 old_estimate;  // its estimate before the pull
    F64 estimate;      // and after
  };

  // Run's pull in every lane: the reward (the normal draw), the step's records, and the
  // pulled arm's estimate and count updated (a constant step size, or sample averages by
  // the same division as Run).
  template <bool kConstantStep>
  CURVELAB_LANE_INLINE Pull pull(const I64& arm, const double* q, double* estimates, double* pulls, Generators& g,
                                 const Bandit& bandit, double alpha, double noise, F64& reward_out,
                                 F64& optimal_out) const {
    const U64 at = index_of(arm);
    const F64 value = gather(q, at);
    const F64 old_estimate = gather(estimates, at);
    const F64 pulled = gather(pulls, at) + 1.0;
    const F64 reward = value + noise * g.normal();
    reward_out = reward;
    optimal_out = select(value == bandit.best, F64(1.0), F64{});
    F64 estimate;
    if constexpr (kConstantStep) {
      estimate = old_estimate + alpha * (reward - old_estimate);
    } else {
      estimate = old_estimate + (reward - old_estimate) / pulled;
    }
    scatter(estimates, at, estimate);
    scatter(pulls, at, pulled);
    return Pull{value, old_estimate, estimate};
  }

  template <bool kConstantStep, bool kDrifting>
  void step_epsilon_greedy(int count, F64* rewards, F64* values, F64* optimal) {
    const double epsilon = config_.agent.epsilon;
    const double alpha = config_.agent.step_size.value_or(0.0);
    const double noise = config_.bandit.noise;
    const U64 arms(static_cast<std::uint64_t>(arms_));
    Generators g = generators_;
    Greedy greedy = greedy_;
    Bandit bandit = bandit_;
    double* const estimates = estimates_.data();
    double* const pulls = pulls_.data();
    for (int t = 0; t < count; ++t) {
      values[t] = (1.0 - epsilon) * greedy.mean + epsilon * bandit.baseline;
      // Explore with probability epsilon (a uniform arm), else the greedy arm, a tie
      // broken uniformly: the draws Run makes, in the lanes that make them.
      const I64 explore = g.uniform() < epsilon;
      const I64 tie = ~explore & (greedy.count > 1);
      I64 arm = greedy.first;
      if (any(explore | tie)) {
        const U64 n = select(explore, arms, as_u64(greedy.count));
        const I64 draw = as_i64(g.below_where(explore | tie, n));
        arm = select(explore, draw, arm);
        if (any(tie)) {
          // The draw-th of the tied arms.
          I64 pick = draw;
          I64 tied_arm = arm;
          for (std::size_t a = 0; a < arms_; ++a) {
            const I64 tied = load(estimates + a * kLanes) == greedy.estimate;
            tied_arm = select(tied & (pick == 0), I64(static_cast<std::int64_t>(a)), tied_arm);
            pick = select(tied, pick - 1, pick);
          }
          arm = select(tie, tied_arm, arm);
        }
      }
      const Pull p =
          pull<kConstantStep>(arm, q_.data(), estimates, pulls, g, bandit, alpha, noise, rewards[t], optimal[t]);
      update_greedy(greedy, arm, p.value, p.old_estimate, p.estimate);
      if constexpr (kDrifting) {
        drift(g, bandit, &greedy);
      }
    }
    generators_ = g;
    greedy_ = greedy;
    bandit_ = bandit;
  }

  template <bool kDrifting>
  void step_random(int count, F64* rewards, F64* values, F64* optimal) {
    const double noise = config_.bandit.noise;
    const U64 arms(static_cast<std::uint64_t>(arms_));
    Generators g = generators_;
    Bandit bandit = bandit_;
    for (int t = 0; t < count; ++t) {
      values[t] = bandit.baseline;
      const I64 arm = as_i64(g.below_where(I64(-1), arms));
      const F64 value = gather(q_.data(), index_of(arm));
      rewards[t] = value + noise * g.normal();
      optimal[t] = select(value == bandit.best, F64(1.0), F64{});
      if constexpr (kDrifting) {
        drift(g, bandit, nullptr);
      }
    }
    generators_ = g;
    bandit_ = bandit;
  }

  // Run::step_ucb in every lane. Every lane pulls an untried arm while there is one, so
  // the first `arms` steps of every lane try arms and the later ones take the bound's
  // argmax: which of the two a step does, and ln t, are the same in every lane.
  template <bool kConstantStep, bool kDrifting>
  void step_ucb(int count, F64* rewards, F64* values, F64* optimal) {
    const double c = config_.agent.ucb_c;
    const double alpha = config_.agent.step_size.value_or(0.0);
    const double noise = config_.bandit.noise;
    const auto arms = static_cast<int>(arms_);
    Generators g = generators_;
    Bandit bandit = bandit_;
    const double* const q = q_.data();
    double* const estimates = estimates_.data();
    double* const pulls = pulls_.data();
    for (int t = 0; t < count; ++t) {
      const int done = steps_done_ + t;
      I64 arm{};
      if (done < arms) {
        // The pick-th untried arm; the true value is the untried arms' mean q*.
        const int untried = arms - done;
        I64 pick{};
        if (untried > 1) {
          pick = as_i64(g.below_where(I64(-1), U64(static_cast<std::uint64_t>(untried))));
        }
        F64 sum{};
        for (std::size_t a = 0; a < arms_; ++a) {
          const I64 open = load(pulls + a * kLanes) == 0.0;
          sum = select(open, sum + load(q + a * kLanes), sum);
          arm = select(open & (pick == 0), I64(static_cast<std::int64_t>(a)), arm);
          pick = select(open, pick - 1, pick);
        }
        values[t] = sum / static_cast<double>(untried);
      } else {
        // t counts steps from 1: ln t / N(a) with this step's t.
        const double log_t = log_t_[done];
        F64 best = F64(-std::numeric_limits<double>::infinity());
        I64 tied{};
        F64 sum{};
        for (std::size_t a = 0; a < arms_; ++a) {
          const F64 bound = load(estimates + a * kLanes) + c * sqrt(log_t / load(pulls + a * kLanes));
          const F64 value = load(q + a * kLanes);
          const I64 above = bound > best;
          const I64 same = bound == best;
          best = select(above, bound, best);
          arm = select(above, I64(static_cast<std::int64_t>(a)), arm);
          tied = select(above, I64(1), tied - same);  // same is -1 or 0
          sum = select(above, value, select(same, sum + value, sum));
        }
        const I64 ties = tied > 1;
        if (any(ties)) {
          // The draw-th of the arms whose bound is the best (the same bounds again).
          I64 pick = as_i64(g.below_where(ties, as_u64(tied)));
          I64 tied_arm = arm;
          for (std::size_t a = 0; a < arms_; ++a) {
            const F64 bound = load(estimates + a * kLanes) + c * sqrt(log_t / load(pulls + a * kLanes));
            const I64 at_best = bound == best;
            tied_arm = select(at_best & (pick == 0), I64(static_cast<std::int64_t>(a)), tied_arm);
            pick = select(at_best, pick - 1, pick);
          }
          arm = select(ties, tied_arm, arm);
        }
        values[t] = sum / to_double53(as_u64(tied));
      }
      pull<kConstantStep>(arm, q, estimates, pulls, g, bandit, alpha, noise, rewards[t], optimal[t]);
      if constexpr (kDrifting) {
        drift(g, bandit, nullptr);
      }
    }
    generators_ = g;
    bandit_ = bandit;
  }

  // det_exp_nonpositive in every lane: the same operations on the same constants, the
  // integer n, its 64ths and their remainder kept as (exact) doubles. The lanes whose 2^m
  // is not a normal number (x below about -708), and NaN, take det_exp_nonpositive itself.
  CURVELAB_LANE_INLINE static F64 exp_nonpositive(const F64& x, const double* powers) {
    using mathfn_detail::kInvLn2;
    using mathfn_detail::kLn2Hi;
    using mathfn_detail::kLn2Lo;
    const F64 n = floor(x * (64.0 * kInvLn2) + 0.5);
    const F64 dm = floor(n * (1.0 / 64));  // (n - j) / 64, j = n mod 64
    const F64 dj = n - dm * 64.0;
    const F64 r = ((x - dm * kLn2Hi) - dj * (kLn2Hi / 64.0)) - (dm * kLn2Lo + dj * (kLn2Lo / 64.0));
    const F64 poly = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
    // j and m + 1023 are the low bits of 2^52 + j and 2^52 + m + 1023.
    const U64 j = bits_as<NativeU>(dj + 0x1.0p52) & U64(63U);
    const U64 scale = bits_as<NativeU>(dm + (0x1.0p52 + 1023.0)) << 52U;
    F64 out = (gather(powers, j) * poly) * bits_as<NativeF>(scale);
    const I64 normal_scale = dm > -1022.0;  // false for NaN and for x < -745 too
    if (any(~normal_scale)) {
      out = exp_nonpositive_rare(x, normal_scale, out);
    }
    return out;
  }
  [[gnu::noinline]] static F64 exp_nonpositive_rare(F64 x, I64 done, F64 out) {
    for (int i = 0; i < kLanes; ++i) {
      if (done[i] == 0) {
        out.set(i, det_exp_nonpositive(x[i]));
      }
    }
    return out;
  }

  // Run::step_gradient in every lane: the softmax's weights, the arm whose cumulative
  // weight first passes u * total, and the preferences' step, all in arm order. Only the
  // records and the preferences are kept: the value estimates Run also keeps for the
  // gradient bandit are never read by it.
  template <bool kBaseline, bool kDrifting>
  void step_gradient(int count, F64* rewards, F64* values, F64* optimal) {
    const double alpha = gradient_step_size(config_.agent);
    const double noise = config_.bandit.noise;
    const double* const powers = mathfn_detail::exp_nonpositive_powers();
    Generators g = generators_;
    Bandit bandit = bandit_;
    F64 reward_mean = reward_mean_;
    const double* const q = q_.data();
    double* const preferences = estimates_.data();  // they start at the initial estimates
    double* const weights = weights_.data();
    for (int t = 0; t < count; ++t) {
      const int before = steps_done_ + t;
      F64 top = load(preferences);
      for (std::size_t a = 1; a < arms_; ++a) {
        const F64 preference = load(preferences + a * kLanes);
        top = select(preference > top, preference, top);
      }
      F64 total{};
      F64 expected{};
      for (std::size_t a = 0; a < arms_; ++a) {
        const F64 weight = exp_nonpositive(load(preferences + a * kLanes) - top, powers);
        store(weights + a * kLanes, weight);
        total = total + weight;
        expected = expected + weight * load(q + a * kLanes);
      }
      const F64 threshold = g.uniform() * total;
      I64 chosen = I64(static_cast<std::int64_t>(arms_ - 1));
      I64 found{};
      F64 cumulative{};
      for (std::size_t a = 0; a < arms_; ++a) {
        cumulative = cumulative + load(weights + a * kLanes);
        const I64 passes = ~found & (threshold < cumulative);
        chosen = select(passes, I64(static_cast<std::int64_t>(a)), chosen);
        found = found | passes;
      }
      const F64 inverse = 1.0 / total;
      const F64 value = gather(q, index_of(chosen));
      const F64 reward = value + noise * g.normal();
      rewards[t] = reward;
      values[t] = expected * inverse;
      optimal[t] = select(value == bandit.best, F64(1.0), F64{});
      F64 reference{};
      if constexpr (kBaseline) {
        reference = before == 0 ? reward : reward_mean;
      }
      const F64 step = alpha * (reward - reference);
      for (std::size_t a = 0; a < arms_; ++a) {
        const F64 pi = load(weights + a * kLanes) * inverse;
        const F64 preference = load(preferences + a * kLanes);
        const I64 is_chosen = chosen == static_cast<std::int64_t>(a);
        store(preferences + a * kLanes, select(is_chosen, preference + step * (1.0 - pi), preference - step * pi));
      }
      reward_mean = reward_mean + (reward - reward_mean) / static_cast<double>(before + 1);
      if constexpr (kDrifting) {
        drift(g, bandit, nullptr);
      }
    }
    generators_ = g;
    bandit_ = bandit;
    reward_mean_ = reward_mean;
  }

  const ExperimentConfig& config_;
  const double* log_t_;
  std::size_t arms_;
  Generators generators_;
  // [arm][lane]: lane i of arm a at a * kLanes + i.
  Doubles q_;          // the arms' true values
  Doubles estimates_;  // the value estimates (the gradient bandit: its preferences)
  Doubles pulls_;      // pulls so far, as doubles (exact below 2^53)
  Doubles weights_;    // the gradient bandit's softmax weights of this step
  Bandit bandit_;
  Greedy greedy_;
  F64 reward_mean_;  // the gradient bandit's mean reward so far
  int steps_done_ = 0;
};

}  // namespace

/// Adds the curves of `runs` runs of `config` to `out`, stepped kLanes at a time.
void add_batched(const ExperimentConfig& config, int first_run, int runs, RunSums sums) {
  double* const reward_sum = sums.reward;
  double* const share_sum = sums.optimal;
  double* const value_sum = sums.value;
  std::vector<F64> rewards(kChunk);
  std::vector<F64> values(kChunk);
  std::vector<F64> optimal(kChunk);
  // UCB's ln t is the same in every lane and every batch: det_log once a step, not once a
  // step and batch (it was 9% of the time).
  const bool ucb = config.agent.kind == AgentKind::Ucb;
  Doubles log_t(ucb ? static_cast<std::size_t>(config.steps) : 0);
  for (int t = 0; ucb && t < config.steps; ++t) {
    log_t[static_cast<std::size_t>(t)] = det_log(static_cast<double>(t + 1));
  }
  for (int first = first_run; first < first_run + runs; first += kLanes) {
    // Lanes past the last run are not added.
    const int used = first_run + runs - first < kLanes ? first_run + runs - first : kLanes;
    LaneBatch batch(config, first, log_t.data());
    for (int start = 0; start < config.steps; start += kChunk) {
      const int count = config.steps - start < kChunk ? config.steps - start : kChunk;
      batch.step(count, rewards.data(), values.data(), optimal.data());
      // Runs in order, as the scalar path adds them.
      for (int t = 0; t < count; ++t) {
        const auto at = static_cast<std::size_t>(start + t);
        double reward = reward_sum[at];
        double share = share_sum[at];
        for (int lane = 0; lane < used; ++lane) {
          reward += rewards[static_cast<std::size_t>(t)][lane];
          share += optimal[static_cast<std::size_t>(t)][lane];
        }
        reward_sum[at] = reward;
        share_sum[at] = share;
        if (value_sum != nullptr) {
          double value = value_sum[at];
          for (int lane = 0; lane < used; ++lane) {
            value += values[static_cast<std::size_t>(t)][lane];
          }
          value_sum[at] = value;
        }
      }
    }
  }
}

}  // namespace curvelab::CURVELAB_LANES
