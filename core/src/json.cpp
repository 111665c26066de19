#include "curvelab/json.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "curvelab/limits.hpp"

namespace curvelab {
namespace {
using nlohmann::json;

constexpr std::uint64_t kMaxSeed = (std::uint64_t{1} << 53U) - 1U;

std::string describe(const json& j) { return describe_json(j); }

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
              {"walk", c.bandit.walk},
              {"epsilon", c.agent.epsilon},
              {"initial_value", c.agent.initial_value},
              {"initial_spread", c.agent.initial_spread},
              {"step_size", c.agent.step_size ? json(*c.agent.step_size) : json(nullptr)},
              {"ucb_c", c.agent.ucb_c},
              {"baseline", c.agent.baseline},
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
              {"random_share", r.random_share},
              {"ucb_share", r.ucb_share},
              {"gradient_share", r.gradient_share},
              {"constant_step_share", r.constant_step_share},
              {"optimistic_share", r.optimistic_share},
              {"baseline_off_share", r.baseline_off_share},
              {"walk_share", r.walk_share},
              {"step_size", pair(r.step_size)},
              {"ucb_c", pair(r.ucb_c)},
              {"optimism", pair(r.optimism)},
              {"walk", pair(r.walk)}};
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

std::string describe_json(const json& j, std::size_t max_chars) {
  std::string out;
  // A string is cut before it is escaped, so a long one costs no more than a short one.
  const auto quoted = [&out, max_chars](const std::string& text) {
    out += json(text.substr(0, max_chars + 1)).dump(-1, ' ', false, json::error_handler_t::replace);
  };
  struct Frame {
    const json* node;
    json::const_iterator next;
  };
  std::vector<Frame> stack;
  const auto open = [&](const json& v) {
    if (v.is_object() || v.is_array()) {
      out += v.is_object() ? '{' : '[';
      stack.push_back({&v, v.cbegin()});
    } else if (v.is_string()) {
      quoted(v.get_ref<const std::string&>());
    } else {
      out += v.dump();
    }
  };
  open(j);
  while (!stack.empty() && out.size() <= max_chars) {
    const json* node = stack.back().node;
    if (stack.back().next == node->cend()) {
      out += node->is_object() ? '}' : ']';
      stack.pop_back();
      continue;
    }
    if (stack.back().next != node->cbegin()) {
      out += ',';
    }
    const json::const_iterator it = stack.back().next++;
    if (node->is_object()) {
      quoted(it.key());
      out += ':';
    }
    open(*it);
  }
  if (out.size() > max_chars) {
    std::size_t cut = max_chars > 3 ? max_chars - 3 : 0;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0U) == 0x80U) {
      --cut;  // not inside a UTF-8 sequence
    }
    out = out.substr(0, cut) + "...";
  }
  return out;
}

