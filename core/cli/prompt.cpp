#include "prompt.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "curvelab/run.hpp"

namespace curvelab::cli {
namespace {
std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) {
    return format_number(value);
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  return text == "-0" || text.find_first_not_of("-0.") == std::string::npos ? text.substr(text[0] == '-') : text;
}

std::string sparkline(const std::vector<double>& values, const std::vector<int>& steps) {
  static constexpr char kRamp[] = "_.,-~=+*#";
  constexpr int kLevels = sizeof kRamp - 1;
  double lo = INFINITY;
  double hi = -INFINITY;
  for (const int s : steps) {
    lo = std::min(lo, values[static_cast<std::size_t>(s - 1)]);
    hi = std::max(hi, values[static_cast<std::size_t>(s - 1)]);
  }
  std::string line;
  for (const int s : steps) {
    const double v = values[static_cast<std::size_t>(s - 1)];
    const int level = hi > lo ? static_cast<int>((v - lo) / (hi - lo) * (kLevels - 1) + 0.5) : kLevels / 2;
    line += kRamp[level];
  }
  return line;
}
}  // namespace

ItemView view_item(const QuizItem& item) {
  ItemView view;
  view.item = &item;
  const std::vector<Run> runs = run_item(item);
  view.shown = shown_curves(item, runs);
  for (auto& curve : view.shown) {
    curve.resize(static_cast<std::size_t>(item.shown_until));
  }
  for (const Run& run : runs) {
    view.baselines.push_back(run.baseline());
  }
  return view;
}

std::vector<int> shown_steps(const QuizItem& item, int downsample) {
  std::vector<int> steps;
  for (int s = downsample; s <= item.shown_until; s += downsample) {
    steps.push_back(s);
  }
  if (steps.empty() || steps.back() != item.shown_until) {
    steps.push_back(item.shown_until);
  }
  return steps;
}

bool has_batch_prompt(const QuizItem& item) { return item.kind != QuizKind::Sequential; }

std::string render_prompt(const ItemView& view, const PromptOptions& options) {
  const QuizItem& item = *view.item;
  const int n = static_cast<int>(view.shown.size());
  const std::vector<int> steps = shown_steps(item, options.downsample);
  const auto value = [&](int run, int step) {
    return fixed(view.shown[static_cast<std::size_t>(run)][static_cast<std::size_t>(step - 1)], options.decimals);
  };
  std::string out = "Item " + item.id + "\n\n" + quiz_question(item) + "\n\n";
  out += "Reward curves: " + std::string("moving average over ") + std::to_string(item.smoothing_window) +
         " steps of the reward received, shown every " + std::to_string(options.downsample) + " steps up to step " +
         std::to_string(item.shown_until) + ", rounded to " + std::to_string(options.decimals) + " decimals.\n\n";
  switch (options.data) {
    case DataFormat::List:
      for (int r = 0; r < n; ++r) {
        out += "Run " + run_label(r) + ":";
        for (const int s : steps) {
          out.append(" ").append(std::to_string(s)).append(": ").append(value(r, s));
          out.append(s == steps.back() ? "" : ",");
        }
        out += "\n";
      }
      break;
    case DataFormat::Csv:
      out += "step";
      for (int r = 0; r < n; ++r) {
        out += "," + run_label(r);
      }
      out += "\n";
      for (const int s : steps) {
        out += std::to_string(s);
        for (int r = 0; r < n; ++r) {
          out.append(",").append(value(r, s));
        }
        out += "\n";
      }
      break;
    case DataFormat::Markdown:
      out += "| step |";
      for (int r = 0; r < n; ++r) {
        out += " " + run_label(r) + " |";
      }
      out += "\n|---|";
      for (int r = 0; r < n; ++r) {
        out += "---|";
      }
      out += "\n";
      for (const int s : steps) {
        out += "| " + std::to_string(s) + " |";
        for (int r = 0; r < n; ++r) {
          out.append(" ").append(value(r, s)).append(" |");
        }
        out += "\n";
      }
      break;
    case DataFormat::Json: {
      nlohmann::ordered_json j{{"step", steps}};
      for (int r = 0; r < n; ++r) {
        nlohmann::ordered_json values = nlohmann::ordered_json::array();
        for (const int s : steps) {
          values.push_back(nlohmann::ordered_json::parse(value(r, s), nullptr, false));
        }
        j[run_label(r)] = values;
      }
      out += j.dump() + "\n";
      break;
    }
  }
  if (item.kind == QuizKind::Onset && item.target >= 0) {
    // The question measures learning from the random-policy level: every judge is given it.
    out += "\nThe random-policy level of run " + run_label(item.target) +
           " (the expected reward of pulling arms uniformly at random on its bandit): " +
           fixed(view.baselines[static_cast<std::size_t>(item.target)], options.decimals) + ".\n";
  }
  if (options.sparkline) {
    out += "\nSparklines (low _ to high #, each run on its own scale):\n";
    for (int r = 0; r < n; ++r) {
      out += run_label(r) + " " + sparkline(view.shown[static_cast<std::size_t>(r)], steps) + "\n";
    }
  }
  if (options.with_context) {
    out += "\nContext: the expected reward of a random policy (the level a run starts from):";
    for (int r = 0; r < n; ++r) {
      out.append(" ").append(run_label(r)).append(" ");
      out.append(fixed(view.baselines[static_cast<std::size_t>(r)], options.decimals)).append(r + 1 == n ? ".\n" : ",");
    }
    // Every run is shown up to the same step: the best so far is the highest there.
    const int best = best_finished_run(view.shown, std::vector<std::optional<int>>(view.shown.size())).value_or(0);
    if (n > 1) {
      out += "The best run so far (highest value at step " + std::to_string(item.shown_until) + ") is " +
             run_label(best) + ".\n";
    }
  }
  out += "\nAnswer with one line of JSON and nothing else, for example: " + quiz_answer_format(item) + "\n";
  return out;
}

