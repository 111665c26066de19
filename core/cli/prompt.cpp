#include "prompt.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

#include "curvelab/run.hpp"

namespace curvelab::cli {
namespace {
using nlohmann::json;

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) {
    return format_number(value);
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  return text == "-0" || text.find_first_not_of("-0.") == std::string::npos ? text.substr(text[0] == '-') : text;
}

// A value as messages write it: a number, null (NaN) or "inf" / "-inf".
double value_of(const json& v) {
  if (v.is_number()) {
    return v.get<double>();
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    constexpr double kInf = std::numeric_limits<double>::infinity();
    return s == "inf" ? kInf : s == "-inf" ? -kInf : std::numeric_limits<double>::quiet_NaN();
  }
  return std::numeric_limits<double>::quiet_NaN();
}

struct ShownRun {
  std::string label;
  std::vector<double> values;
  std::optional<int> stopped_at;
  std::optional<double> level;  ///< random-policy level, when the message gives it
};

std::vector<ShownRun> runs_of(const json& message) {
  std::vector<ShownRun> runs;
  for (const json& r : message.at("runs")) {
    ShownRun run;
    run.label = r.at("label").get<std::string>();
    for (const json& v : r.at("values")) {
      run.values.push_back(value_of(v));
    }
    if (r.contains("stopped_at") && r["stopped_at"].is_number_integer()) {
      run.stopped_at = r["stopped_at"].get<int>();
    }
    if (r.contains("random_policy_level")) {
      run.level = value_of(r["random_policy_level"]);
    }
    runs.push_back(std::move(run));
  }
  return runs;
}

std::string text_of(const json& message, const char* key) {
  return message.contains(key) && message[key].is_string() ? message[key].get<std::string>() : std::string();
}

std::string sparkline(const std::vector<double>& values, const std::vector<int>& steps) {
  static constexpr char kRamp[] = "_.,-~=+*#";
  constexpr int kLevels = sizeof kRamp - 1;
  double lo = INFINITY;
  double hi = -INFINITY;
  for (const int s : steps) {
    if (s <= static_cast<int>(values.size()) && std::isfinite(values[static_cast<std::size_t>(s - 1)])) {
      lo = std::min(lo, values[static_cast<std::size_t>(s - 1)]);
      hi = std::max(hi, values[static_cast<std::size_t>(s - 1)]);
    }
  }
  std::string line;
  for (const int s : steps) {
    if (s > static_cast<int>(values.size())) {
      break;
    }
    const double v = values[static_cast<std::size_t>(s - 1)];
    const int level = !std::isfinite(v) ? 0
                      : hi > lo         ? static_cast<int>((v - lo) / (hi - lo) * (kLevels - 1) + 0.5)
                                        : kLevels / 2;
    line += kRamp[level];
  }
  return line;
}

std::string shape_of_curves(const json& message, const std::vector<ShownRun>& runs, const PromptOptions& options) {
  const int window = message.value("smoothing_window", 1);
  std::string out = "Reward curves: moving average over " + std::to_string(window) +
                    " steps of the reward received, step 1 first, shown every " + std::to_string(options.downsample) +
                    " steps";
  if (message.contains("step")) {
    out += " up to where each run is now (the run being decided up to step " +
           std::to_string(message["step"].get<int>()) + ")";
  } else {
    out += " up to step " + std::to_string(message.value("shown_until", 0));
  }
  out += ", rounded to " + std::to_string(options.decimals) + " decimals.";
  for (const ShownRun& run : runs) {
    if (run.stopped_at) {
      out += " Run " + run.label + " was stopped at step " + std::to_string(*run.stopped_at) + ".";
    }
  }
  return out + "\n\n";
}
}  // namespace

std::vector<int> shown_steps(const std::vector<int>& lengths, int downsample) {
  const int longest = lengths.empty() ? 0 : *std::max_element(lengths.begin(), lengths.end());
  std::vector<int> steps;
  for (int s = downsample; s <= longest; s += downsample) {
    steps.push_back(s);
  }
  steps.insert(steps.end(), lengths.begin(), lengths.end());
  std::sort(steps.begin(), steps.end());
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
  steps.erase(std::remove(steps.begin(), steps.end(), 0), steps.end());
  return steps;
}

