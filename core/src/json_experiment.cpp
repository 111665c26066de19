// Experiments: configs, generator ranges and a run's ground truth. The fields of a config
// and of the ranges are each listed once, in a table that reading, writing and the
// unknown-field message share.
#include <string>
#include <type_traits>

#include "curvelab/json.hpp"
#include "json_read.hpp"

namespace curvelab {
using namespace json_read;

namespace {

// Every field of a config, in the order messages list them: `visit(name, member)`.
constexpr auto kExperimentFields = [](auto& c, auto&& visit) {
  visit("agent", c.agent.kind);
  visit("arms", c.bandit.arms);
  visit("arm_mean", c.bandit.arm_mean);
  visit("arm_spread", c.bandit.arm_spread);
  visit("noise", c.bandit.noise);
  visit("walk", c.bandit.walk);
  visit("epsilon", c.agent.epsilon);
  visit("initial_value", c.agent.initial_value);
  visit("initial_spread", c.agent.initial_spread);
  visit("step_size", c.agent.step_size);  // null: sample averages (the gradient bandit: its default)
  visit("ucb_c", c.agent.ucb_c);
  visit("baseline", c.agent.baseline);
  visit("steps", c.steps);
  visit("seed", c.seed);
};

// Every field of the generator ranges, likewise.
constexpr auto kRangesFields = [](auto& r, auto&& visit) {
  visit("arms", r.arms);
  visit("arm_mean", r.arm_mean);
  visit("arm_spread", r.arm_spread);
  visit("noise", r.noise);
  visit("epsilon", r.epsilon);
  visit("initial_value", r.initial_value);
  visit("steps", r.steps);
  visit("random_share", r.random_share);
  visit("ucb_share", r.ucb_share);
  visit("gradient_share", r.gradient_share);
  visit("constant_step_share", r.constant_step_share);
  visit("optimistic_share", r.optimistic_share);
  visit("baseline_off_share", r.baseline_off_share);
  visit("walk_share", r.walk_share);
  visit("step_size", r.step_size);
  visit("ucb_c", r.ucb_c);
  visit("optimism", r.optimism);
  visit("walk", r.walk);
};

// How each type of field is read.
std::optional<Error> read_field(const json& j, const std::string& field, int& out) { return read_int(j, field, out); }
std::optional<Error> read_field(const json& j, const std::string& field, double& out) {
  return read_double(j, field, out);
}
std::optional<Error> read_field(const json& j, const std::string& field, std::uint64_t& out) {
  return read_seed(j, field, out);
}
std::optional<Error> read_field(const json& j, const std::string& field, std::optional<double>& out) {
  if (j.is_null()) {
    out.reset();
    return std::nullopt;
  }
  double v = 0.0;
  auto e = read_double(j, field, v);
  out = v;
  return e;
}
std::optional<Error> read_field(const json& j, const std::string& field, bool& out) {
  if (!j.is_boolean()) {
    return type_error(field, "true or false", j);
  }
  out = j.get<bool>();
  return std::nullopt;
}
std::optional<Error> read_field(const json& j, const std::string& field, AgentKind& out) {
  const auto kind = j.is_string() ? parse_agent_kind(j.get<std::string>()) : std::nullopt;
  if (!kind) {
    return type_error(field, "\"epsilon-greedy\", \"ucb\", \"gradient\" or \"random\"", j);
  }
  out = *kind;
  return std::nullopt;
}
std::optional<Error> read_field(const json& j, const std::string& field, IntRange& out) {
  return read_range(j, field, out);
}
std::optional<Error> read_field(const json& j, const std::string& field, RealRange& out) {
  return read_range(j, field, out);
}

// How each type of field is written.
json field_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json field_json(AgentKind kind) { return agent_kind_name(kind); }
json field_json(const IntRange& r) { return json::array({r.lo, r.hi}); }
json field_json(const RealRange& r) { return json::array({r.lo, r.hi}); }
template <class T>
requires std::is_arithmetic_v<T> json field_json(T v) { return v; }

// Reads the fields of `j` into `out` through its table; unknown fields are refused.
template <class T, class Fields>
std::optional<Error> read_fields(const json& j, T& out, Fields fields) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const json& value = it.value();
    std::optional<Error> e;
    bool known = false;
    fields(out, [&](const char* name, auto& member) {
      if (!known && key == name) {
        known = true;
        e = read_field(value, key, member);
      }
    });
    if (!known) {
      std::string names;
      fields(out,
             [&names](const char* name, const auto&) { names += (names.empty() ? "" : ", ") + std::string(name); });
      return unknown_field(key, "", names);
    }
    if (e) {
      return e;
    }
  }
  return std::nullopt;
}

template <class T, class Fields>
json write_fields(const T& in, Fields fields) {
  json j = json::object();
  fields(in, [&j](const char* name, const auto& member) { j[name] = field_json(member); });
  return j;
}

// An object read through its table, then validated.
template <class T, class Fields>
Expected<T> read_valid(const json& j, const char* what, Fields fields) {
  if (auto e = require_object(j, what)) {
    return *e;
  }
  T out;
  if (auto e = read_fields(j, out, fields)) {
    return *e;
  }
  if (auto e = validate(out)) {
    return *e;
  }
  return out;
}

}  // namespace

json to_json(const ExperimentConfig& c) { return write_fields(c, kExperimentFields); }

json to_json(const GeneratorRanges& r) { return write_fields(r, kRangesFields); }

json to_json(const RunTruth& t) {
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
              {"time_to_50", optional_int(t.time_to_50)},
              {"time_to_90", optional_int(t.time_to_90)},
              {"onset", optional_int(t.onset)},
              {"normalized_area", number_to_json(t.normalized_area)}};
}

Expected<ExperimentConfig> experiment_from_json(const json& j) {
  return read_valid<ExperimentConfig>(j, "experiment", kExperimentFields);
}

Expected<GeneratorRanges> ranges_from_json(const json& j) {
  return read_valid<GeneratorRanges>(j, "ranges", kRangesFields);
}

}  // namespace curvelab
