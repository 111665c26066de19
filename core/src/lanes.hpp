#pragma once
/// \file
/// The one portable SIMD layer of the simulator: vectors of kLanes 64-bit lanes over the
/// GCC/Clang vector extensions, so the same source becomes AVX2 or AVX-512 natively and
/// SIMD128 in WebAssembly (-msimd128). Only exactly rounded IEEE-754 operations are used
/// (+ - * /, comparisons, selections, integer bit operations), so a lane computes the
/// same bits as the scalar code it mirrors.
///
/// Lane i of every vector belongs to run i of a batch; each run keeps its own
/// xoshiro256** stream, advanced only in the lanes that draw.
///
/// A vector spans kRegisters machine registers: one step of one register's runs is a
/// long chain of dependent operations (the greedy set's rescan feeds the next step's
/// choice), and operating on several registers at once gives the processor independent
/// chains to overlap. (GCC splits oversized vector-extension types badly, hence the
/// explicit array of registers.)
///
/// Included by one translation unit per instruction set, each with its own
/// CURVELAB_LANES namespace, so the types of different widths never meet.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "curvelab/random.hpp"
#include "lane_support.hpp"

#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

#ifndef CURVELAB_LANES
#error "define CURVELAB_LANES, the namespace of this instruction set's lanes"
#endif

namespace curvelab::CURVELAB_LANES {

// Every operation is forced inline: the lane vectors must stay in registers.
#define CURVELAB_LANE_INLINE inline __attribute__((always_inline))

#if defined(__AVX512F__) && defined(__AVX512DQ__)
#define CURVELAB_LANES_AVX512 1
inline constexpr int kRegisterLanes = 8;
#elif defined(__AVX2__)
inline constexpr int kRegisterLanes = 4;
#else
inline constexpr int kRegisterLanes = 2;
#endif
#ifndef CURVELAB_LANE_REGISTERS
#define CURVELAB_LANE_REGISTERS 2
#endif
inline constexpr int kRegisters = CURVELAB_LANE_REGISTERS;
/// Runs per batch.
inline constexpr int kLanes = kRegisterLanes * kRegisters;

using NativeU = std::uint64_t __attribute__((vector_size(8 * kRegisterLanes)));
using NativeF = double __attribute__((vector_size(8 * kRegisterLanes)));
using NativeI = decltype(NativeF{} < NativeF{});  // the type of a comparison: -1 true, 0 false
using Element = decltype(NativeI{}[0]);

// `statement` once for each register k, with k a constant (not a loop: GCC keeps the
// registers of a Wide in registers only when every index is a constant).
#define CURVELAB_EACH(...)          \
  {                                 \
    {                               \
      constexpr int k = 0;          \
      __VA_ARGS__;                  \
    }                               \
    if constexpr (kRegisters > 1) { \
      constexpr int k = 1;          \
      __VA_ARGS__;                  \
    }                               \
    if constexpr (kRegisters > 2) { \
      constexpr int k = 2;          \
      __VA_ARGS__;                  \
    }                               \
    if constexpr (kRegisters > 3) { \
      constexpr int k = 3;          \
      __VA_ARGS__;                  \
    }                               \
  }
static_assert(kRegisters >= 1 && kRegisters <= 4);

/// kLanes lanes of N, kRegisters registers of it.
template <class N>
struct Wide {
  N r[kRegisters];

  Wide() : r{} {}
  /// Every lane `x`.
  template <class S, class = std::enable_if_t<std::is_arithmetic_v<S>>>
  Wide(S x) {  // NOLINT: broadcasts, as the vector extensions do
    CURVELAB_EACH(r[k] = N{} + static_cast<decltype(N{}[0])>(x));
  }

