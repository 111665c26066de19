// The agents beyond sample-average epsilon-greedy, and drifting bandits: constant step
// sizes, optimistic starts, UCB, the gradient bandit, nonstationary arms. Known answers
// on noiseless bandits (a reward then names the arm pulled), and golden hashes.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "curvelab/json.hpp"
#include "curvelab/mathfn.hpp"
#include "curvelab/quiz.hpp"
#include "curvelab/random.hpp"
#include "curvelab/run.hpp"
#include "curvelab/simulate.hpp"
#include "run_hash.hpp"

using curvelab::AgentKind;
using curvelab::ExperimentConfig;
using curvelab::Run;

namespace {
ExperimentConfig noiseless(AgentKind kind, int arms, std::uint64_t seed) {
  ExperimentConfig config;
  config.agent.kind = kind;
  config.bandit.arms = arms;
  config.bandit.noise = 0.0;
  config.seed = seed;
  return config;
}

// The arm whose value is `reward` (on a noiseless bandit with distinct arm values).
std::size_t arm_of(const Run& run, double reward) {
  const auto q = run.arm_values();
  const auto found = std::find(q.begin(), q.end(), reward);
  REQUIRE(found != q.end());
  return static_cast<std::size_t>(found - q.begin());
}
}  // namespace

TEST_CASE("a constant step size moves an estimate by alpha times the error", "[agents]") {
  ExperimentConfig config = noiseless(AgentKind::EpsilonGreedy, 4, 21);
  config.agent.epsilon = 1.0;  // pulls at random: every arm gets updates
  config.agent.step_size = 0.25;
  config.agent.initial_value = 2.0;
  config.steps = 200;
  Run run(config);
  run.finish();
  std::vector<double> q(4, 2.0);
  for (const double r : run.rewards()) {
    const std::size_t a = arm_of(run, r);
    q[a] += 0.25 * (r - q[a]);
  }
  for (std::size_t a = 0; a < 4; ++a) {
    CHECK(run.estimates()[a] == q[a]);  // bit for bit: the same update
  }
  SECTION("sample averages forget the initial value after one pull") {
    config.agent.step_size.reset();
    config.steps = 1;
    Run one(config);
    one.finish();
    CHECK(one.estimates()[arm_of(one, one.rewards()[0])] == one.rewards()[0]);
  }
}

TEST_CASE("optimistic greedy tries every arm once before it repeats one", "[agents]") {
  for (const bool constant : {false, true}) {
    ExperimentConfig config = noiseless(AgentKind::EpsilonGreedy, 10, 22);
    config.agent.epsilon = 0.0;
    config.agent.initial_value = 5.0;  // above every arm of the testbed
    if (constant) {
      config.agent.step_size = 0.1;
    }
    config.steps = 10;
    Run run(config);
    run.finish();
    std::set<std::size_t> pulled;
    for (const double r : run.rewards()) {
      pulled.insert(arm_of(run, r));
    }
    CHECK(pulled.size() == 10);
  }
}

TEST_CASE("UCB pulls each untried arm first, then the highest upper bound", "[agents]") {
  ExperimentConfig config = noiseless(AgentKind::Ucb, 5, 23);
  config.agent.ucb_c = 1.0;
  config.steps = 300;
  Run run(config);
  run.finish();
  const auto rewards = run.rewards();
  const auto values = run.true_values();
  // Steps 1-5: the untried arms, each once, in random order; the true value is the mean
  // of the arms not yet tried.
  std::set<std::size_t> tried;
  for (std::size_t t = 0; t < 5; ++t) {
    double untried_sum = 0.0;
    for (std::size_t a = 0; a < 5; ++a) {
      untried_sum += tried.count(a) == 0 ? run.arm_values()[a] : 0.0;
    }
    CHECK(values[t] == Approx(untried_sum / static_cast<double>(5 - t)).epsilon(1e-12));
    tried.insert(arm_of(run, rewards[t]));
  }
  CHECK(tried.size() == 5);
  // Then argmax Q(a) + c sqrt(ln t / N(a)), replayed here with exact estimates (noiseless).
  std::vector<double> pulls(5, 1.0);
  for (std::size_t t = 5; t < rewards.size(); ++t) {
    std::size_t best = 0;
    double best_bound = -1e300;
    for (std::size_t a = 0; a < 5; ++a) {
      const double bound = run.arm_values()[a] + std::sqrt(std::log(static_cast<double>(t + 1)) / pulls[a]);
      if (bound > best_bound) {
        best_bound = bound;
        best = a;
      }
    }
    REQUIRE(arm_of(run, rewards[t]) == best);
    REQUIRE(values[t] == run.arm_values()[best]);
    pulls[best] += 1.0;
  }
  SECTION("c = 0 is greedy once every arm was tried") {
    config.agent.ucb_c = 0.0;
    Run greedy(config);
    greedy.finish();
    for (std::size_t t = 5; t < 300; ++t) {
      REQUIRE(greedy.rewards()[t] == greedy.best_possible());
    }
  }
}

