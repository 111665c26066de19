#include "curvelab/json.hpp"

#include <cmath>
#include <limits>
#include <string>

namespace curvelab {
namespace {
using nlohmann::json;

constexpr std::uint64_t kMaxSeed = (std::uint64_t{1} << 53U) - 1U;

std::string describe(const json& j) {
  std::string text = j.dump();
  if (text.size() > 40) {
    text = text.substr(0, 37) + "...";
  }
  return text;
}

Error type_error(const std::string& field, const char* expected, const json& got) {
  return Error{field, field + " must be " + expected + ", got " + describe(got)};
}

// Reads a JSON number, or the strings "inf", "-inf", "nan", into `out`.
std::optional<Error> read_double(const json& j, const std::string& field, double& out) {
  if (j.is_number()) {
    out = j.get<double>();
    return std::nullopt;
  }
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s == "inf" || s == "+inf" || s == "Infinity") {
      out = std::numeric_limits<double>::infinity();
      return std::nullopt;
    }
    if (s == "-inf" || s == "-Infinity") {
      out = -std::numeric_limits<double>::infinity();
      return std::nullopt;
    }
  }
  return type_error(field, "a number", j);
}

std::optional<Error> read_int(const json& j, const std::string& field, int& out) {
  if (j.is_number_integer() && j.get<std::int64_t>() >= std::numeric_limits<int>::min() &&
      j.get<std::int64_t>() <= std::numeric_limits<int>::max()) {
    out = j.get<int>();
    return std::nullopt;
  }
  if (j.is_number_float() && std::floor(j.get<double>()) == j.get<double>() && std::abs(j.get<double>()) < 2e9) {
    out = static_cast<int>(j.get<double>());
    return std::nullopt;
  }
  return type_error(field, "an integer", j);
}

std::optional<Error> read_seed(const json& j, const std::string& field, std::uint64_t& out) {
  if (j.is_number_unsigned() && j.get<std::uint64_t>() <= kMaxSeed) {
    out = j.get<std::uint64_t>();
    return std::nullopt;
  }
  if (j.is_number_integer() && j.get<std::int64_t>() >= 0) {
    out = static_cast<std::uint64_t>(j.get<std::int64_t>());
    if (out <= kMaxSeed) {
      return std::nullopt;
    }
  }
  return type_error(field, "an integer in [0, 2^53 - 1]", j);
}

template <class Range>
std::optional<Error> read_range(const json& j, const std::string& field, Range& out) {
  if (!j.is_array() || j.size() != 2) {
    return type_error(field, "a pair [lo, hi]", j);
  }
  if constexpr (std::is_same_v<Range, IntRange>) {
    if (auto e = read_int(j[0], field + ".lo", out.lo)) {
      return e;
    }
    return read_int(j[1], field + ".hi", out.hi);
  } else {
    if (auto e = read_double(j[0], field + ".lo", out.lo)) {
      return e;
    }
    return read_double(j[1], field + ".hi", out.hi);
  }
}

std::optional<Error> require_object(const json& j, const char* what) {
  if (!j.is_object()) {
    return Error{what, std::string(what) + " must be a JSON object, got " + describe(j)};
  }
  return std::nullopt;
}
}  // namespace

json number_to_json(double value) {
  if (std::isnan(value)) {
    return nullptr;
  }
  if (std::isinf(value)) {
    return value > 0 ? "inf" : "-inf";
  }
  return value;
}

json to_json(const ExperimentConfig& c) {
  return json{{"agent", agent_kind_name(c.agent.kind)},
              {"arms", c.bandit.arms},
              {"arm_mean", c.bandit.arm_mean},
              {"arm_spread", c.bandit.arm_spread},
              {"noise", c.bandit.noise},
              {"epsilon", c.agent.epsilon},
              {"initial_value", c.agent.initial_value},
              {"initial_spread", c.agent.initial_spread},
              {"steps", c.steps},
              {"seed", c.seed}};
}

json to_json(const GeneratorRanges& r) {
  const auto pair = [](const auto& range) { return json::array({range.lo, range.hi}); };
  return json{{"arms", pair(r.arms)},
              {"arm_mean", pair(r.arm_mean)},
              {"arm_spread", pair(r.arm_spread)},
              {"noise", pair(r.noise)},
              {"epsilon", pair(r.epsilon)},
              {"initial_value", pair(r.initial_value)},
              {"steps", pair(r.steps)},
              {"random_share", r.random_share}};
}