  CURVELAB_LANE_INLINE auto operator[](int i) const { return r[i / kRegisterLanes][i % kRegisterLanes]; }
  template <class S>
  CURVELAB_LANE_INLINE void set(int i, S x) {
    r[i / kRegisterLanes][i % kRegisterLanes] = static_cast<decltype(N{}[0])>(x);
  }
};

using U64 = Wide<NativeU>;
using I64 = Wide<NativeI>;  ///< masks: -1 true, 0 false
using F64 = Wide<NativeF>;

#define CURVELAB_BINARY(op)                                                      \
  template <class N>                                                             \
  CURVELAB_LANE_INLINE Wide<N> operator op(const Wide<N>& a, const Wide<N>& b) { \
    Wide<N> out;                                                                 \
    CURVELAB_EACH(out.r[k] = a.r[k] op b.r[k]);                                  \
    return out;                                                                  \
  }                                                                              \
  template <class N, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>> \
  CURVELAB_LANE_INLINE Wide<N> operator op(const Wide<N>& a, S b) {              \
    return a op Wide<N>(b);                                                      \
  }                                                                              \
  template <class N, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>> \
  CURVELAB_LANE_INLINE Wide<N> operator op(S a, const Wide<N>& b) {              \
    return Wide<N>(a) op b;                                                      \
  }
CURVELAB_BINARY(+)
CURVELAB_BINARY(-)
CURVELAB_BINARY(*)
CURVELAB_BINARY(/)
CURVELAB_BINARY(&)
CURVELAB_BINARY(|)
CURVELAB_BINARY(^)
#undef CURVELAB_BINARY

#define CURVELAB_COMPARE(op)                                                     \
  template <class N>                                                             \
  CURVELAB_LANE_INLINE I64 operator op(const Wide<N>& a, const Wide<N>& b) {     \
    I64 out;                                                                     \
    CURVELAB_EACH(out.r[k] = a.r[k] op b.r[k]);                                  \
    return out;                                                                  \
  }                                                                              \
  template <class N, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>> \
  CURVELAB_LANE_INLINE I64 operator op(const Wide<N>& a, S b) {                  \
    return a op Wide<N>(b);                                                      \
  }
CURVELAB_COMPARE(<)
CURVELAB_COMPARE(>)
CURVELAB_COMPARE(==)
#undef CURVELAB_COMPARE

template <class N>
CURVELAB_LANE_INLINE Wide<N> operator~(const Wide<N>& a) {
  Wide<N> out;
  CURVELAB_EACH(out.r[k] = ~a.r[k]);
  return out;
}
template <class N>
CURVELAB_LANE_INLINE Wide<N> operator-(const Wide<N>& a) {
  Wide<N> out;
  CURVELAB_EACH(out.r[k] = -a.r[k]);
  return out;
}
CURVELAB_LANE_INLINE U64 operator<<(const U64& a, unsigned n) {
  U64 out;
  CURVELAB_EACH(out.r[k] = a.r[k] << n);
  return out;
}
CURVELAB_LANE_INLINE U64 operator>>(const U64& a, unsigned n) {
  U64 out;
  CURVELAB_EACH(out.r[k] = a.r[k] >> n);
  return out;
}

/// The same bits as another lane type.
template <class To, class From>
CURVELAB_LANE_INLINE Wide<To> bits_as(const Wide<From>& a) {
  Wide<To> out;
  CURVELAB_EACH(out.r[k] = __builtin_bit_cast(To, a.r[k]));
  return out;
}
CURVELAB_LANE_INLINE U64 as_u64(const I64& a) { return bits_as<NativeU>(a); }
CURVELAB_LANE_INLINE I64 as_i64(const U64& a) { return bits_as<NativeI>(a); }

/// `mask ? a : b`, lane by lane.
template <class N>
CURVELAB_LANE_INLINE Wide<N> select(const I64& mask, const Wide<N>& a, const Wide<N>& b) {
  Wide<N> out;
  CURVELAB_EACH(out.r[k] = __builtin_bit_cast(N, (__builtin_bit_cast(NativeI, a.r[k]) & mask.r[k]) |
                                                     (__builtin_bit_cast(NativeI, b.r[k]) & ~mask.r[k])));
  return out;
}

/// True when some lane of `mask` is set.
CURVELAB_LANE_INLINE bool any(const I64& mask) {
  NativeI folded{};
  CURVELAB_EACH(folded |= mask.r[k]);
#if CURVELAB_LANES_AVX512
  const auto bits = __builtin_bit_cast(__m512i, folded);
  return _mm512_test_epi64_mask(bits, bits) != 0;
#elif defined(__AVX2__)
  return _mm256_movemask_pd(_mm256_castsi256_pd(__builtin_bit_cast(__m256i, folded))) != 0;
#elif defined(__wasm_simd128__)
  return wasm_v128_any_true(__builtin_bit_cast(v128_t, folded));
#else
  return (folded[0] | folded[1]) != 0;
#endif
}

/// `std::sqrt` in every lane (exactly rounded, as IEEE-754 requires of both).
CURVELAB_LANE_INLINE F64 sqrt(const F64& a) {
  F64 out;
#if CURVELAB_LANES_AVX512
  // The masked forms here and in floor: GCC 12's unmasked ones trip -Wmaybe-uninitialized.
  CURVELAB_EACH(const auto v = __builtin_bit_cast(__m512d, a.r[k]);
                out.r[k] = __builtin_bit_cast(NativeF, _mm512_mask_sqrt_pd(v, 0xFF, v)));
#elif defined(__AVX2__)
  CURVELAB_EACH(out.r[k] = __builtin_bit_cast(NativeF, _mm256_sqrt_pd(__builtin_bit_cast(__m256d, a.r[k]))));
#elif defined(__wasm_simd128__)
  CURVELAB_EACH(out.r[k] = __builtin_bit_cast(NativeF, wasm_f64x2_sqrt(__builtin_bit_cast(v128_t, a.r[k]))));
#else
  CURVELAB_EACH(out.r[k] = NativeF{__builtin_sqrt(a.r[k][0]), __builtin_sqrt(a.r[k][1])});
#endif
  return out;
}

/// `std::floor` in every lane (exact).
CURVELAB_LANE_INLINE F64 floor(const F64& a) {
  F64 out;
#if CURVELAB_LANES_AVX512
  CURVELAB_EACH(const auto v = __builtin_bit_cast(__m512d, a.r[k]);
                out.r[k] = __builtin_bit_cast(
                    NativeF, _mm512_mask_roundscale_pd(v, 0xFF, v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)));
#elif defined(__AVX2__)
  CURVELAB_EACH(out.r[k] = __builtin_bit_cast(NativeF, _mm256_floor_pd(__builtin_bit_cast(__m256d, a.r[k]))));
#elif defined(__wasm_simd128__)
  CURVELAB_EACH(out.r[k] = __builtin_bit_cast(NativeF, wasm_f64x2_floor(__builtin_bit_cast(v128_t, a.r[k]))));
#else
  CURVELAB_EACH(out.r[k] = NativeF{__builtin_floor(a.r[k][0]), __builtin_floor(a.r[k][1])});
#endif
  return out;
}

/// `table[index]` in every lane.
CURVELAB_LANE_INLINE F64 gather(const double* table, const U64& index) {
  F64 out;
#if CURVELAB_LANES_AVX512
  // The masked form: GCC 12's unmasked one trips -Wuninitialized in its own header.
  CURVELAB_EACH(out.r[k] = __builtin_bit_cast(
                    NativeF, _mm512_mask_i64gather_pd(_mm512_setzero_pd(), 0xFF,
                                                      __builtin_bit_cast(__m512i, index.r[k]), table, 8)));
#elif defined(__AVX2__)
  CURVELAB_EACH(
      out.r[k] = __builtin_bit_cast(NativeF, _mm256_i64gather_pd(table, __builtin_bit_cast(__m256i, index.r[k]), 8)));
#else
  CURVELAB_EACH(out.r[k] = NativeF{table[index.r[k][0]], table[index.r[k][1]]});
#endif
  return out;
}

/// The kLanes doubles at `p`, and back.
CURVELAB_LANE_INLINE F64 load(const double* p) {
  F64 out;
  CURVELAB_EACH(std::memcpy(&out.r[k], p + k * kRegisterLanes, sizeof(NativeF)));
  return out;
}
CURVELAB_LANE_INLINE void store(double* p, const F64& v) {
  CURVELAB_EACH(std::memcpy(p + k * kRegisterLanes, &v.r[k], sizeof(NativeF)));
}

/// `table[index] = v` in every lane (the indices distinct).
CURVELAB_LANE_INLINE void scatter(double* table, const U64& index, const F64& v) {
  CURVELAB_EACH(for (int i = 0; i < kRegisterLanes; ++i) { table[index.r[k][i]] = v.r[k][i]; });
}

/// 0, 1, ..., kLanes - 1.
CURVELAB_LANE_INLINE U64 lane_numbers() {
  U64 out;
  for (int i = 0; i < kLanes; ++i) {
    out.set(i, i);
  }
  return out;
}

/// Exactly `static_cast<double>(v)` in every lane with v < 2^53, through two exact
/// 32-bit halves (SSE2, AVX2 and SIMD128 have no 64-bit integer to double conversion).
CURVELAB_LANE_INLINE F64 to_double53(const U64& v) {
#if CURVELAB_LANES_AVX512
  // AVX-512DQ converts 64-bit integers; below 2^53 the conversion is exact.
  F64 out;
  CURVELAB_EACH(out.r[k] = __builtin_bit_cast(NativeF, _mm512_cvtepu64_pd(__builtin_bit_cast(__m512i, v.r[k]))));
  return out;
#endif
  const U64 hi = (v >> 32U) | U64(0x4530000000000000ULL);                // 2^84 + hi * 2^32
  const U64 lo = (v & U64(0xFFFFFFFFULL)) | U64(0x4330000000000000ULL);  // 2^52 + lo
  return (bits_as<NativeF>(hi) - F64(0x1.00000001p84)) + bits_as<NativeF>(lo);
}

/// kLanes xoshiro256** generators, one a lane: `Rng` with its state spread over lanes.
struct Generators {
  U64 s0, s1, s2, s3;