TEST_CASE("the gradient bandit's baseline is the mean of the earlier rewards", "[agents]") {
  ExperimentConfig config = noiseless(AgentKind::Gradient, 4, 24);
  config.agent.step_size = 0.5;
  SECTION("with the baseline, step 1 changes nothing and step 2 compares with reward 1") {
    Run run(config);
    run.step(1);
    for (const double h : run.preferences()) {
      CHECK(h == 0.0);  // R - R̄_1 = R_1 - R_1 = 0
    }
    CHECK(run.true_values()[0] == Approx(run.baseline()).epsilon(1e-12));  // uniform softmax
    run.step(1);
    const double r1 = run.rewards()[0];
    const double r2 = run.rewards()[1];
    const std::size_t a2 = arm_of(run, r2);
    const double step = 0.5 * (r2 - r1);  // the baseline is R_1, not (R_1 + R_2) / 2
    for (std::size_t a = 0; a < 4; ++a) {
      CHECK(run.preferences()[a] == (a == a2 ? step * (1.0 - 0.25) : -(step * 0.25)));
    }
  }
  SECTION("without the baseline, the reward itself is the signal") {
    config.agent.baseline = false;
    Run run(config);
    run.step(1);
    const double r1 = run.rewards()[0];
    const std::size_t a1 = arm_of(run, r1);
    for (std::size_t a = 0; a < 4; ++a) {
      CHECK(run.preferences()[a] == (a == a1 ? 0.5 * r1 * 0.75 : -(0.5 * r1 * 0.25)));
    }
  }
}

