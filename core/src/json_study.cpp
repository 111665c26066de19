// Pruning studies: pruners, studies (the input of `curvelab prune`) and their results.
// Each pruner's parameters are listed once, in a table that reading, writing and the
// unknown-parameter message share.
#include <memory>
#include <span>
#include <string>
#include <variant>

#include "curvelab/json.hpp"
#include "json_read.hpp"

namespace curvelab {
using namespace json_read;

namespace {

// A parameter of a pruner: its Optuna name and the field it sets.
struct PrunerParam {
  const char* name;
  std::variant<double PrunerSpec::*, std::int64_t PrunerSpec::*, Resource PrunerSpec::*,
               std::optional<double> PrunerSpec::*, std::shared_ptr<const PrunerSpec> PrunerSpec::*>
      member;
};

// The parameters of each kind, in the order messages list them.
std::span<const PrunerParam> pruner_params(PrunerKind kind) {
  using S = PrunerSpec;
  static const PrunerParam kMedian[] = {{"n_startup_trials", &S::n_startup_trials},
                                        {"n_warmup_steps", &S::n_warmup_steps},
                                        {"interval_steps", &S::interval_steps},
                                        {"n_min_trials", &S::n_min_trials}};
  static const PrunerParam kPercentile[] = {{"percentile", &S::percentile},
                                            {"n_startup_trials", &S::n_startup_trials},
                                            {"n_warmup_steps", &S::n_warmup_steps},
                                            {"interval_steps", &S::interval_steps},
                                            {"n_min_trials", &S::n_min_trials}};
  static const PrunerParam kHalving[] = {{"min_resource", &S::min_resource},
                                         {"reduction_factor", &S::reduction_factor},
                                         {"min_early_stopping_rate", &S::min_early_stopping_rate},
                                         {"bootstrap_count", &S::bootstrap_count}};
  static const PrunerParam kHyperband[] = {{"min_resource", &S::min_resource},
                                           {"max_resource", &S::max_resource},
                                           {"reduction_factor", &S::reduction_factor},
                                           {"bootstrap_count", &S::bootstrap_count}};
  static const PrunerParam kThreshold[] = {{"lower", &S::lower},
                                           {"upper", &S::upper},
                                           {"n_warmup_steps", &S::n_warmup_steps},
                                           {"interval_steps", &S::interval_steps}};
  static const PrunerParam kPatient[] = {
      {"wrapped", &S::wrapped}, {"patience", &S::patience}, {"min_delta", &S::min_delta}};
  static const PrunerParam kExtrapolation[] = {{"p", &S::p},
                                               {"n_startup_trials", &S::n_startup_trials},
                                               {"n_warmup_steps", &S::n_warmup_steps},
                                               {"interval_steps", &S::interval_steps},
                                               {"horizon", &S::horizon},
                                               {"max_checks", &S::max_checks}};
  switch (kind) {
    case PrunerKind::Nop:
      return {};
    case PrunerKind::Median:
      return kMedian;
    case PrunerKind::Percentile:
      return kPercentile;
    case PrunerKind::SuccessiveHalving:
      return kHalving;
    case PrunerKind::Hyperband:
      return kHyperband;
    case PrunerKind::Threshold:
      return kThreshold;
    case PrunerKind::Patient:
      return kPatient;
    case PrunerKind::Extrapolation:
      return kExtrapolation;
  }
  return {};
}

// How each type of parameter is read.
std::optional<Error> read_param(const json& j, const std::string& field, double& out) {
  return read_value(j, field, out);
}
std::optional<Error> read_param(const json& j, const std::string& field, std::int64_t& out) {
  return read_int64(j, field, out);
}
std::optional<Error> read_param(const json& j, const std::string& field, Resource& out) {
  return read_resource(j, field, out);
}
std::optional<Error> read_param(const json& j, const std::string& field, std::optional<double>& out) {
  if (j.is_null()) {
    out.reset();  // None: no bound
    return std::nullopt;
  }
  double bound = 0.0;
  if (auto e = read_value(j, field, bound)) {
    return e;
  }
  out = bound;
  return std::nullopt;
}
std::optional<Error> read_param(const json& j, const std::string& /*field*/, std::shared_ptr<const PrunerSpec>& out) {
  if (j.is_null()) {
    out.reset();
    return std::nullopt;
  }
  auto inner = pruner_from_json(j);
  if (!inner) {
    return wrapped_error(inner.error());
  }
  out = std::make_shared<const PrunerSpec>(std::move(inner.value()));
  return std::nullopt;
}

// How each type of parameter is written.
json param_json(double v) { return number_to_json(v); }
json param_json(std::int64_t v) { return v; }
json param_json(const Resource& r) { return r.automatic ? json("auto") : json(r.value); }
json param_json(const std::optional<double>& v) { return optional_number(v); }
json param_json(const std::shared_ptr<const PrunerSpec>& v) { return v ? to_json(*v) : json(nullptr); }

std::optional<Error> read_pruner_param(const std::string& key, const json& value, PrunerSpec& spec) {
  const auto params = pruner_params(spec.kind);
  for (const PrunerParam& param : params) {
    if (key == param.name) {
      return std::visit([&](auto member) { return read_param(value, key, spec.*member); }, param.member);
    }
  }
  std::string names;
  for (const PrunerParam& param : params) {
    names += (names.empty() ? "" : ", ") + std::string(param.name);
  }
  return Error{key, "unknown parameter \"" + key + "\" for " + std::string(pruner_kind_name(spec.kind)) +
                        " (expected " + (names.empty() ? "none" : names) + ")"};
}

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
      return unknown_field(key, " in pruner", "name, params");
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
      return unknown_field(key, "", "study_name, direction, pruner, trials");
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

json to_json(const StudySpec& spec) {
  json trials = json::array();
  for (const TrialSpec& t : spec.trials) {
    json values = json::array();
    for (const double v : t.values) {
      values.push_back(number_to_json(v));
    }
    json trial{{"values", std::move(values)}};
    if (!t.steps.empty()) {
      trial["steps"] = t.steps;
    }
    if (t.final_value) {
      trial["final"] = number_to_json(*t.final_value);
    }
    trials.push_back(std::move(trial));
  }
  return json{{"study_name", spec.name},
              {"direction", direction_name(spec.direction)},
              {"pruner", to_json(spec.pruner)},
              {"trials", std::move(trials)}};
}

json to_json(const PrunerSpec& s) {
  json params = json::object();
  for (const PrunerParam& param : pruner_params(s.kind)) {
    params[param.name] = std::visit([&s](auto member) { return param_json(s.*member); }, param.member);
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