  CURVELAB_LANE_INLINE void set(int lane, const std::uint64_t state[4]) { put(lane, state); }

  CURVELAB_LANE_INLINE static U64 rotl(const U64& x, unsigned n) { return (x << n) | (x >> (64U - n)); }

  /// `Rng::next_u64` in every lane (x * 5 and x * 9 as shifts and adds: the same bits).
  CURVELAB_LANE_INLINE U64 next() {
    const U64 times5 = (s1 << 2U) + s1;
    const U64 rotated = rotl(times5, 7);
    const U64 result = (rotated << 3U) + rotated;
    const U64 t = s1 << 17U;
    s2 = s2 ^ s0;
    s3 = s3 ^ s1;
    s1 = s1 ^ s2;
    s0 = s0 ^ s3;
    s2 = s2 ^ t;
    s3 = rotl(s3, 45);
    return result;
  }

  /// `next` in the lanes of `mask`; the other lanes' streams do not move.
  CURVELAB_LANE_INLINE U64 next_where(const I64& mask) {
    Generators moved = *this;
    const U64 result = moved.next();
    s0 = select(mask, moved.s0, s0);
    s1 = select(mask, moved.s1, s1);
    s2 = select(mask, moved.s2, s2);
    s3 = select(mask, moved.s3, s3);
    return result;
  }

