// The batched simulator compiled for AVX-512 (F and DQ: 8 lanes a register, 64-bit
// rotates, conversions and multiplies in one instruction), chosen at run time by
// simulate_average when the processor has it. Everything it calls outside its own
// namespace is compiled for the baseline target (lane_support.hpp).

#define CURVELAB_LANES avx512
#include "lane_batch.hpp"