Expected<json> parse_json_text(std::string_view text) {
  if (text.size() > kMaxInputBytes) {
    return Error{"json", "the JSON text is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                             std::to_string(kMaxInputBytes) + " (" + std::to_string(kMaxInputBytes >> 20) + " MiB)"};
  }
  // One pass before parsing: a NUL would end nlohmann's parse silently, and depth is
  // bounded here so that no later recursive walk of the value can overflow the stack.
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\0') {
      return Error{"json", "not valid JSON: a NUL byte at byte " + std::to_string(i)};
    }
    if (in_string) {
      if (c == '\\') {
        ++i;
        if (i < text.size() && text[i] == '\0') {
          return Error{"json", "not valid JSON: a NUL byte at byte " + std::to_string(i)};
        }
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        return Error{"json", "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels at byte " +
                                 std::to_string(i)};
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
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
        e = type_error(key, "\"epsilon-greedy\", \"ucb\", \"gradient\" or \"random\"", value);
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
    } else if (key == "walk") {
      e = read_double(value, key, c.bandit.walk);
    } else if (key == "step_size") {
      if (value.is_null()) {
        c.agent.step_size.reset();  // sample averages (the gradient bandit: its default)
      } else {
        double alpha = 0.0;
        e = read_double(value, key, alpha);
        c.agent.step_size = alpha;
      }
    } else if (key == "ucb_c") {
      e = read_double(value, key, c.agent.ucb_c);
    } else if (key == "baseline") {
      if (value.is_boolean()) {
        c.agent.baseline = value.get<bool>();
      } else {
        e = type_error(key, "true or false", value);
      }
    } else if (key == "steps") {
      e = read_int(value, key, c.steps);
    } else if (key == "seed") {
      e = read_seed(value, key, c.seed);
    } else {
      e = Error{key, "unknown field \"" + key +
                         "\" (expected agent, arms, arm_mean, arm_spread, noise, walk, epsilon, initial_value, "
                         "initial_spread, step_size, ucb_c, baseline, steps, seed)"};
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
    } else if (key == "ucb_share") {
      e = read_double(value, key, r.ucb_share);
    } else if (key == "gradient_share") {
      e = read_double(value, key, r.gradient_share);
    } else if (key == "constant_step_share") {
      e = read_double(value, key, r.constant_step_share);
    } else if (key == "optimistic_share") {
      e = read_double(value, key, r.optimistic_share);
    } else if (key == "baseline_off_share") {
      e = read_double(value, key, r.baseline_off_share);
    } else if (key == "walk_share") {
      e = read_double(value, key, r.walk_share);
    } else if (key == "step_size") {
      e = read_range(value, key, r.step_size);
    } else if (key == "ucb_c") {
      e = read_range(value, key, r.ucb_c);
    } else if (key == "optimism") {
      e = read_range(value, key, r.optimism);
    } else if (key == "walk") {
      e = read_range(value, key, r.walk);
    } else {
      e = Error{key, "unknown field \"" + key +
                         "\" (expected arms, arm_mean, arm_spread, noise, epsilon, initial_value, steps, "
                         "random_share, ucb_share, gradient_share, constant_step_share, optimistic_share, "
                         "baseline_off_share, walk_share, step_size, ucb_c, optimism, walk)"};
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

namespace curvelab {
namespace {
using nlohmann::json;

constexpr std::int64_t kMaxStep = kMaxExactInteger;

// A value: a number, null or "nan" (NaN), "inf" / "+inf" / "-inf".
std::optional<Error> read_value(const json& j, const std::string& field, double& out) {
  if (j.is_null() || (j.is_string() && (j == "nan" || j == "NaN"))) {
    out = std::numeric_limits<double>::quiet_NaN();
    return std::nullopt;
  }
  if (!read_double(j, field, out)) {
    return std::nullopt;
  }
  return type_error(field, "a number, null (NaN), \"inf\" or \"-inf\"", j);
}

std::optional<Error> read_int64(const json& j, const std::string& field, std::int64_t& out) {
  if (j.is_number_unsigned()) {
    if (j.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxStep)) {
      out = static_cast<std::int64_t>(j.get<std::uint64_t>());
      return std::nullopt;
    }
  } else if (j.is_number_integer() && is_exact_integer(j.get<std::int64_t>())) {
    // Built from flags or bindings an integer is signed: the same limit applies.
    out = j.get<std::int64_t>();
    return std::nullopt;
  }
  return exact_integer_error(field, describe(j));
}

std::optional<Error> read_resource(const json& j, const std::string& field, Resource& out) {
  if (j.is_string() && j.get_ref<const std::string&>() == "auto") {
    out = Resource{true, 0};
    return std::nullopt;
  }
  if (j.is_number_integer()) {
    std::int64_t v = 0;
    if (auto e = read_int64(j, field, v)) {
      return e;
    }
    out = Resource{false, v};
    return std::nullopt;
  }
  return type_error(field, "\"auto\" or an integer", j);
}

std::optional<Error> read_pruner_param(const std::string& key, const json& value, PrunerSpec& spec) {
  const std::string field = key;
  const PrunerKind k = spec.kind;
  const bool percentile_like = k == PrunerKind::Median || k == PrunerKind::Percentile;
  const bool halving = k == PrunerKind::SuccessiveHalving || k == PrunerKind::Hyperband;
  if (k == PrunerKind::Extrapolation) {
    if (key == "p") {
      return read_value(value, field, spec.p);
    }
    if (key == "horizon") {
      return read_resource(value, field, spec.horizon);
    }
    if (key == "n_startup_trials" || key == "n_warmup_steps" || key == "interval_steps") {
      std::int64_t& target = key == "n_startup_trials" ? spec.n_startup_trials
                             : key == "n_warmup_steps" ? spec.n_warmup_steps
                                                       : spec.interval_steps;
      return read_int64(value, field, target);
    }
  }
  if (k == PrunerKind::Percentile && key == "percentile") {
    return read_value(value, field, spec.percentile);
  }
  if (percentile_like && key == "n_startup_trials") {
    return read_int64(value, field, spec.n_startup_trials);
  }
  if ((percentile_like || k == PrunerKind::Threshold) && key == "n_warmup_steps") {
    return read_int64(value, field, spec.n_warmup_steps);
  }
  if ((percentile_like || k == PrunerKind::Threshold) && key == "interval_steps") {
    return read_int64(value, field, spec.interval_steps);
  }
  if (percentile_like && key == "n_min_trials") {
    return read_int64(value, field, spec.n_min_trials);
  }
  if (halving && key == "min_resource") {
    return read_resource(value, field, spec.min_resource);
  }
  if (k == PrunerKind::Hyperband && key == "max_resource") {
    return read_resource(value, field, spec.max_resource);
  }
  if (halving && key == "reduction_factor") {
    return read_int64(value, field, spec.reduction_factor);
  }
  if (k == PrunerKind::SuccessiveHalving && key == "min_early_stopping_rate") {
    return read_int64(value, field, spec.min_early_stopping_rate);
  }
  if (halving && key == "bootstrap_count") {
    return read_int64(value, field, spec.bootstrap_count);
  }
  if (k == PrunerKind::Threshold && (key == "lower" || key == "upper")) {
    if (value.is_null()) {
      return std::nullopt;  // None: no bound
    }
    double bound = 0.0;
    if (auto e = read_value(value, field, bound)) {
      return e;
    }
    (key == "lower" ? spec.lower : spec.upper) = bound;
    return std::nullopt;
  }
  if (k == PrunerKind::Patient && key == "patience") {
    return read_int64(value, field, spec.patience);
  }
  if (k == PrunerKind::Patient && key == "min_delta") {
    return read_value(value, field, spec.min_delta);
  }
  if (k == PrunerKind::Patient && key == "wrapped") {
    if (value.is_null()) {
      spec.wrapped.reset();
      return std::nullopt;
    }
    auto inner = pruner_from_json(value);
    if (!inner) {
      return wrapped_error(inner.error());
    }
    spec.wrapped = std::make_shared<const PrunerSpec>(std::move(inner.value()));
    return std::nullopt;
  }
  static const char* const kNames[] = {"none",
                                       "n_startup_trials, n_warmup_steps, interval_steps, n_min_trials",
                                       "percentile, n_startup_trials, n_warmup_steps, interval_steps, n_min_trials",
                                       "min_resource, reduction_factor, min_early_stopping_rate, bootstrap_count",
                                       "min_resource, max_resource, reduction_factor, bootstrap_count",
                                       "lower, upper, n_warmup_steps, interval_steps",
                                       "wrapped, patience, min_delta",
                                       "p, n_startup_trials, n_warmup_steps, interval_steps, horizon"};
  return Error{key, "unknown parameter \"" + key + "\" for " + std::string(pruner_kind_name(k)) + " (expected " +
                        kNames[static_cast<int>(k)] + ")"};
}

json optional_step(const std::optional<std::int64_t>& step) { return step ? json(*step) : json(nullptr); }

}  // namespace

Expected<PrunerSpec> pruner_from_json(const json& j) {
  if (!j.is_object()) {
    return type_error("pruner", "an object {\"name\": ..., \"params\": {...}}", j);
  }
  const auto name = j.find("name");
  if (name == j.end() || !name->is_string() || !parse_pruner_kind(name->get<std::string>())) {
    return Error{"pruner.name",
                 "pruner.name must be one of nop, median, percentile, successive_halving, "
                 "hyperband, threshold, patient, extrapolation, got " +
                     (name == j.end() ? std::string("nothing") : describe(*name))};
  }
  PrunerSpec spec = default_pruner_spec(*parse_pruner_kind(name->get<std::string>()));
  bool has_percentile = false;
  bool has_patience = false;
  for (const auto& [key, value] : j.items()) {
    if (key == "name") {
      continue;
    }
    if (key != "params") {
      return Error{key, "unknown field \"" + key + "\" in pruner (expected name, params)"};
    }
    if (!value.is_object()) {
      return type_error("pruner.params", "an object", value);
    }
    for (const auto& [param, v] : value.items()) {
      if (auto e = read_pruner_param(param, v, spec)) {
        return *e;
      }
      has_percentile = has_percentile || param == "percentile";
      has_patience = has_patience || param == "patience";
    }
  }
  if (spec.kind == PrunerKind::Percentile && !has_percentile) {
    return Error{"percentile", "percentile is required by the percentile pruner (a number in [0, 100])"};
  }
  if (spec.kind == PrunerKind::Patient && !has_patience) {
    return Error{"patience", "patience is required by the patient pruner (an integer >= 0)"};
  }
  return spec;
}

Expected<StudySpec> study_from_json(const json& j) {
  if (!j.is_object()) {
    return type_error("study", "a JSON object", j);
  }
  StudySpec spec;
  spec.pruner = default_pruner_spec(PrunerKind::Median);
  bool has_trials = false;
  for (const auto& [key, value] : j.items()) {
    if (key == "study_name") {
      if (!value.is_string()) {
        return type_error(key, "a string", value);
      }
      spec.name = value.get<std::string>();
      if (auto e = validate_study_name(spec.name)) {
        return *e;
      }
    } else if (key == "direction") {
      const auto d = value.is_string() ? parse_direction(value.get<std::string>()) : std::nullopt;
      if (!d) {
        return type_error(key, "\"minimize\" or \"maximize\"", value);
      }
      spec.direction = *d;
    } else if (key == "pruner") {
      auto p = pruner_from_json(value);
      if (!p) {
        return p.error();
      }
      spec.pruner = std::move(p.value());
    } else if (key == "trials") {
      if (!value.is_array()) {
        return type_error(key, "an array of trials", value);
      }
      has_trials = true;
      for (std::size_t i = 0; i < value.size(); ++i) {
        const json& t = value[i];
        const std::string field = "trials[" + std::to_string(i) + "]";
        if (!t.is_object()) {
          return type_error(field, "an object {\"values\": [...]}", t);
        }
        TrialSpec trial;
        for (const auto& [tkey, tvalue] : t.items()) {
          if (tkey == "values" || tkey == "steps") {
            if (!tvalue.is_array()) {
              return type_error(field + "." + tkey, "an array", tvalue);
            }
            for (std::size_t k = 0; k < tvalue.size(); ++k) {
              // The common cases first, without building the field name.
              if (tkey == "values" && tvalue[k].is_number()) {
                trial.values.push_back(tvalue[k].get<double>());
                continue;
              }
              if (tkey == "steps" && tvalue[k].is_number_unsigned() &&
                  tvalue[k].get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxStep)) {
                trial.steps.push_back(static_cast<std::int64_t>(tvalue[k].get<std::uint64_t>()));
                continue;
              }
              const std::string item = field + "." + tkey + "[" + std::to_string(k) + "]";
              if (tkey == "values") {
                double v = 0.0;
                if (auto e = read_value(tvalue[k], item, v)) {
                  return *e;
                }
                trial.values.push_back(v);
              } else {
                std::int64_t s = 0;
                if (auto e = read_int64(tvalue[k], item, s)) {
                  return *e;
                }
                trial.steps.push_back(s);
              }
            }
          } else if (tkey == "final") {
            double v = 0.0;
            if (auto e = read_value(tvalue, field + ".final", v)) {
              return *e;
            }
            trial.final_value = v;
          } else {
            return Error{field + "." + tkey,
                         "unknown field \"" + tkey + "\" in " + field + " (expected values, steps, final)"};
          }
        }
        spec.trials.push_back(std::move(trial));
      }
    } else {
      return Error{key, "unknown field \"" + key + "\" (expected study_name, direction, pruner, trials)"};
    }
  }
  if (!has_trials) {
    return Error{"trials", "trials is required: an array of {\"values\": [...]}"};
  }
  if (auto e = validate(spec)) {
    return *e;
  }
  return spec;
}

json to_json(const PrunerSpec& s) {
  json params = json::object();
  const auto resource = [](const Resource& r) { return r.automatic ? json("auto") : json(r.value); };
  switch (s.kind) {
    case PrunerKind::Nop:
      break;
    case PrunerKind::Percentile:
      params["percentile"] = number_to_json(s.percentile);
      [[fallthrough]];
    case PrunerKind::Median:
      params["n_startup_trials"] = s.n_startup_trials;
      params["n_warmup_steps"] = s.n_warmup_steps;
      params["interval_steps"] = s.interval_steps;
      params["n_min_trials"] = s.n_min_trials;
      break;
    case PrunerKind::SuccessiveHalving:
      params["min_resource"] = resource(s.min_resource);
      params["reduction_factor"] = s.reduction_factor;
      params["min_early_stopping_rate"] = s.min_early_stopping_rate;
      params["bootstrap_count"] = s.bootstrap_count;
      break;
    case PrunerKind::Hyperband:
      params["min_resource"] = resource(s.min_resource);
      params["max_resource"] = resource(s.max_resource);
      params["reduction_factor"] = s.reduction_factor;
      params["bootstrap_count"] = s.bootstrap_count;
      break;
    case PrunerKind::Threshold:
      params["lower"] = s.lower ? number_to_json(*s.lower) : json(nullptr);
      params["upper"] = s.upper ? number_to_json(*s.upper) : json(nullptr);
      params["n_warmup_steps"] = s.n_warmup_steps;
      params["interval_steps"] = s.interval_steps;
      break;
    case PrunerKind::Patient:
      params["wrapped"] = s.wrapped ? to_json(*s.wrapped) : json(nullptr);
      params["patience"] = s.patience;
      params["min_delta"] = number_to_json(s.min_delta);
      break;
    case PrunerKind::Extrapolation:
      params["p"] = number_to_json(s.p);
      params["n_startup_trials"] = s.n_startup_trials;
      params["n_warmup_steps"] = s.n_warmup_steps;
      params["interval_steps"] = s.interval_steps;
      params["horizon"] = resource(s.horizon);
      break;
  }
  return json{{"name", pruner_kind_name(s.kind)}, {"params", params}};
}

json to_json(const PruneReason& r, Direction direction) {
  json j{{"pruner", pruner_kind_name(r.pruner)}, {"rule", prune_rule_name(r.rule)}, {"step", r.step}};
  switch (r.rule) {
    case PruneRule::WorseThanPercentile:
      j["value"] = number_to_json(r.value);
      j["cutoff"] = number_to_json(r.cutoff);
      j["percentile"] = number_to_json(r.percentile);
      j["compared_with"] = r.compared_with;
      break;
    case PruneRule::RungNotPromoted:
      j["cutoff"] = number_to_json(r.cutoff);
      [[fallthrough]];
    case PruneRule::RungBootstrap:
      j["compared_with"] = r.compared_with;
      [[fallthrough]];
    case PruneRule::RungNan:
      j["value"] = number_to_json(r.value);
      j["rung"] = r.rung;
      j["rung_step"] = r.rung_step;
      j["reduction_factor"] = r.reduction_factor;
      if (r.bracket >= 0) {
        j["bracket"] = r.bracket;
      }
      break;
    case PruneRule::BelowLower:
    case PruneRule::AboveUpper:
      j["cutoff"] = number_to_json(r.cutoff);
      [[fallthrough]];
    case PruneRule::ThresholdNan:
    case PruneRule::AllValuesNan:
      j["value"] = number_to_json(r.value);
      break;
    case PruneRule::External:
      j["value"] = number_to_json(r.value);
      j["note"] = r.note;
      break;
    case PruneRule::UnlikelyToBeatBest:
      j["predicted"] = number_to_json(r.value);
      j["lower"] = number_to_json(r.lower);
      j["upper"] = number_to_json(r.upper);
      j["interval"] = number_to_json(1.0 - 2.0 * r.p);
      j["best"] = number_to_json(r.cutoff);
      j["probability"] = number_to_json(r.probability);
      j["p"] = number_to_json(r.p);
      j["horizon"] = r.horizon;
      j["compared_with"] = r.compared_with;
      break;
    case PruneRule::NoImprovement:
    case PruneRule::None:
      break;
  }
  if (r.patient) {
    j["patience"] = r.patience;
    j["best_before"] = number_to_json(r.best_before);
    j["best_in_window"] = number_to_json(r.best_in_window);
    j["min_delta"] = number_to_json(r.min_delta);
  }
  j["text"] = describe(r, direction);
  return j;
}

json to_json(const StudySummary& s) {
  return json{{"trials", s.trials},
              {"complete", s.complete},
              {"pruned", s.pruned},
              {"failed", s.failed},
              {"steps_total", s.steps_total},
              {"steps_run", s.steps_run},
              {"share_saved", number_to_json(s.share_saved)},
              {"best_trial", s.best_trial ? json(*s.best_trial) : json(nullptr)},
              {"best_trial_completed", s.best_trial_completed},
              {"median_final", number_to_json(s.median_final)},
              {"false_stops", s.false_stops},
              {"regret", number_to_json(s.regret)},
              {"auc", number_to_json(s.auc)}};
}

json to_json(const StudyResult& result, Direction direction) {
  json pruned_at = json::array();
  json states = json::array();
  json reasons = json::array();
  for (const TrialOutcome& t : result.trials) {
    pruned_at.push_back(optional_step(t.pruned_at));
    states.push_back(trial_state_name(t.state));
    reasons.push_back(t.reason ? to_json(*t.reason, direction) : json(nullptr));
  }
  return json{{"pruned_at", std::move(pruned_at)},
              {"states", std::move(states)},
              {"reasons", std::move(reasons)},
              {"summary", to_json(result.summary)}};
}

}  // namespace curvelab

namespace curvelab {
namespace {

json optional_int(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }
json optional_number(const std::optional<double>& v) { return v ? number_to_json(*v) : json(nullptr); }
json optional_bool(const std::optional<bool>& v) { return v ? json(*v) : json(nullptr); }

std::optional<Error> read_label(const json& j, const std::string& field, const QuizItem& item, int& out) {
  const int n = static_cast<int>(item.runs.size());
  if (j.is_string()) {
    if (const auto index = parse_run_label(j.get<std::string>(), n)) {
      out = *index;
      return std::nullopt;
    }
  }
  return Error{field, field + " must name a run " + run_label(0) + ".." + run_label(n - 1) + ", got " + describe(j)};
}

std::optional<Error> read_labels(const json& j, const std::string& field, const QuizItem& item, std::vector<int>& out) {
  if (!j.is_array()) {
    return type_error(field, "a list of run labels", j);
  }
  for (const json& label : j) {
    int index = 0;
    if (auto e = read_label(label, field, item, index)) {
      return e;
    }
    out.push_back(index);
  }
  return std::nullopt;
}

// What the kind needs of an item beyond each field's own range: run count, target and
// checkpoints, and a size the file reader can afford.
std::optional<Error> validate_item_shape(const QuizItem& item) {
  const int n = static_cast<int>(item.runs.size());
  const std::string kind(quiz_kind_name(item.kind));
  const int fewest = item.kind == QuizKind::Onset ? 1 : 2;
  if (item.kind == QuizKind::Pairwise && n != 2) {
    return Error{"runs", "item.runs of a pairwise item must hold exactly 2 runs, got " + std::to_string(n)};
  }
  if (n < fewest) {
    return Error{"runs", "item.runs of a " + kind + " item must hold at least " + std::to_string(fewest) +
                             " runs, got " + std::to_string(n)};
  }
  if (static_cast<std::int64_t>(n) * item.horizon > kMaxQuizRunSteps) {
    return Error{"runs", "item.runs x item.horizon must be at most " + std::to_string(kMaxQuizRunSteps) +
                             " run-steps, got " + std::to_string(n) + " x " + std::to_string(item.horizon)};
  }
  if (item.kind == QuizKind::StopPoint && item.target < 0) {
    return Error{"target",
                 "item.target is required by a stop-point item: the run asked about (A.." + run_label(n - 1) + ")"};
  }
  if (item.kind == QuizKind::Onset && item.target > 0) {
    return Error{"target",
                 "item.target of an onset item must be A (the run asked about), got " + run_label(item.target)};
  }
  if (item.kind != QuizKind::StopPoint && item.kind != QuizKind::Onset && item.target >= 0) {
    return Error{"target", "item.target must be null for a " + kind + " item"};
  }
  if (item.kind != QuizKind::Sequential) {
    if (!item.checkpoints.empty()) {
      return Error{"checkpoints", "item.checkpoints must be empty for a " + kind + " item"};
    }
    return std::nullopt;
  }
  if (item.checkpoints.empty()) {
    return Error{"checkpoints", "item.checkpoints of a sequential item must hold at least one step"};
  }
  for (std::size_t i = 0; i < item.checkpoints.size(); ++i) {
    const int c = item.checkpoints[i];
    if (c < 1 || c > item.horizon) {
      return out_of_range("item.checkpoints", 1, item.horizon, c);
    }
    if (i > 0 && c <= item.checkpoints[i - 1]) {
      return Error{"checkpoints", "item.checkpoints must be strictly increasing, got " +
                                      std::to_string(item.checkpoints[i - 1]) + " then " + std::to_string(c)};
    }
  }
  return std::nullopt;
}

// A step: an integer, or null where `nullable`.
std::optional<Error> read_step(const json& j, const std::string& field, std::optional<int>& out) {
  if (j.is_null()) {
    out.reset();
    return std::nullopt;
  }
  int step = 0;
  if (auto e = read_int(j, field, step)) {
    return Error{field, field + " must be a step (an integer) or null, got " + describe(j)};
  }
  out = step;
  return std::nullopt;
}

}  // namespace

json to_json(const QuizItem& item) {
  json runs = json::array();
  json labels = json::array();
  for (std::size_t i = 0; i < item.runs.size(); ++i) {
    runs.push_back(to_json(item.runs[i]));
    labels.push_back(run_label(static_cast<int>(i)));
  }
  return json{{"id", item.id},
              {"kind", quiz_kind_name(item.kind)},
              {"seed", item.seed},
              {"index", item.index},
              {"horizon", item.horizon},
              {"shown_until", item.shown_until},
              {"target", item.target >= 0 ? json(run_label(item.target)) : json(nullptr)},
              {"swapped", item.swapped},
              {"checkpoints", item.checkpoints},
              {"smoothing_window", item.smoothing_window},
              {"labels", labels},
              {"runs", runs},
              {"question", quiz_question(item)},
              {"answer_format", quiz_answer_format(item)}};
}

Expected<QuizItem> quiz_item_from_json(const json& j) {
  if (auto e = require_object(j, "item")) {
    return *e;
  }
  QuizItem item;
  const auto need = [&j](const char* key) -> const json* {
    const auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
  };
  const json* kind = need("kind");
  const auto parsed_kind = kind && kind->is_string() ? parse_quiz_kind(kind->get<std::string>()) : std::nullopt;
  if (!parsed_kind) {
    return Error{"kind",
                 "item.kind must be one of stop-early, rank-max, rank-fastest, rank-slowest, onset, "
                 "stop-point, pairwise, sequential, got " +
                     (kind ? describe(*kind) : std::string("nothing"))};
  }
  item.kind = *parsed_kind;
  const json* id = need("id");
  if (!id || !id->is_string() || id->get<std::string>().empty()) {
    return Error{"id", "item.id must be a non-empty string"};
  }
  item.id = id->get<std::string>();
  const json* runs = need("runs");
  if (!runs || !runs->is_array() || runs->empty()) {
    return Error{"runs", "item.runs must be a non-empty list of experiment configs"};
  }
  if (runs->size() > static_cast<std::size_t>(kMaxItemRuns)) {
    return Error{"runs", "item.runs must hold at most " + std::to_string(kMaxItemRuns) + " runs, got " +
                             std::to_string(runs->size())};
  }
  for (const json& run : *runs) {
    auto config = experiment_from_json(run);
    if (!config) {
      return Error{"runs", "item.runs: " + config.error().message};
    }
    item.runs.push_back(config.value());
  }
  std::optional<Error> e;
  if (const json* seed = need("seed")) {
    e = read_seed(*seed, "item.seed", item.seed);
  }
  if (const json* index = need("index"); index && !e) {
    e = read_int(*index, "item.index", item.index);
  }
  item.horizon = item.runs.front().steps;
  if (const json* horizon = need("horizon"); horizon && !e) {
    e = read_int(*horizon, "item.horizon", item.horizon);
  }
  item.shown_until = item.horizon;
  if (const json* shown = need("shown_until"); shown && !e) {
    e = read_int(*shown, "item.shown_until", item.shown_until);
  }
  item.smoothing_window = 1;
  if (const json* window = need("smoothing_window"); window && !e) {
    e = read_int(*window, "item.smoothing_window", item.smoothing_window);
  }
  if (const json* target = need("target"); target && !target->is_null() && !e) {
    e = read_label(*target, "item.target", item, item.target);
  }
  if (const json* swapped = need("swapped"); swapped && !e) {
    if (!swapped->is_boolean()) {
      e = type_error("item.swapped", "true or false", *swapped);
    } else {
      item.swapped = swapped->get<bool>();
    }
  }
  if (const json* checkpoints = need("checkpoints"); checkpoints && !e) {
    if (!checkpoints->is_array()) {
      e = type_error("item.checkpoints", "a list of steps", *checkpoints);
    } else {
      for (const json& c : *checkpoints) {
        int step = 0;
        if ((e = read_int(c, "item.checkpoints", step))) {
          break;
        }
        item.checkpoints.push_back(step);
      }
    }
  }
  if (e) {
    return *e;
  }
  for (const ExperimentConfig& run : item.runs) {
    if (run.steps != item.horizon) {
      return Error{"horizon", "item.horizon (" + std::to_string(item.horizon) + ") must equal every run's steps (" +
                                  std::to_string(run.steps) + ")"};
    }
  }
  if (item.shown_until < 1 || item.shown_until > item.horizon) {
    return out_of_range("item.shown_until", 1, item.horizon, item.shown_until);
  }
  if (item.smoothing_window < 1 || item.smoothing_window > item.horizon) {
    return out_of_range("item.smoothing_window", 1, item.horizon, item.smoothing_window);
  }
  if (auto invalid = validate_item_shape(item)) {
    return *invalid;
  }
  return item;
}

Expected<std::vector<QuizItem>> quiz_items_from_json(const json& j) {
  if (!j.is_object() || !j.contains("items") || !j["items"].is_array()) {
    return Error{"items", "expected {\"items\": [...]} from `curvelab quiz --format json`"};
  }
  std::vector<QuizItem> items;
  std::set<std::string> ids;
  std::int64_t run_steps = 0;
  for (const json& entry : j["items"]) {
    const std::string where = "item " + std::to_string(items.size() + 1) + ": ";
    auto item = quiz_item_from_json(entry);
    if (!item) {
      return Error{item.error().field, where + item.error().message};
    }
    if (!ids.insert(item->id).second) {
      return Error{"id", where + "item.id \"" + item->id + "\" is used by an earlier item (ids must be unique)"};
    }
    // Each item is within the budget, so the sum cannot overflow before it passes it.
    run_steps += static_cast<std::int64_t>(item->runs.size()) * item->horizon;
    if (run_steps > kMaxQuizRunSteps) {
      return Error{"items", where + "the items ask for more than " + std::to_string(kMaxQuizRunSteps) +
                                " run-steps (runs x horizon, summed over the items)"};
    }
    items.push_back(std::move(item.value()));
  }
  return items;
}

json to_json(const QuizAnswer& answer, const QuizItem& item) {
  if (answer.skipped) {
    return json{{"skipped", true}};
  }
  const auto labels = [](const std::vector<int>& runs) {
    json list = json::array();
    for (const int i : runs) {
      list.push_back(run_label(i));
    }
    return list;
  };
  switch (item.kind) {
    case QuizKind::StopEarly:
      return json{{"stop", labels(answer.stop)}};
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest:
      return json{{"ranking", labels(answer.ranking)}};
    case QuizKind::Onset:
    case QuizKind::StopPoint:
      return json{{"step", optional_int(answer.step)}};
    case QuizKind::Pairwise:
      return json{{"better", answer.better ? json(run_label(*answer.better)) : json(nullptr)}};
    case QuizKind::Sequential: {
      json stops = json::array();
      for (const auto& stop : answer.stops) {
        stops.push_back(optional_int(stop));
      }
      return json{{"stops", stops}};
    }
  }
  return json::object();
}

Expected<QuizAnswer> quiz_answer_from_json(const json& j, const QuizItem& item) {
  if (!j.is_object()) {
    return Error{"answer", "the answer must be a JSON object, got " + describe(j)};
  }
  QuizAnswer answer;
  if (const auto skipped = j.find("skipped"); skipped != j.end() && *skipped == true) {
    answer.skipped = true;
    return answer;
  }
  const char* field = nullptr;
  switch (item.kind) {
    case QuizKind::StopEarly:
      field = "stop";
      break;
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest:
      field = "ranking";
      break;
    case QuizKind::Onset:
    case QuizKind::StopPoint:
      field = "step";
      break;
    case QuizKind::Pairwise:
      field = "better";
      break;
    case QuizKind::Sequential:
      field = "stops";
      break;
  }
  const auto value = j.find(field);
  if (value == j.end()) {
    return Error{field, std::string("the answer to a ") + std::string(quiz_kind_name(item.kind)) + " item needs \"" +
                            field + "\", e.g. " + quiz_answer_format(item)};
  }
  std::optional<Error> e;
  switch (item.kind) {
    case QuizKind::StopEarly:
      e = read_labels(*value, field, item, answer.stop);
      break;
    case QuizKind::RankMax:
    case QuizKind::RankFastest:
    case QuizKind::RankSlowest:
      e = read_labels(*value, field, item, answer.ranking);
      break;
    case QuizKind::Onset:
    case QuizKind::StopPoint:
      e = read_step(*value, field, answer.step);
      break;
    case QuizKind::Pairwise: {
      int better = 0;
      e = read_label(*value, field, item, better);
      answer.better = better;
      break;
    }
    case QuizKind::Sequential:
      if (!value->is_array()) {
        e = type_error(field, "a list with a step or null per run", *value);
        break;
      }
      for (const json& stop : *value) {
        std::optional<int> at;
        if ((e = read_step(stop, field, at))) {
          break;
        }
        answer.stops.push_back(at);
      }
      break;
  }
  if (e) {
    return *e;
  }
  if (auto invalid = validate_answer(item, answer)) {
    return *invalid;
  }
  return answer;
}

Expected<QuizAnswer> quiz_answer_from_text(std::string_view text, const QuizItem& item) {
  // Every balanced {...} span, found in one pass with a stack of open braces; replies
  // often restate the format before answering, so the last span is tried first. A span
  // deeper than kMaxJsonDepth would be refused by the parser anyway; skipping it bounds
  // the parsing to kMaxJsonDepth passes over each character.
  struct Open {
    std::size_t start;
    int depth;  // of the deepest brace inside, this one counting 1
  };
  std::vector<Open> open;
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (open.empty()) {
      if (c == '{') {
        open.push_back({i, 1});
      }
      continue;  // quotes in the prose around objects are not strings
    }
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      open.push_back({i, 1});
    } else if (c == '}') {
      const Open closed = open.back();
      open.pop_back();
      if (closed.depth <= kMaxJsonDepth) {
        spans.emplace_back(closed.start, i + 1);
      }
      if (!open.empty()) {
        open.back().depth = std::max(open.back().depth, closed.depth + 1);
      } else {
        in_string = false;
      }
    }
  }
  std::sort(spans.begin(), spans.end());
  std::optional<Error> last_error;
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    const auto j = parse_json_text(text.substr(it->first, it->second - it->first));
    if (!j) {
      continue;
    }
    auto answer = quiz_answer_from_json(*j, item);
    if (answer) {
      return answer;
    }
    if (!last_error) {
      last_error = answer.error();
    }
  }
  if (last_error) {
    return *last_error;
  }
  return Error{"answer", "no JSON object in the reply"};
}