  /// `Rng::uniform` in every lane.
  CURVELAB_LANE_INLINE F64 uniform() { return to_double53(next() >> 11U) * F64(0x1.0p-53); }

  /// `Rng::below(n)` in the lanes of `mask` (n in [1, 2^32)); other lanes give garbage
  /// and keep their streams. The rare rejection (probability n / 2^32) runs lane by lane.
  CURVELAB_LANE_INLINE U64 below_where(const I64& mask, const U64& n);

  /// `Rng::normal()` in every lane; the ~1.2% of draws outside the ziggurat's
  /// rectangles finish lane by lane in `Rng` itself.
  CURVELAB_LANE_INLINE F64 normal();

 private:
  CURVELAB_LANE_INLINE void put(int lane, const std::uint64_t state[4]) {
    s0.set(lane, state[0]);
    s1.set(lane, state[1]);
    s2.set(lane, state[2]);
    s3.set(lane, state[3]);
  }

  // The rare paths, lane by lane and out of line, on copies passed by value: the hot
  // path's vectors then never need an address and stay in registers.
  struct Finished;
  [[gnu::noinline]] static Finished finish_below(Generators g, I64 maybe_reject, U64 m, U64 n, U64 result);
  [[gnu::noinline]] static Finished finish_normal(Generators g, I64 inside, U64 layer, F64 u, F64 z);
};

struct Generators::Finished {
  Generators generators;
  U64 lanes;  // the draws' bits
};

CURVELAB_LANE_INLINE U64 Generators::below_where(const I64& mask, const U64& n) {
  const U64 m = (next_where(mask) >> 32U) * n;
  const I64 low = as_i64(m & U64(0xFFFFFFFFULL));
  U64 result = m >> 32U;
  const I64 maybe_reject = mask & (low < as_i64(n));
  if (any(maybe_reject)) {
    const Finished finished = finish_below(*this, maybe_reject, m, n, result);
    *this = finished.generators;
    result = bits_as<NativeU>(finished.lanes);
  }
  return result;
}

CURVELAB_LANE_INLINE F64 Generators::normal() {
  const U64 bits = next();
  const F64 u = F64(2.0) * (to_double53(bits >> 11U) * F64(0x1.0p-53)) - F64(1.0);
  const U64 layer = bits & U64(0x7FU);
  const F64 ratio = gather(kZiggurat.ratio.data(), layer);
  const F64 edge = gather(kZiggurat.x.data(), layer);
  const I64 inside = (u < ratio) & (u > -ratio);
  F64 z = u * edge;
  if (any(~inside)) {
    const Finished finished = finish_normal(*this, inside, layer, u, z);
    *this = finished.generators;
    z = bits_as<NativeF>(finished.lanes);
  }
  return z;
}

Generators::Finished Generators::finish_below(Generators g, I64 maybe_reject, U64 m, U64 n, U64 result) {
  for (int i = 0; i < kLanes; ++i) {
    if (maybe_reject[i] != 0) {
      std::uint64_t state[4] = {g.s0[i], g.s1[i], g.s2[i], g.s3[i]};
      result.set(i, lanes_finish_below(state, m[i], static_cast<std::uint32_t>(n[i])));
      g.put(i, state);
    }
  }
  return {g, result};
}

Generators::Finished Generators::finish_normal(Generators g, I64 inside, U64 layer, F64 u, F64 z) {
  for (int i = 0; i < kLanes; ++i) {
    if (inside[i] == 0) {
      std::uint64_t state[4] = {g.s0[i], g.s1[i], g.s2[i], g.s3[i]};
      z.set(i, lanes_finish_normal(state, static_cast<unsigned>(layer[i]), u[i]));
      g.put(i, state);
    }
  }
  return {g, bits_as<NativeU>(z)};
}

#undef CURVELAB_EACH

}  // namespace curvelab::CURVELAB_LANES