std::string render_svg(const ItemView& view) {
  const QuizItem& item = *view.item;
  static constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                             "#9467bd", "#8c564b", "#e377c2", "#17becf"};
  constexpr double kWidth = 720;
  constexpr double kHeight = 400;
  constexpr double kLeft = 60;
  constexpr double kRight = 110;
  constexpr double kTop = 40;
  constexpr double kBottom = 50;
  double lo = INFINITY;
  double hi = -INFINITY;
  for (const auto& curve : view.shown) {
    for (const double v : curve) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  // Onset items are asked against the random-policy level of the run asked about: draw it.
  const bool level = item.kind == QuizKind::Onset && item.target >= 0;
  const double baseline = level ? view.baselines[static_cast<std::size_t>(item.target)] : 0.0;
  if (level) {
    lo = std::min(lo, baseline);
    hi = std::max(hi, baseline);
  }
  if (!(hi > lo)) {
    hi = lo + 1.0;
  }
  const double pad = 0.05 * (hi - lo);
  lo -= pad;
  hi += pad;
  const auto x = [&](double step) {
    return kLeft + (step - 1) / std::max(1, item.horizon - 1) * (kWidth - kLeft - kRight);
  };
  const auto y = [&](double v) { return kTop + (hi - v) / (hi - lo) * (kHeight - kTop - kBottom); };
  char buffer[128];
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"400\" viewBox=\"0 0 720 400\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"720\" height=\"400\" fill=\"white\"/>\n";
  svg +=
      "<text x=\"" + std::to_string(static_cast<int>(kLeft)) + "\" y=\"22\" font-size=\"14\">" + item.id + "</text>\n";
  // Axes with five ticks each.
  for (int i = 0; i <= 4; ++i) {
    const double v = lo + (hi - lo) * i / 4.0;
    std::snprintf(buffer, sizeof buffer, "%.2f", v);
    const double yy = y(v);
    svg += "<line x1=\"" + std::to_string(kLeft) + "\" x2=\"" + std::to_string(kWidth - kRight) + "\" y1=\"" +
           std::to_string(yy) + "\" y2=\"" + std::to_string(yy) + "\" stroke=\"#ddd\"/>\n";
    svg += "<text x=\"" + std::to_string(kLeft - 6) + "\" y=\"" + std::to_string(yy + 4) + "\" text-anchor=\"end\">" +
           buffer + "</text>\n";
    const int step = 1 + (item.horizon - 1) * i / 4;
    svg += "<text x=\"" + std::to_string(x(step)) + "\" y=\"" + std::to_string(kHeight - kBottom + 18) +
           "\" text-anchor=\"middle\">" + std::to_string(step) + "</text>\n";
  }
  svg += "<text x=\"" + std::to_string((kLeft + kWidth - kRight) / 2) + "\" y=\"" + std::to_string(kHeight - 10) +
         "\" text-anchor=\"middle\">step</text>\n";
  svg += "<text transform=\"translate(16 " + std::to_string((kTop + kHeight - kBottom) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">reward (moving average)</text>\n";
  if (item.shown_until < item.horizon) {
    const double cut = x(item.shown_until);
    svg += "<line x1=\"" + std::to_string(cut) + "\" x2=\"" + std::to_string(cut) + "\" y1=\"" + std::to_string(kTop) +
           "\" y2=\"" + std::to_string(kHeight - kBottom) + "\" stroke=\"#888\" stroke-dasharray=\"4 4\"/>\n";
  }
  if (level) {
    const double yy = y(baseline);
    svg += "<line x1=\"" + std::to_string(kLeft) + "\" x2=\"" + std::to_string(kWidth - kRight) + "\" y1=\"" +
           std::to_string(yy) + "\" y2=\"" + std::to_string(yy) + "\" stroke=\"#555\" stroke-dasharray=\"2 4\"/>\n";
    std::snprintf(buffer, sizeof buffer, "%.3f", baseline);
    svg += "<text x=\"" + std::to_string(kLeft + 4) + "\" y=\"" + std::to_string(yy - 4) +
           "\" fill=\"#555\">random-policy level of " + run_label(item.target) + ": " + buffer + "</text>\n";
  }
  for (std::size_t r = 0; r < view.shown.size(); ++r) {
    const char* colour = kColours[r % 8];
    std::string points;
    const auto& curve = view.shown[r];
    const std::size_t stride = std::max<std::size_t>(1, curve.size() / 400);
    for (std::size_t t = 0; t < curve.size(); t += stride) {
      std::snprintf(buffer, sizeof buffer, "%.1f,%.1f ", x(static_cast<double>(t + 1)), y(curve[t]));
      points += buffer;
    }
    const bool target = static_cast<int>(r) == item.target;
    svg += "<polyline fill=\"none\" stroke=\"" + std::string(colour) + "\" stroke-width=\"" + (target ? "3" : "1.5") +
           "\" points=\"" + points + "\"/>\n";
    const double ly = kTop + 18.0 * static_cast<double>(r);
    svg += "<line x1=\"" + std::to_string(kWidth - kRight + 12) + "\" x2=\"" + std::to_string(kWidth - kRight + 32) +
           "\" y1=\"" + std::to_string(ly) + "\" y2=\"" + std::to_string(ly) + "\" stroke=\"" + colour +
           "\" stroke-width=\"3\"/>\n";
    svg += "<text x=\"" + std::to_string(kWidth - kRight + 38) + "\" y=\"" + std::to_string(ly + 4) + "\">run " +
           run_label(static_cast<int>(r)) + (target ? " (asked)" : "") + "</text>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace curvelab::cli
