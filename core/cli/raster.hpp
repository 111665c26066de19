#pragma once
// SVG charts as PNG, through rsvg-convert (librsvg, Debian package librsvg2-bin) with a
// deadline, and as data URLs for chat requests.

#include <string>

#include "curvelab/error.hpp"

namespace curvelab::cli {

/// Whether rsvg-convert can be run.
bool have_rasteriser();

/// The PNG bytes of `svg`, rendered by rsvg-convert within `timeout_s` seconds (then
/// killed); an Error naming what failed otherwise.
Expected<std::string> svg_to_png(const std::string& svg, int timeout_s = 30);

/// `data:image/png;base64,...`
std::string png_data_url(const std::string& png);

}  // namespace curvelab::cli