TEST_CASE("the gradient bandit pulls by the softmax of its preferences, and that is its true value", "[agents]") {
  ExperimentConfig config = noiseless(AgentKind::Gradient, 3, 25);
  config.agent.initial_spread = 1.0;  // preferences start at these random estimates
  config.agent.step_size = 1e-12;     // and barely move
  config.steps = 30'000;
  Run run(config);
  const std::vector<double> h(run.preferences().begin(), run.preferences().end());
  double z = 0.0;
  std::vector<double> pi(3);
  for (std::size_t a = 0; a < 3; ++a) {
    pi[a] = std::exp(h[a]);
    z += pi[a];
  }
  double expected = 0.0;
  for (std::size_t a = 0; a < 3; ++a) {
    pi[a] /= z;
    expected += pi[a] * run.arm_values()[a];
  }
  run.finish();
  CHECK(run.true_values()[0] == Approx(expected).epsilon(1e-12));
  std::vector<int> counts(3, 0);
  for (const double r : run.rewards()) {
    counts[arm_of(run, r)] += 1;
  }
  for (std::size_t a = 0; a < 3; ++a) {
    // 4 standard deviations of a binomial count of 30,000 pulls.
    const double sd = std::sqrt(30'000 * pi[a] * (1 - pi[a]));
    CHECK(std::abs(counts[a] - 30'000 * pi[a]) < 4 * sd);
  }
}

TEST_CASE("on a drifting bandit every arm takes a Normal(0, sigma) step per time step", "[agents]") {
  ExperimentConfig config;
  config.agent.kind = AgentKind::Random;
  config.bandit.arms = 100;
  config.bandit.walk = 0.1;
  config.steps = 400;
  config.seed = 26;
  Run run(config);
  const std::vector<double> start(run.arm_values().begin(), run.arm_values().end());
  run.finish();
  double sum = 0.0;
  double sum_sq = 0.0;
  for (std::size_t a = 0; a < 100; ++a) {
    const double change = run.arm_values()[a] - start[a];
    sum += change;
    sum_sq += change * change;
  }
  // After 400 steps each change is Normal(0, 0.1 * sqrt(400) = 2): variance 4.
  CHECK(std::abs(sum / 100) < 0.8);  // 4 standard errors
  CHECK(sum_sq / 100 == Approx(4.0).margin(1.6));
  // The random agent's true value follows mean q* at each step; the baseline is their mean.
  const auto v = run.true_values();
  CHECK(run.baseline() == Approx(std::accumulate(v.begin(), v.end(), 0.0) / 400).epsilon(1e-12));
  CHECK(v.front() != v.back());

  config.bandit.walk = 0.0;
  Run still(config);
  still.finish();
  CHECK(std::equal(start.begin(), start.end(), still.arm_values().begin()));
}

TEST_CASE("under drift the optimal action is the best arm at that step", "[agents]") {
  // Two noiseless arms pulled at random: the true value is their mean at that step, so the
  // other arm's value is 2 v - r, and the pull was optimal exactly when r >= v.
  ExperimentConfig config = noiseless(AgentKind::Random, 2, 27);
  config.bandit.arm_spread = 0.0;  // they start equal and drift apart
  config.bandit.walk = 0.05;
  config.steps = 2000;
  Run run(config);
  run.finish();
  int switches = 0;
  double best_sum = 0.0;
  for (std::size_t t = 0; t < 2000; ++t) {
    const double r = run.rewards()[t];
    const double v = run.true_values()[t];
    best_sum += std::max(r, 2 * v - r);
    if (std::abs(r - v) > 1e-9) {
      REQUIRE((run.optimal()[t] == 1) == (r > v));
    }
    switches += t > 0 && (run.optimal()[t] == 1) != (run.optimal()[t - 1] == 1) ? 1 : 0;
  }
  CHECK(switches > 100);  // the best arm is not fixed
  CHECK(run.best_possible() == Approx(best_sum / 2000).epsilon(1e-9));
}

TEST_CASE("every agent's true value is its expected reward, with and without drift", "[agents]") {
  struct Case {
    AgentKind kind;
    double step_size;  // 0: sample averages
    double walk;
  };
  for (const Case c : {Case{AgentKind::Ucb, 0.0, 0.0}, Case{AgentKind::Gradient, 0.1, 0.0},
                       Case{AgentKind::EpsilonGreedy, 0.1, 0.0}, Case{AgentKind::EpsilonGreedy, 0.0, 0.02},
                       Case{AgentKind::Ucb, 0.1, 0.02}, Case{AgentKind::Gradient, 0.1, 0.02}}) {
    ExperimentConfig config;
    config.agent.kind = c.kind;
    if (c.step_size > 0.0) {
      config.agent.step_size = c.step_size;
    }
    config.bandit.walk = c.walk;
    config.steps = 500;
    config.seed = 28;
    const auto curves = curvelab::simulate_average(config, 1000);
    double reward = 0.0;
    double value = 0.0;
    for (std::size_t t = 0; t < 500; ++t) {
      reward += curves.mean_reward[t] / 500;
      value += curves.mean_true_value[t] / 500;
    }
    // The noise of 500,000 unit-variance rewards: standard error 0.0014; the arms' draws
    // are shared by both means.
    CHECK(value == Approx(reward).margin(0.01));
  }
}

TEST_CASE("a change of agent mid-run keeps what was learnt", "[agents]") {
  ExperimentConfig config;
  config.seed = 29;
  Run run(config);
  run.step(300);
  const std::vector<double> estimates(run.estimates().begin(), run.estimates().end());
  curvelab::AgentConfig ucb = run.config().agent;
  ucb.kind = AgentKind::Ucb;
  run.set_agent(ucb);
  CHECK(std::equal(estimates.begin(), estimates.end(), run.estimates().begin()));
  run.step(100);
  curvelab::AgentConfig gradient = ucb;
  gradient.kind = AgentKind::Gradient;
  run.set_agent(gradient);
  run.step(1);
  // The gradient bandit's first step compares with the mean of the 400 rewards before it.
  const auto r = run.rewards();
  const double mean = std::accumulate(r.begin(), r.begin() + 400, 0.0) / 400;
  const double signal = r[400] - mean;
  // Preferences were still at the initial estimates (0): the softmax was uniform, 1/10.
  const auto h = run.preferences();
  const double chosen = signal > 0 ? *std::max_element(h.begin(), h.end()) : *std::min_element(h.begin(), h.end());
  CHECK(chosen == Approx(0.1 * signal * 0.9).epsilon(1e-9));
  CHECK(std::accumulate(h.begin(), h.end(), 0.0) == Approx(0.0).margin(1e-12));
  run.finish();
  CHECK(run.done());
}

TEST_CASE("golden hashes pin every agent and the drift", "[agents][golden]") {
  const auto hash_of = [](const curvelab::AgentConfig& agent, double walk) {
    ExperimentConfig config;
    config.agent = agent;
    config.bandit.walk = walk;
    config.seed = 77;
    Run run(config);
    run.finish();
    return hash_run(run);
  };
  curvelab::AgentConfig agent;
  agent.step_size = 0.1;
  CHECK(hash_of(agent, 0.0) == 0xFD1A2E85CAE095B5ULL);  // epsilon-greedy, alpha 0.1
  agent.epsilon = 0.0;
  agent.initial_value = 5.0;
  CHECK(hash_of(agent, 0.0) == 0x69344F3C0799DD85ULL);  // optimistic greedy
  agent = {};
  agent.kind = AgentKind::Ucb;
  CHECK(hash_of(agent, 0.0) == 0xC8350F07E4E3A4D3ULL);  // UCB c = 2
  agent.kind = AgentKind::Gradient;
  CHECK(hash_of(agent, 0.0) == 0x787AB7FF24DFF1CCULL);  // gradient, alpha 0.1, baseline
  agent.baseline = false;
  CHECK(hash_of(agent, 0.0) == 0xCCC0EF3D45637E43ULL);  // gradient without the baseline
  agent = {};
  CHECK(hash_of(agent, 0.01) == 0x01385DFC3DE71D24ULL);  // epsilon-greedy on a drifting bandit
  agent.kind = AgentKind::Random;
  CHECK(hash_of(agent, 0.01) == 0xA2055EA98DA498F4ULL);  // random on a drifting bandit
}

TEST_CASE("the new fields round-trip through JSON and are refused out of range", "[agents][json]") {
  using nlohmann::json;
  ExperimentConfig c;
  c.agent.kind = AgentKind::Gradient;
  c.agent.step_size = 0.25;
  c.agent.baseline = false;
  c.agent.ucb_c = 1.5;
  c.bandit.walk = 0.01;
  const json j = curvelab::to_json(c);
  CHECK(j["agent"] == "gradient");
  CHECK(j["step_size"] == 0.25);
  CHECK(j["baseline"] == false);
  const auto back = curvelab::experiment_from_json(json::parse(j.dump()));
  REQUIRE(back.ok());
  CHECK(back->agent.kind == AgentKind::Gradient);
  CHECK(back->agent.step_size == 0.25);
  CHECK_FALSE(back->agent.baseline);
  CHECK(back->agent.ucb_c == 1.5);
  CHECK(back->bandit.walk == 0.01);
  // Sample averages are written as null and read back as none.
  CHECK(curvelab::to_json(ExperimentConfig{})["step_size"].is_null());
  CHECK_FALSE(curvelab::experiment_from_json(json{{"step_size", nullptr}})->agent.step_size);

  const auto message = [](const json& in) { return curvelab::experiment_from_json(in).error().message; };
  CHECK(message(json{{"step_size", 0}}) == "step_size must be in (0, 1] for epsilon-greedy, got 0");
  CHECK(message(json{{"step_size", 1.5}, {"agent", "ucb"}}) == "step_size must be in (0, 1] for ucb, got 1.5");
  CHECK(message(json{{"step_size", 101}, {"agent", "gradient"}}) ==
        "step_size must be in (0, 100] for gradient, got 101");
  CHECK(curvelab::experiment_from_json(json{{"step_size", 2}, {"agent", "gradient"}}).ok());
  CHECK(message(json{{"ucb_c", -1}}) == "ucb_c must be in [0, 100], got -1");
  CHECK(message(json{{"walk", 11}}) == "walk must be in [0, 10], got 11");
  CHECK(message(json{{"walk", "nan"}}) == "walk must be a number, got \"nan\"");
  CHECK(message(json{{"baseline", "on"}}) == "baseline must be true or false, got \"on\"");
}

TEST_CASE("the softmax's exponential agrees with the C library to a few ulps", "[agents][math]") {
  curvelab::Rng rng(31);
  for (int i = 0; i < 100'000; ++i) {
    const double x = i % 2 == 0 ? rng.uniform(-700.0, 0.0) : -rng.uniform();
    const double expected = std::exp(x);
    REQUIRE(std::abs(curvelab::det_exp_nonpositive(x) - expected) <=
            4 * std::abs(std::nextafter(expected, 0.0) - expected));
  }
  CHECK(curvelab::det_exp_nonpositive(0.0) == 1.0);
  CHECK(curvelab::det_exp_nonpositive(-800.0) == 0.0);
  CHECK(std::isnan(curvelab::det_exp_nonpositive(std::nan(""))));
}

TEST_CASE("quiz items hold the new agents, and every kind still finds clear items", "[agents][quiz]") {
  using namespace curvelab;
  std::set<std::string> shapes;
  for (const QuizKind kind : kAllQuizKinds) {
    int clear = 0;
    constexpr int kItems = 8;
    for (int index = 0; index < kItems; ++index) {
      const QuizItem item = make_quiz_item(kind, 11, index);
      const QuizTruth truth = quiz_truth(item, run_item(item));
      for (const ExperimentConfig& c : item.runs) {
        shapes.insert(std::string(agent_kind_name(c.agent.kind)) + (c.bandit.walk > 0.0 ? "+walk" : ""));
      }
      std::vector<double> finals;
      std::vector<double> maxima;
      std::vector<double> times;
      for (const RunTruth& r : truth.runs) {
        finals.push_back(r.final_performance);
        maxima.push_back(r.max_visible);
        times.push_back(r.time_to_50 ? *r.time_to_50 : -1e9);
      }
      const auto gap = [](std::vector<double> keys) {
        std::sort(keys.begin(), keys.end());
        double g = 1e300;
        for (std::size_t i = 1; i < keys.size(); ++i) {
          g = std::min(g, keys[i] - keys[i - 1]);
        }
        return g;
      };
      const double range = truth.cohort.best_final - truth.cohort.worst_final;
      bool ok = false;
      switch (kind) {
        case QuizKind::StopEarly:
        case QuizKind::Sequential:
          ok = range > 0.0 && std::all_of(finals.begin(), finals.end(), [&](double f) {
                 return std::abs(f - truth.cohort.median_final) >= 0.05 * range;
               });
          break;
        case QuizKind::RankMax: {
          const double spread =
              *std::max_element(maxima.begin(), maxima.end()) - *std::min_element(maxima.begin(), maxima.end());
          ok = spread > 0.0 && gap(maxima) >= 0.08 * spread;
          break;
        }
        case QuizKind::RankFastest:
        case QuizKind::RankSlowest:
          ok = std::all_of(times.begin(), times.end(), [](double t) { return t > 0.0; }) && gap(times) >= 30.0;
          break;
        case QuizKind::Onset:
          ok = truth.runs[0].onset && *truth.runs[0].onset >= 50 && *truth.runs[0].onset <= 800;
          break;
        case QuizKind::StopPoint:
          ok = item.target >= 0 && truth.cohort.runs[static_cast<std::size_t>(item.target)].below_median;
          break;
        case QuizKind::Pairwise:
          ok = std::abs(finals[0] - finals[1]) >= 0.1 * (std::abs(finals[0]) + std::abs(finals[1]) + 0.1);
          break;
      }
      clear += ok ? 1 : 0;
    }
    INFO(quiz_kind_name(kind));
    CHECK(clear == kItems);
  }
  for (const char* shape : {"epsilon-greedy", "ucb", "gradient", "random"}) {
    INFO(shape);
    CHECK(shapes.count(shape) == 1);
  }
  CHECK(shapes.size() > 5);  // and some of them drift
}