json to_json(const RunTruth& t) {
  const auto step = [](const std::optional<int>& s) { return s ? json(*s) : json(nullptr); };
  return json{{"horizon", t.horizon},
              {"baseline", number_to_json(t.baseline)},
              {"best_possible", number_to_json(t.best_possible)},
              {"final_performance", number_to_json(t.final_performance)},
              {"max_true", number_to_json(t.max_true)},
              {"max_true_step", t.max_true_step},
              {"max_visible", number_to_json(t.max_visible)},
              {"max_visible_step", t.max_visible_step},
              {"smoothing_window", t.smoothing_window},
              {"learns", t.learns},
              {"time_to_50", step(t.time_to_50)},
              {"time_to_90", step(t.time_to_90)},
              {"onset", step(t.onset)},
              {"normalized_area", number_to_json(t.normalized_area)}};
}

Expected<json> parse_json_text(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Error{"json", "not valid JSON" + std::string(text.empty() ? " (the input is empty)" : "")};
  }
  return j;
}

Expected<ExperimentConfig> experiment_from_json(const json& j) {
  if (auto e = require_object(j, "experiment")) {
    return *e;
  }
  ExperimentConfig c;
  for (const auto& [key, value] : j.items()) {
    std::optional<Error> e;
    if (key == "agent") {
      const auto kind = value.is_string() ? parse_agent_kind(value.get<std::string>()) : std::nullopt;
      if (!kind) {
        e = type_error(key, "\"epsilon-greedy\" or \"random\"", value);
      } else {
        c.agent.kind = *kind;
      }
    } else if (key == "arms") {
      e = read_int(value, key, c.bandit.arms);
    } else if (key == "arm_mean") {
      e = read_double(value, key, c.bandit.arm_mean);
    } else if (key == "arm_spread") {
      e = read_double(value, key, c.bandit.arm_spread);
    } else if (key == "noise") {
      e = read_double(value, key, c.bandit.noise);
    } else if (key == "epsilon") {
      e = read_double(value, key, c.agent.epsilon);
    } else if (key == "initial_value") {
      e = read_double(value, key, c.agent.initial_value);
    } else if (key == "initial_spread") {
      e = read_double(value, key, c.agent.initial_spread);
    } else if (key == "steps") {
      e = read_int(value, key, c.steps);
    } else if (key == "seed") {
      e = read_seed(value, key, c.seed);
    } else {
      e = Error{key, "unknown field \"" + key +
                         "\" (expected agent, arms, arm_mean, arm_spread, noise, epsilon, initial_value, "
                         "initial_spread, steps, seed)"};
    }
    if (e) {
      return *e;
    }
  }
  if (auto e = validate(c)) {
    return *e;
  }
  return c;
}

Expected<GeneratorRanges> ranges_from_json(const json& j) {
  if (auto e = require_object(j, "ranges")) {
    return *e;
  }
  GeneratorRanges r;
  for (const auto& [key, value] : j.items()) {
    std::optional<Error> e;
    if (key == "arms") {
      e = read_range(value, key, r.arms);
    } else if (key == "arm_mean") {
      e = read_range(value, key, r.arm_mean);
    } else if (key == "arm_spread") {
      e = read_range(value, key, r.arm_spread);
    } else if (key == "noise") {
      e = read_range(value, key, r.noise);
    } else if (key == "epsilon") {
      e = read_range(value, key, r.epsilon);
    } else if (key == "initial_value") {
      e = read_range(value, key, r.initial_value);
    } else if (key == "steps") {
      e = read_range(value, key, r.steps);
    } else if (key == "random_share") {
      e = read_double(value, key, r.random_share);
    } else {
      e = Error{key, "unknown field \"" + key +
                         "\" (expected arms, arm_mean, arm_spread, noise, epsilon, initial_value, steps, "
                         "random_share)"};
    }
    if (e) {
      return *e;
    }
  }
  if (auto e = validate(r)) {
    return *e;
  }
  return r;
}

}  // namespace curvelab
