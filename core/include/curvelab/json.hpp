#pragma once
/// \file
/// The one serialisation module: configs, ranges and ground truth to and from JSON
/// (nlohmann/json). Parsing never throws; it reports the first bad field.

#include <string_view>

#include <nlohmann/json.hpp>

#include "curvelab/config.hpp"
#include "curvelab/error.hpp"
#include "curvelab/generator.hpp"
#include "curvelab/ground_truth.hpp"

namespace curvelab {

nlohmann::json to_json(const ExperimentConfig& config);
nlohmann::json to_json(const GeneratorRanges& ranges);
nlohmann::json to_json(const RunTruth& truth);

/// A JSON number, or null for NaN and the strings "inf" / "-inf" for infinities
/// (JSON has no literal for them).
nlohmann::json number_to_json(double value);

/// Parses text as JSON; a syntax error names the byte offset.
Expected<nlohmann::json> parse_json_text(std::string_view text);

/// An experiment config; missing fields take their defaults, unknown fields are refused.
Expected<ExperimentConfig> experiment_from_json(const nlohmann::json& j);
/// Generator ranges; missing fields take their defaults, unknown fields are refused.
Expected<GeneratorRanges> ranges_from_json(const nlohmann::json& j);

}  // namespace curvelab