json to_json(const QuizScore& s) {
  return json{{"skipped", s.skipped},
              {"score", s.skipped ? json(nullptr) : number_to_json(s.score)},
              {"raw", s.skipped ? json(nullptr) : number_to_json(s.raw)},
              {"chance", s.skipped ? json(nullptr) : number_to_json(s.chance)},
              {"kendall_tau", optional_number(s.kendall_tau)},
              {"top1", optional_bool(s.top1)},
              {"distance", optional_int(s.distance)},
              {"precision", optional_number(s.precision)},
              {"recall", optional_number(s.recall)},
              {"steps_saved", optional_number(s.steps_saved)},
              {"regret", optional_number(s.regret)},
              {"correct", optional_bool(s.correct)},
              {"auc", optional_number(s.auc)},
              {"best_kept", optional_bool(s.best_kept)}};
}

json to_json(const QuizTruth& truth, const QuizItem& item) {
  json runs = json::array();
  for (std::size_t i = 0; i < truth.runs.size(); ++i) {
    json run = to_json(truth.runs[i]);
    run["label"] = run_label(static_cast<int>(i));
    run["below_median"] = truth.cohort.runs[i].below_median;
    run["best_stop_step"] = optional_int(truth.cohort.runs[i].best_stop_step);
    runs.push_back(run);
  }
  return json{
      {"answer", to_json(truth.answer, item)},        {"median_final", number_to_json(truth.cohort.median_final)},
      {"best_run", run_label(truth.cohort.best_run)}, {"truth_raw", number_to_json(truth.truth_raw)},
      {"chance", number_to_json(truth.chance)},       {"runs", runs}};
}

