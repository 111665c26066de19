// The WebAssembly boundary: registers the core's runs, ground truth, smoothing and
// generator with embind. Thin on purpose: configs, ranges and results cross as the
// core's own JSON (one parser, one set of error messages), per-step arrays cross as
// typed-array views of the core's vectors, and nothing here decides anything.
//
// Errors never throw (the module is built without exceptions): every entry point that
// takes input validates it through the core and returns the error as a value.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "curvelab/agent_change.hpp"
#include "curvelab/aggregate.hpp"
#include "curvelab/config.hpp"
#include "curvelab/curve_model.hpp"
#include "curvelab/error.hpp"
#include "curvelab/extrapolation_pruner.hpp"
#include "curvelab/generator.hpp"
#include "curvelab/ground_truth.hpp"
#include "curvelab/json.hpp"
#include "curvelab/pruners.hpp"
#include "curvelab/random.hpp"
#include "curvelab/ranking.hpp"
#include "curvelab/run.hpp"
#include "curvelab/simulate.hpp"
#include "curvelab/smoothing.hpp"
#include "curvelab/smoothing_choice.hpp"
#include "curvelab/study.hpp"
#include "curvelab/sweep.hpp"

namespace curvelab::web {
namespace {
using emscripten::val;
using nlohmann::json;

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1

json error_object(const Error& error) { return json{{"error", {{"field", error.field}, {"message", error.message}}}}; }

std::string error_json(const Error& error) { return error_object(error).dump(); }

// A config read by the core's JSON module (which also validates it).
Expected<ExperimentConfig> read_experiment(const std::string& text) {
  auto parsed = parse_json_text(text);
  if (!parsed) {
    return parsed.error();
  }
  return experiment_from_json(*parsed);
}

Expected<GeneratorRanges> read_ranges(const std::string& text) {
  auto parsed = parse_json_text(text);
  if (!parsed) {
    return parsed.error();
  }
  auto ranges = ranges_from_json(*parsed);
  if (!ranges) {
    return ranges;
  }
  if (auto e = validate(*ranges)) {
    return *e;
  }
  return ranges;
}

// A JavaScript number that must be an integer seed or index: [0, 2^53 - 1].
std::optional<Error> check_index(const char* field, double value) {
  if (!(value >= 0.0 && value <= kMaxSafeInteger && std::floor(value) == value)) {
    return Error{field, std::string(field) + " must be an integer in [0, 2^53 - 1], got " + format_number(value)};
  }
  return std::nullopt;
}

// A new JavaScript Float64Array holding a copy of `values` (for results the core
// returns by value; views would dangle once the vector is gone).
val copy_to_js(std::span<const double> values) {
  return val::global("Float64Array").new_(emscripten::typed_memory_view(values.size(), values.data()));
}

val view(std::span<const double> values) { return val(emscripten::typed_memory_view(values.size(), values.data())); }

// Copies a JavaScript array or typed array into a vector. The caller must not pass a
// view of the wasm heap: allocating the vector may grow the heap and detach it.
std::vector<double> from_js(const val& values) { return emscripten::convertJSArrayToNumberVector<double>(values); }

// --- config ---------------------------------------------------------------------------

/// `{"ok": config}` with every field filled in, or `{"error": {field, message}}`.
std::string parse_experiment(const std::string& text) {
  auto config = read_experiment(text);
  if (!config) {
    return error_json(config.error());
  }
  return json{{"ok", to_json(*config)}}.dump();
}

/// The agent kinds' names, in the core's order, as a JSON array.
std::string agent_kind_names() {
  json names = json::array();
  for (const AgentKind kind : kAllAgentKinds) {
    names.push_back(agent_kind_name(kind));
  }
  return names.dump();
}

std::string out_of_range_message(const std::string& field, double lo, double hi, double value) {
  return out_of_range(field, lo, hi, value).message;
}

// --- runs -----------------------------------------------------------------------------

/// A run of `text`, or null when the config is refused (`parseExperiment` says why).
/// `run_index` >= 0 gives run number `run_index` of a cohort, whose seed is
/// `derive_seed(seed, run_index)` as in `curvelab simulate`; -1 keeps the seed.
Run* create_run(const std::string& text, double run_index) {
  auto config = read_experiment(text);
  if (!config) {
    return nullptr;
  }
  ExperimentConfig c = *config;
  if (run_index >= 0.0) {
    if (check_index("run_index", run_index)) {
      return nullptr;
    }
    c.seed = derive_seed(c.seed, static_cast<std::uint64_t>(run_index));
  }
  return new Run(c);
}

int run_step(Run& run, int n) { return run.step(n); }
val run_rewards(const Run& run) { return view(run.rewards()); }
val run_true_values(const Run& run) { return view(run.true_values()); }
val run_optimal(const Run& run) {
  const auto optimal = run.optimal();
  return val(emscripten::typed_memory_view(optimal.size(), optimal.data()));
}
val run_arm_values(const Run& run) { return view(run.arm_values()); }
val run_estimates(const Run& run) { return view(run.estimates()); }
val run_preferences(const Run& run) { return view(run.preferences()); }
std::string run_config(const Run& run) { return to_json(run.config()).dump(); }

/// Changes the agent mid-run. `patch_text` holds agent fields only (agent, epsilon,
/// initial_value, initial_spread, step_size, ucb_c, baseline); the core merges them into the run's agent and
/// validates the whole (`changed_agent`). Returns "" when applied, else `{"error": ...}`
/// and the run is unchanged.
std::string run_set_agent(Run& run, const std::string& patch_text) {
  auto patch = parse_json_text(patch_text);
  if (!patch) {
    return error_json(patch.error());
  }
  auto agent = changed_agent(run.config(), *patch);
  if (!agent) {
    return error_json(agent.error());
  }
  run.set_agent(*agent);
  return "";
}

/// Ground truth of the steps taken so far (at least one), as the core's JSON.
std::string run_truth_json(const Run& run) {
  if (run.steps_done() == 0) {
    return error_json(Error{"steps", "ground truth needs at least one step"});
  }
  return to_json(run_truth(run.true_values(), run.rewards(), run.baseline(), run.best_possible())).dump();
}

/// The run's rewards smoothed by the core over all steps so far, returned from step
/// index `from` on (the smoothings are causal, so earlier points never change).
/// `method` and `param` as `smooth` takes them ("moving-average" with a window, 0 for
/// "auto"; "ema" with a weight); an unknown method returns the raw rewards.
val run_smoothed_rewards(const Run& run, const std::string& method, double param, int from) {
  const auto rewards = run.rewards();
  const auto start = static_cast<std::size_t>(std::clamp(from, 0, run.steps_done()));
  const std::vector<double> out =
      smooth(rewards, parse_smoothing_method(method).value_or(SmoothingMethod::None), param, run.horizon());
  return copy_to_js(std::span<const double>(out).subspan(start));
}

/// The rank of each score (0 = best), higher first, ties in order, NaN last: the page's
/// "best K" filter ranks runs by their final performance with it.
val rank_descending_js(const val& scores) {
  const std::vector<int> rank = rank_descending(from_js(scores));
  val out = val::array();
  for (std::size_t i = 0; i < rank.size(); ++i) {
    out.set(i, rank[i]);
  }
  return out;
}

// --- averages -----------------------------------------------------------------------------

/// An averager of runs 0, 1, 2, ... of a config, with agent changes at their steps.
/// `text`: `{"config": {...}, "changes": [{"step": 300, "agent": "random", "epsilon": 0.1}],
/// "smoothing": "ema", "param": 0.95}`, each change's fields as a mid-run change takes them,
/// the smoothing applied to each run before averaging (default none). Null when refused
/// (`averagerProblem` says why).
Expected<RunAverager> read_averager(const std::string& text) {
  auto parsed = parse_json_text(text);
  if (!parsed) {
    return parsed.error();
  }
  if (!parsed->is_object()) {
    return Error{"average", "the average must be a JSON object {config, changes}"};
  }
  auto config = experiment_from_json(parsed->value("config", json::object()));
  if (!config) {
    return config.error();
  }
  auto changes = scheduled_changes(*config, parsed->value("changes", json::array()));
  if (!changes) {
    return changes.error();
  }
  // Read by hand: `json::value` with a typed default would throw on another type.
  const json name = parsed->value("smoothing", json("none"));
  const auto method = name.is_string() ? parse_smoothing_method(name.get<std::string>()) : std::nullopt;
  if (!method) {
    return Error{"smoothing", "smoothing must be none, moving-average or ema"};
  }
  const json param = parsed->value("param", json(0.0));
  if (!param.is_number()) {
    return Error{"param", "the smoothing parameter must be a number"};
  }
  return RunAverager(*config, std::move(changes).value(), *method, param.get<double>());
}

RunAverager* create_averager(const std::string& text) {
  auto averager = read_averager(text);
  return averager ? new RunAverager(std::move(averager).value()) : nullptr;
}

/// "" when `createAverager` accepts `text`, else `{"error": ...}`.
std::string averager_problem(const std::string& text) {
  auto averager = read_averager(text);
  return averager ? std::string() : error_json(averager.error());
}

val band_js(const MeanBand& band) {
  val out = val::object();
  out.set("mean", copy_to_js(band.mean));
  out.set("lower", copy_to_js(band.lower));
  out.set("upper", copy_to_js(band.upper));
  return out;
}

/// `{runs, reward: {mean, lower, upper}, trueValue: {...}, baseline, bestPossible}` (Float64Arrays).
val averager_average(const RunAverager& averager) {
  const RunAverage a = averager.average();
  val out = val::object();
  out.set("runs", a.reward.runs);
  out.set("reward", band_js(a.reward));
  out.set("trueValue", band_js(a.true_value));
  out.set("baseline", a.baseline);
  out.set("bestPossible", a.best_possible);
  return out;
}

int averager_add(RunAverager& averager, int n) { return averager.add(n); }

// --- arrays ---------------------------------------------------------------------------

val moving_average_js(const val& values, int window) {
  return copy_to_js(moving_average(from_js(values), std::max(window, 1)));
}

val ema_debiased_js(const val& values, double weight) {
  if (!(weight >= 0.0 && weight < 1.0)) {
    weight = 0.0;
  }
  return copy_to_js(ema_debiased(from_js(values), weight));
}

std::string run_truth_of_arrays(const val& true_values, const val& rewards, double baseline, double best_possible) {
  const std::vector<double> v = from_js(true_values);
  const std::vector<double> r = from_js(rewards);
  if (v.empty() || v.size() != r.size()) {
    return error_json(Error{"true_values", "true values and rewards must be non-empty and of the same length"});
  }
  return to_json(run_truth(v, r, baseline, best_possible)).dump();
}

/// `curvelab simulate`'s averages: {meanReward, optimalShare, meanTrueValue} as
/// Float64Arrays, or {error} for a refused config or run count.
val simulate_average_js(const std::string& text, int runs) {
  auto config = read_experiment(text);
  val out = val::object();
  if (!config) {
    out.set("error", val(config.error().message));
    return out;
  }
  if (runs < 1 || runs > kMaxRuns) {
    out.set("error", val(out_of_range("runs", 1, kMaxRuns, runs).message));
    return out;
  }
  const AverageCurves curves = simulate_average(*config, runs);
  out.set("meanReward", copy_to_js(curves.mean_reward));
  out.set("optimalShare", copy_to_js(curves.optimal_share));
  out.set("meanTrueValue", copy_to_js(curves.mean_true_value));
  return out;
}

// --- generator ------------------------------------------------------------------------

std::string default_ranges() { return to_json(GeneratorRanges{}).dump(); }

/// Experiment `index` of the set generated from `seed` with `ranges_text` ("" for the
/// defaults): `{"ok": config}` or `{"error": ...}`.
std::string sample_experiment_json(const std::string& ranges_text, double seed, double index) {
  GeneratorRanges ranges;
  if (!ranges_text.empty()) {
    auto read = read_ranges(ranges_text);
    if (!read) {
      return error_json(read.error());
    }
    ranges = *read;
  }
  if (auto e = check_index("seed", seed)) {
    return error_json(*e);
  }
  if (auto e = check_index("index", index)) {
    return error_json(*e);
  }
  const ExperimentConfig config =
      sample_experiment(ranges, static_cast<std::uint64_t>(seed), static_cast<std::uint64_t>(index));
  return json{{"ok", to_json(config)}}.dump();
}

// --- studies and pruners -----------------------------------------------------------------
// The page asks the core for every verdict, reason and summary figure; results are the
// JSON `curvelab prune` prints for the same study.

/// `["nop", "median", ...]`: every pruner the core has.
std::string pruner_names() {
  json names = json::array();
  for (int k = static_cast<int>(PrunerKind::Nop); k <= static_cast<int>(PrunerKind::Extrapolation); ++k) {
    names.push_back(pruner_kind_name(static_cast<PrunerKind>(k)));
  }
  return names.dump();
}

/// The curve model fitted to `values` (steps 1, 2, ...; NaN skipped), and its forecast of
/// the final performance (mean over the last 10%) of a run of `horizon` steps:
/// `{"ok": {"families": [{"family", "weight", "c", "a", "shape", "rms"}], "noise_sd",
/// "values_used", "final": {"mean", "sd", "q05", "q10", "q50", "q90", "q95"}}}`, or `{"error": ...}`.
std::string fit_curve_js(const val& values, double horizon) {
  const std::vector<double> ys = from_js(values);
  auto model = fit_curve(ys);
  if (!model) {
    return error_json(model.error());
  }
  if (!(horizon >= 1.0 && horizon <= kMaxSteps)) {
    return error_json(out_of_range("horizon", 1, kMaxSteps, horizon));
  }
  json families = json::array();
  for (const FamilyFit& f : model->families()) {
    families.push_back(json{{"family", curve_family_name(f.family)},
                            {"weight", number_to_json(f.weight)},
                            {"c", number_to_json(f.c)},
                            {"a", number_to_json(f.a)},
                            {"shape", {number_to_json(f.shape[0]), number_to_json(f.shape[1])}},
                            {"rms", number_to_json(f.rms)}});
  }
  const Forecast final = model->final_performance(horizon);
  json forecast{{"mean", number_to_json(final.mean())}, {"sd", number_to_json(final.sd())}};
  for (const auto& [key, q] : {std::pair{"q05", 0.05}, {"q10", 0.1}, {"q50", 0.5}, {"q90", 0.9}, {"q95", 0.95}}) {
    forecast[key] = number_to_json(final.quantile(q));
  }
  return json{{"ok",
               {{"families", families},
                {"noise_sd", number_to_json(model->noise_sd())},
                {"values_used", model->values_used()},
                {"final", forecast}}}}
      .dump();
}

/// What the extrapolation pruner expected of a trial when it stopped it: the trial's
/// `values` (study steps 0, 1, ...) up to `stop_step` (the reason's `step`) fitted as the
/// pruner fits them, and the predicted curve at `points` steps from the stop to
/// `horizon - 1` (the reason's `horizon`) with its central `1 - 2p` band:
/// `{"ok": {"steps": [...], "mean": [...], "lower": [...], "upper": [...]}}` (study
/// steps), or `{"error": ...}`.
std::string extrapolation_continuation(const val& values, double stop_step, double horizon, double p, double points) {
  const std::vector<double> ys = from_js(values);
  if (!(stop_step >= 0.0 && stop_step < static_cast<double>(ys.size()) && std::floor(stop_step) == stop_step)) {
    return error_json(Error{"step", "step must be a whole study step in [0, " + std::to_string(ys.size()) + "), got " +
                                        format_number(stop_step)});
  }
  if (!(horizon >= 1.0 && horizon <= kMaxSteps && std::floor(horizon) == horizon)) {
    return error_json(out_of_range("horizon", 1, kMaxSteps, horizon));
  }
  if (!(points >= 2.0 && points <= kMaxContinuationPoints && std::floor(points) == points)) {
    return error_json(out_of_range("points", 2, kMaxContinuationPoints, points));
  }
  std::vector<Report> reports;
  const auto last = static_cast<std::size_t>(stop_step);
  reports.reserve(last + 1);
  for (std::size_t i = 0; i <= last; ++i) {
    reports.push_back(Report{static_cast<std::int64_t>(i), ys[i]});
  }
  auto c = predict_trial_continuation(reports, static_cast<std::int64_t>(horizon), p, static_cast<int>(points));
  if (!c) {
    return error_json(c.error());
  }
  json mean = json::array();
  json lower = json::array();
  json upper = json::array();
  for (std::size_t i = 0; i < c->steps.size(); ++i) {
    mean.push_back(number_to_json(c->mean[i]));
    lower.push_back(number_to_json(c->lower[i]));
    upper.push_back(number_to_json(c->upper[i]));
  }
  return json{{"ok", {{"steps", c->steps}, {"mean", mean}, {"lower", lower}, {"upper", upper}}}}.dump();
}

/// `{"ok": {"name", "params"}}` with Optuna's defaults for pruner `name`, or `{"error": ...}`.
std::string pruner_defaults(const std::string& name) {
  const auto kind = parse_pruner_kind(name);
  if (!kind) {
    return error_json(pruner_from_json(json{{"name", name}}).error());
  }
  return json{{"ok", to_json(default_pruner_spec(*kind))}}.dump();
}

/// A pruner read and checked as Optuna's constructor would: its spec when accepted.
Expected<PrunerSpec> read_pruner(const json& j) {
  auto spec = pruner_from_json(j);
  if (!spec) {
    return spec;
  }
  if (auto e = validate(*spec)) {
    return *e;
  }
  return spec;
}

/// "" when Optuna would accept pruner `text` (`{"name", "params"}`), else `{"error": ...}`
/// with the core's message. Hyperband refuses some combinations only once a study runs
/// (as Optuna does): those come back from `runStudy`.
std::string validate_pruner(const std::string& text) {
  auto parsed = parse_json_text(text);
  if (!parsed) {
    return error_json(parsed.error());
  }
  auto spec = read_pruner(*parsed);
  return spec ? std::string() : error_json(spec.error());
}

/// A study JSON (README: Study JSON) run through its pruner: `curvelab prune`'s output for it, or
/// `{"error": ...}`.
std::string run_study_json(const std::string& text) {
  auto parsed = parse_json_text(text);
  if (!parsed) {
    return error_json(parsed.error());
  }
  auto spec = study_from_json(*parsed);
  if (!spec) {
    return error_json(spec.error());
  }
  auto result = run_study(*spec);
  if (!result) {
    return error_json(result.error());
  }
  return to_json(*result, spec->direction).dump(-1, ' ', false, json::error_handler_t::replace);
}

/// One study, several pruners, values as arrays (no JSON for the numbers: a playground
/// study holds up to millions). `header_text` is a study JSON without trials and with
/// `"pruners": [...]` in place of `"pruner"`; `trials` a JavaScript array of
/// `{values: Float64Array | number[], final?: number}` (steps 0, 1, 2, ...). Returns
/// `{"results": [...]}`, one per pruner: exactly what `runStudy` (and `curvelab prune`)
/// gives for the study with that pruner, or `{"error": ...}` for that pruner alone; or
/// `{"error": ...}` for the header.
/// A study header (`{"study_name", "direction", "pruners": [...]}`, no trials) and the trials
/// the page crosses as arrays: the study without its pruner, and the pruners as given.
Expected<std::pair<StudySpec, json>> read_study_batch(const std::string& header_text, const val& trials) {
  auto parsed = parse_json_text(header_text);
  if (!parsed) {
    return parsed.error();
  }
  json header = *parsed;
  if (!header.is_object()) {
    return Error{"study", "the study header must be a JSON object"};
  }
  json pruners = json::array();
  if (const auto p = header.find("pruners"); p != header.end()) {
    if (!p->is_array()) {
      return Error{"pruners", "pruners must be an array of {\"name\", \"params\"}"};
    }
    pruners = *p;
    header.erase("pruners");
  }
  header["trials"] = json::array();
  auto read = study_from_json(header);
  if (!read) {
    return read.error();
  }
  StudySpec study = std::move(read).value();
  const int n = trials["length"].as<int>();
  study.trials.reserve(static_cast<std::size_t>(std::max(n, 0)));
  for (int i = 0; i < n; ++i) {
    const val t = trials[i];
    TrialSpec trial;
    trial.values = from_js(t["values"]);
    const val final_value = t["final"];
    if (!final_value.isUndefined() && !final_value.isNull()) {
      trial.final_value = final_value.as<double>();
    }
    study.trials.push_back(std::move(trial));
  }
  return std::make_pair(std::move(study), std::move(pruners));
}

std::string run_studies(const std::string& header_text, const val& trials) {
  auto batch = read_study_batch(header_text, trials);
  if (!batch) {
    return error_json(batch.error());
  }
  auto& [study, pruners] = batch.value();
  json results = json::array();
  for (const json& p : pruners) {
    auto pruner = read_pruner(p);
    if (!pruner) {
      results.push_back(error_object(pruner.error()));
      continue;
    }
    study.pruner = *pruner;
    auto result = run_study(study);
    results.push_back(result ? to_json(*result, study.direction) : error_object(result.error()));
  }
  return json{{"results", std::move(results)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// The study of `runStudies`'s arguments as the core writes a study JSON (`to_json(StudySpec)`,
/// what `curvelab prune` reads): one study for one pruner, `{"studies": [...]}` (the CLI's
/// batch) for several, or the first refusal.
std::string export_studies(const std::string& header_text, const val& trials) {
  auto batch = read_study_batch(header_text, trials);
  if (!batch) {
    return error_json(batch.error());
  }
  auto& [study, pruners] = batch.value();
  json studies = json::array();
  for (const json& p : pruners) {
    auto pruner = read_pruner(p);
    if (!pruner) {
      return error_json(pruner.error());
    }
    study.pruner = *pruner;
    studies.push_back(to_json(study));
  }
  if (studies.empty()) {
    return error_json(Error{"pruners", "pruners must hold at least one pruner"});
  }
  const json out = studies.size() == 1 ? studies[0] : json{{"studies", std::move(studies)}};
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

// --- the parameter study ---------------------------------------------------------------
// Computed a slice of runs at a time (the page calls `advance` between frames), then cut
// by pruners: every figure and verdict comes from the core.

/// The study of `text`, `{"runs", "steps", "seed"}` (each optional: the core's defaults,
/// the 10-armed testbed, all four methods), or its refusal.
Expected<SweepConfig> read_sweep(const std::string& text) {
  auto parsed = parse_json_text(text);
  if (!parsed) {
    return parsed.error();
  }
  if (!parsed->is_object()) {
    return Error{"sweep", "the parameter study must be a JSON object {runs, steps, seed}"};
  }
  SweepConfig config;
  for (auto [field, target, max] : {std::tuple{"runs", &config.runs, kMaxRuns}, {"steps", &config.steps, kMaxSteps}}) {
    if (const auto f = parsed->find(field); f != parsed->end()) {
      if (!f->is_number_integer()) {
        return Error{field, std::string(field) + " must be an integer"};
      }
      const auto value = f->get<std::int64_t>();
      if (value < 1 || value > max) {
        return out_of_range(field, 1, max, static_cast<double>(value));
      }
      *target = static_cast<int>(value);
    }
  }
  if (const auto f = parsed->find("seed"); f != parsed->end()) {
    if (!f->is_number() || check_index("seed", f->get<double>())) {
      return Error{"seed", "seed must be an integer in [0, 2^53 - 1]"};
    }
    config.seed = f->get<std::uint64_t>();
  }
  if (auto e = validate(config)) {
    return *e;
  }
  return config;
}

SweepRunner* create_sweep(const std::string& text) {
  auto config = read_sweep(text);
  return config ? new SweepRunner(*config) : nullptr;
}

/// "" when `createSweep` accepts `text`, else `{"error": ...}`.
std::string sweep_problem(const std::string& text) {
  auto config = read_sweep(text);
  return config ? std::string() : error_json(config.error());
}

int sweep_advance(SweepRunner& sweep, int max_runs) { return sweep.advance(max_runs); }

/// Every setting of the study: `[{"method", "parameter", "log2", "value"}]`.
std::string sweep_points_json(const SweepRunner& sweep) {
  json out = json::array();
  for (const SweepPoint& p : sweep.points()) {
    out.push_back({{"method", sweep_method_name(p.method)},
                   {"parameter", sweep_parameter_name(p.method)},
                   {"log2", p.log2},
                   {"value", p.value}});
  }
  return out.dump();
}

/// The settings finished so far, as `curvelab sweep --format json` gives each point.
std::string sweep_results_json(const SweepRunner& sweep) {
  json out = json::array();
  for (const SweepResult& r : sweep.results()) {
    out.push_back(to_json(r));
  }
  return out.dump();
}

/// The finished settings cut by pruner `pruner_text`: `to_json(SweepStudy)`, or `{"error": ...}`.
std::string sweep_prune(const SweepRunner& sweep, const std::string& pruner_text) {
  auto parsed = parse_json_text(pruner_text);
  if (!parsed) {
    return error_json(parsed.error());
  }
  auto pruner = read_pruner(*parsed);
  if (!pruner) {
    return error_json(pruner.error());
  }
  auto study = prune_sweep(sweep.results(), *pruner, sweep.config().runs);
  if (!study) {
    return error_json(study.error());
  }
  return to_json(*study).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace
}  // namespace curvelab::web

EMSCRIPTEN_BINDINGS(curvelab) {
  using namespace emscripten;
  using namespace curvelab;
  using namespace curvelab::web;

  constant("MIN_ARMS", kMinArms);
  constant("MAX_ARMS", kMaxArms);
  constant("MAX_STEPS", kMaxSteps);
  constant("MAX_RUNS", kMaxRuns);

  function("parseExperiment", &parse_experiment);
  function("outOfRangeMessage", &out_of_range_message);
  function("agentKinds", &agent_kind_names);
  function("formatNumber", &format_number);

  class_<Run>("Run")
      .function("step", &run_step)
      .function("finish", &Run::finish)
      .function("setAgent", &run_set_agent)
      .function("stepsDone", &Run::steps_done)
      .function("horizon", &Run::horizon)
      .function("done", &Run::done)
      .function("config", &run_config)
      .function("rewards", &run_rewards)
      .function("trueValues", &run_true_values)
      .function("optimal", &run_optimal)
      .function("armValues", &run_arm_values)
      .function("estimates", &run_estimates)
      .function("preferences", &run_preferences)
      .function("baseline", &Run::baseline)
      .function("bestPossible", &Run::best_possible)
      .function("truth", &run_truth_json)
      .function("smoothedRewards", &run_smoothed_rewards);
  function("createRun", &create_run, allow_raw_pointers());

  function("movingAverage", &moving_average_js);
  function("emaDebiased", &ema_debiased_js);
  function("defaultSmoothingWindow", &default_smoothing_window);
  function("runTruth", &run_truth_of_arrays);
  function("simulateAverage", &simulate_average_js);
  function("rankDescending", &rank_descending_js);

  constant("MAX_AVERAGED_RUNS", kMaxAveragedRuns);
  class_<RunAverager>("RunAverager")
      .function("add", &averager_add)
      .function("runs", &RunAverager::runs)
      .function("average", &averager_average);
  function("createAverager", &create_averager, allow_raw_pointers());
  function("averagerProblem", &averager_problem);

  function("defaultRanges", &default_ranges);
  function("sampleExperiment", &sample_experiment_json);

  function("prunerNames", &pruner_names);
  function("prunerDefaults", &pruner_defaults);
  function("validatePruner", &validate_pruner);
  function("runStudy", &run_study_json);
  function("runStudies", &run_studies);
  function("exportStudies", &export_studies);
  function("fitCurve", &fit_curve_js);
  function("extrapolationContinuation", &extrapolation_continuation);

  class_<SweepRunner>("SweepRunner")
      .function("advance", &sweep_advance)
      .function("done", &SweepRunner::done)
      .function("progress", &SweepRunner::progress)
      .function("points", &sweep_points_json)
      .function("results", &sweep_results_json)
      .function("prune", &sweep_prune);
  function("createSweep", &create_sweep, allow_raw_pointers());
  function("sweepProblem", &sweep_problem);
}