std::string render_prompt(const json& message, const PromptOptions& options) {
  const std::vector<ShownRun> runs = runs_of(message);
  std::vector<int> lengths;
  for (const ShownRun& run : runs) {
    lengths.push_back(static_cast<int>(run.values.size()));
  }
  const std::vector<int> steps = shown_steps(lengths, options.downsample);
  const auto has = [&](const ShownRun& run, int step) { return step <= static_cast<int>(run.values.size()); };
  const auto value = [&](const ShownRun& run, int step) {
    return fixed(run.values[static_cast<std::size_t>(step - 1)], options.decimals);
  };
  std::string out = "Item " + text_of(message, "id") + "\n\n" + text_of(message, "question") + "\n\n";
  if (message.contains("step")) {
    out += "Now: run " + text_of(message, "run") + " has reached step " + std::to_string(message["step"].get<int>()) +
           ". Continue it to the horizon, or stop it here?\n\n";
  }
  if (options.with_data) {
    out += shape_of_curves(message, runs, options);
    switch (options.data) {
      case DataFormat::List:
        for (const ShownRun& run : runs) {
          out += "Run " + run.label + ":";
          bool first = true;
          for (const int s : steps) {
            if (has(run, s)) {
              out.append(first ? " " : ", ").append(std::to_string(s)).append(": ").append(value(run, s));
              first = false;
            }
          }
          out += "\n";
        }
        break;
      case DataFormat::Csv:
        out += "step";
        for (const ShownRun& run : runs) {
          out += "," + run.label;
        }
        out += "\n";
        for (const int s : steps) {
          out += std::to_string(s);
          for (const ShownRun& run : runs) {
            out.append(",").append(has(run, s) ? value(run, s) : "");
          }
          out += "\n";
        }
        break;
      case DataFormat::Markdown:
        out += "| step |";
        for (const ShownRun& run : runs) {
          out += " " + run.label + " |";
        }
        out += "\n|---|";
        for (std::size_t r = 0; r < runs.size(); ++r) {
          out += "---|";
        }
        out += "\n";
        for (const int s : steps) {
          out += "| " + std::to_string(s) + " |";
          for (const ShownRun& run : runs) {
            out.append(" ").append(has(run, s) ? value(run, s) : "").append(" |");
          }
          out += "\n";
        }
        break;
      case DataFormat::Json: {
        // One array per run, step for step; null where a run is not shown (yet).
        nlohmann::ordered_json j{{"step", steps}};
        for (const ShownRun& run : runs) {
          nlohmann::ordered_json values = nlohmann::ordered_json::array();
          for (const int s : steps) {
            values.push_back(has(run, s) ? nlohmann::ordered_json::parse(value(run, s), nullptr, false)
                                         : nlohmann::ordered_json());
          }
          j[run.label] = values;
        }
        out += j.dump() + "\n";
        break;
      }
    }
    if (options.sparkline) {
      out += "\nSparklines (low _ to high #, each run on its own scale):\n";
      for (const ShownRun& run : runs) {
        out += run.label + " " + sparkline(run.values, steps) + "\n";
      }
    }
  } else {
    out += "The chart shows the reward curves (moving average over " +
           std::to_string(message.value("smoothing_window", 1)) + " steps of the reward received).\n";
  }
  std::string levels;
  for (const ShownRun& run : runs) {
    if (run.level) {
      levels += (levels.empty() ? "" : ", ") + run.label + " " + fixed(*run.level, options.decimals);
    }
  }
  if (!levels.empty()) {
    out += "\nThe expected reward of a random policy (the level a run starts from): " + levels + ".\n";
  }
  if (message.contains("random_policy_level")) {
    out += "\nThe random-policy level of run " +
           (message.contains("target") ? text_of(message, "target") : text_of(message, "run")) +
           " (the expected reward of pulling arms uniformly at random on its bandit): " +
           fixed(value_of(message["random_policy_level"]), options.decimals) + ".\n";
  }
  if (message.contains("best_so_far")) {
    const json& best = message["best_so_far"];
    out += best.is_object() ? "\nThe best run so far that ran to the horizon: " + best.at("label").get<std::string>() +
                                  ", ending at " + fixed(value_of(best.at("value")), options.decimals) + ".\n"
                            : "\nNo run has run to the horizon yet.\n";
  }
  out += "\nAnswer with one line of JSON and nothing else, for example: " + text_of(message, "answer_format") + "\n";
  return out;
}

