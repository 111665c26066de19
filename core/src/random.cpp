#include "curvelab/random.hpp"

#include <cmath>

#include "curvelab/mathfn.hpp"

namespace curvelab {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index) {
  // Two rounds, so that neighbouring seeds and neighbouring indices both scatter.
  std::uint64_t state = seed;
  std::uint64_t mixed = splitmix64(state) ^ (index * 0xD1B54A32D192ED03ULL);
  return splitmix64(mixed);
}

Rng::Rng(std::uint64_t seed) {
  std::uint64_t state = seed;
  for (auto& word : s_) {
    word = splitmix64(state);
  }
}

namespace {
// Doornik (2005), "An improved ziggurat method to generate normal random samples":
// R is the start of the tail, V the area of each layer, for 128 layers.
constexpr double kZigR = 3.442619855899;
constexpr double kZigV = 9.91256303526217e-3;

ZigguratTables make_ziggurat() {
  ZigguratTables t;
  constexpr int n = ZigguratTables::kLayers;
  double f = det_exp(-0.5 * kZigR * kZigR);
  t.x[0] = kZigV / f;  // the base strip: rectangle plus tail, as one wider rectangle
  t.x[1] = kZigR;
  t.x[n] = 0.0;
  for (int i = 2; i < n; ++i) {
    t.x[i] = std::sqrt(-2.0 * det_log(kZigV / t.x[i - 1] + f));
    f = det_exp(-0.5 * t.x[i] * t.x[i]);
  }
  for (int i = 0; i < n; ++i) {
    t.ratio[i] = t.x[i + 1] / t.x[i];
  }
  for (int i = 0; i <= n; ++i) {
    t.f[i] = det_exp(-0.5 * t.x[i] * t.x[i]);
  }
  return t;
}
}  // namespace

const ZigguratTables kZiggurat = make_ziggurat();

bool Rng::normal_slow(unsigned layer, double u, double& out) {
  if (layer == 0) {
    // The tail beyond R (Marsaglia 1964).
    double x = 0.0;
    double y = 0.0;
    do {
      x = det_log(uniform_open0()) / kZigR;
      y = det_log(uniform_open0());
    } while (-2.0 * y < x * x);
    out = u < 0.0 ? x - kZigR : kZigR - x;
    return true;
  }
  // The wedge between layer edges: accept under the density itself.
  const double x = u * kZiggurat.x[layer];
  const double f0 = kZiggurat.f[layer];
  const double f1 = kZiggurat.f[layer + 1];
  if (f1 + uniform() * (f0 - f1) < det_exp(-0.5 * x * x)) {
    out = x;
    return true;
  }
  return false;
}

}  // namespace curvelab