json to_json(const QuizTally& tally) {
  json kinds = json::object();
  for (const QuizTally::Kind& kind : tally.kinds()) {
    json rows = json::array();
    for (const QuizTally::Entry& e : kind.rows) {
      json means = json::object();
      for (const auto& [figure, sum] : e.sums) {
        means[figure] = number_to_json(sum.first / sum.second);
      }
      rows.push_back(json{{"who", e.who},
                          {"items", e.items},
                          {"answered", e.answered},
                          {"skipped", e.skipped},
                          {"mean_score", optional_number(e.mean("score"))},
                          {"reference", is_reference_row(e.who)},
                          {"means", means}});
    }
    kinds[std::string(quiz_kind_name(kind.kind))] = json{{"rows", rows}};
  }
  return kinds;
}

json to_json(const std::vector<BoardRow>& board, const QuizItem& item) {
  json rows = json::array();
  for (const BoardRow& row : board) {
    rows.push_back(json{{"who", row.who},
                        {"answer", row.answer ? to_json(*row.answer, item) : json(nullptr)},
                        {"score", row.score ? to_json(*row.score) : json(nullptr)},
                        {"reference", row.reference}});
  }
  return rows;
}

nlohmann::json to_json(const SweepResult& result) {
  return nlohmann::json{{"method", sweep_method_name(result.point.method)},
                        {"parameter", sweep_parameter_name(result.point.method)},
                        {"log2", result.point.log2},
                        {"value", result.point.value},
                        {"average_reward", number_to_json(result.average_reward)},
                        {"optimal_share", number_to_json(result.optimal_share)}};
}

nlohmann::json to_json(const SweepStudy& study) {
  nlohmann::json methods = nlohmann::json::array();
  for (const SweepMethodStudy& m : study.methods) {
    methods.push_back({{"method", sweep_method_name(m.method)},
                       {"parameter", sweep_parameter_name(m.method)},
                       {"study", to_json(m.study, Direction::Maximize)},
                       {"best", to_json(m.best)},
                       {"best_kept", m.best_kept ? to_json(*m.best_kept) : nlohmann::json(nullptr)},
                       {"found_best", m.found_best}});
  }
  return nlohmann::json{{"agent_steps_total", study.agent_steps_total},
                        {"agent_steps_run", study.agent_steps_run},
                        {"share_saved", number_to_json(study.share_saved)},
                        {"found_every_best", study.found_every_best},
                        {"methods", std::move(methods)}};
}

}  // namespace curvelab