std::string render_svg(const json& message) {
  static constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                             "#9467bd", "#8c564b", "#e377c2", "#17becf"};
  constexpr double kWidth = 720;
  constexpr double kHeight = 400;
  constexpr double kLeft = 60;
  constexpr double kRight = 110;
  constexpr double kTop = 40;
  constexpr double kBottom = 50;
  const std::vector<ShownRun> runs = runs_of(message);
  const int horizon = std::max(1, message.value("horizon", 1));
  const std::string target = message.contains("target") ? text_of(message, "target") : text_of(message, "run");
  std::optional<double> level;
  if (message.contains("random_policy_level")) {
    level = value_of(message["random_policy_level"]);
  }
  double lo = INFINITY;
  double hi = -INFINITY;
  for (const ShownRun& run : runs) {
    for (const double v : run.values) {
      if (std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  }
  if (level && std::isfinite(*level)) {
    lo = std::min(lo, *level);
    hi = std::max(hi, *level);
  }
  if (!(hi > lo)) {
    lo = std::isfinite(lo) ? lo : 0.0;
    hi = lo + 1.0;
  }
  const double pad = 0.05 * (hi - lo);
  lo -= pad;
  hi += pad;
  const auto x = [&](double step) { return kLeft + (step - 1) / std::max(1, horizon - 1) * (kWidth - kLeft - kRight); };
  const auto y = [&](double v) { return kTop + (hi - v) / (hi - lo) * (kHeight - kTop - kBottom); };
  const auto num = [](double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", v);
    return std::string(buffer);
  };
  char buffer[128];
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"400\" viewBox=\"0 0 720 400\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"720\" height=\"400\" fill=\"white\"/>\n";
  // Item ids are [a-z0-9:-] only (the reader checks them), so they need no escaping.
  svg += "<text x=\"" + num(kLeft) + "\" y=\"22\" font-size=\"14\">" + text_of(message, "id") + "</text>\n";
  for (int i = 0; i <= 4; ++i) {
    const double v = lo + (hi - lo) * i / 4.0;
    std::snprintf(buffer, sizeof buffer, "%.2f", v);
    const double yy = y(v);
    svg += "<line x1=\"" + num(kLeft) + "\" x2=\"" + num(kWidth - kRight) + "\" y1=\"" + num(yy) + "\" y2=\"" +
           num(yy) + "\" stroke=\"#ddd\"/>\n";
    svg += "<text x=\"" + num(kLeft - 6) + "\" y=\"" + num(yy + 4) + "\" text-anchor=\"end\">" + buffer + "</text>\n";
    const int step = 1 + (horizon - 1) * i / 4;
    svg += "<text x=\"" + num(x(step)) + "\" y=\"" + num(kHeight - kBottom + 18) + "\" text-anchor=\"middle\">" +
           std::to_string(step) + "</text>\n";
  }
  svg += "<text x=\"" + num((kLeft + kWidth - kRight) / 2) + "\" y=\"" + num(kHeight - 10) +
         "\" text-anchor=\"middle\">step</text>\n";
  svg += "<text transform=\"translate(16 " + num((kTop + kHeight - kBottom) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">reward (moving average)</text>\n";
  const int mark = message.contains("step") ? message["step"].get<int>() : message.value("shown_until", horizon);
  if (mark < horizon) {
    svg += "<line x1=\"" + num(x(mark)) + "\" x2=\"" + num(x(mark)) + "\" y1=\"" + num(kTop) + "\" y2=\"" +
           num(kHeight - kBottom) + "\" stroke=\"#888\" stroke-dasharray=\"4 4\"/>\n";
  }
  if (level && std::isfinite(*level)) {
    svg += "<line x1=\"" + num(kLeft) + "\" x2=\"" + num(kWidth - kRight) + "\" y1=\"" + num(y(*level)) + "\" y2=\"" +
           num(y(*level)) + "\" stroke=\"#555\" stroke-dasharray=\"2 3\"/>\n";
    char level_text[32];
    std::snprintf(level_text, sizeof level_text, "%.3f", *level);
    svg += "<text x=\"" + num(kLeft + 4) + "\" y=\"" + num(y(*level) - 4) + "\" fill=\"#555\">random-policy level of " +
           target + ": " + level_text + "</text>\n";
  }
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const char* colour = kColours[r % 8];
    std::string points;
    const auto& curve = runs[r].values;
    const std::size_t stride = std::max<std::size_t>(1, curve.size() / 400);
    for (std::size_t t = 0; t < curve.size(); t += stride) {
      if (std::isfinite(curve[t])) {
        points += num(x(static_cast<double>(t + 1))) + "," + num(y(curve[t])) + " ";
      }
    }
    const bool asked = runs[r].label == target;
    svg += "<polyline fill=\"none\" stroke=\"" + std::string(colour) + "\" stroke-width=\"" + (asked ? "3" : "1.5") +
           "\" points=\"" + points + "\"/>\n";
    const double ly = kTop + 18.0 * static_cast<double>(r);
    svg += "<line x1=\"" + num(kWidth - kRight + 12) + "\" x2=\"" + num(kWidth - kRight + 32) + "\" y1=\"" + num(ly) +
           "\" y2=\"" + num(ly) + "\" stroke=\"" + colour + "\" stroke-width=\"3\"/>\n";
    svg += "<text x=\"" + num(kWidth - kRight + 38) + "\" y=\"" + num(ly + 4) + "\">run " + runs[r].label +
           (asked ? " (asked)" : "") + "</text>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace curvelab::cli
