// The batched simulator compiled for AVX2 (4 lanes a register), chosen at run time by
// simulate_average when the processor has it. Everything it calls outside its own
// namespace is compiled for the baseline target (lane_support.hpp).

#define CURVELAB_LANES avx2
#include "lane_batch.hpp"
