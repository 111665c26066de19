#include "raster.hpp"

#include <openssl/evp.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

namespace curvelab::cli {
namespace {
namespace fs = std::filesystem;

// A private temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "curvelab-raster-XXXXXX").string();
    if (char* made = mkdtemp(pattern.data())) {
      path_ = made;
    }
  }
  ~TempDir() {
    if (!path_.empty()) {
      std::error_code ignored;
      fs::remove_all(path_, ignored);
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};
}  // namespace

bool have_rasteriser() { return std::system("command -v rsvg-convert >/dev/null 2>&1") == 0; }

Expected<std::string> svg_to_png(const std::string& svg, int timeout_s) {
  const TempDir dir;
  if (dir.path().empty()) {
    return Error{"png", "png: cannot create a temporary directory"};
  }
  const fs::path in = dir.path() / "chart.svg";
  const fs::path out = dir.path() / "chart.png";
  {
    std::ofstream file(in, std::ios::binary);
    file << svg;
    if (!file.flush()) {
      return Error{"png", "png: cannot write " + in.string()};
    }
  }
  // mkdtemp's path holds no quote; `timeout` kills rsvg-convert when the deadline passes.
  const std::string command = "timeout -k 2 " + std::to_string(timeout_s) + " rsvg-convert -o '" + out.string() +
                              "' '" + in.string() + "' 2>/dev/null";
  if (std::system(command.c_str()) != 0) {
    return Error{"png", "png: rsvg-convert failed or took longer than " + std::to_string(timeout_s) + " s"};
  }
  std::ifstream file(out, std::ios::binary);
  std::string png((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (png.empty()) {
    return Error{"png", "png: rsvg-convert wrote nothing"};
  }
  return png;
}

std::string png_data_url(const std::string& png) {
  std::string encoded(4 * ((png.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                reinterpret_cast<const unsigned char*>(png.data()), static_cast<int>(png.size()));
  encoded.resize(static_cast<std::size_t>(n));
  return "data:image/png;base64," + encoded;
}

}  // namespace curvelab::cli
