#pragma once
// FNV-1a over the bits of every record of a run: a whole run in one number.

#include <cstdint>

#include "curvelab/run.hpp"

inline std::uint64_t hash_run(const curvelab::Run& run) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  const auto mix = [&h](const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
      h = (h ^ bytes[i]) * 0x100000001B3ULL;
    }
  };
  mix(run.rewards().data(), run.rewards().size_bytes());
  mix(run.true_values().data(), run.true_values().size_bytes());
  mix(run.optimal().data(), run.optimal().size_bytes());
  return h;
}
