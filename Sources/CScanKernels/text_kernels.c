// Line and text kernels for the parsers: where a byte occurs (line terminators), and UTF-8 well-formedness.
// The scalar loops are the definitions; the AVX2 loops must give the same results (differential tests check).
#define _GNU_SOURCE 1   // memmem
#include "text_kernels.h"
#include "cpu_features.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CS_HAVE_X86 1
#else
#define CS_HAVE_X86 0
#endif

void cs_byte_masks_scalar(const uint8_t *p, size_t n, uint8_t byte, uint64_t *masks) {
    size_t words = (n + 63) / 64;
    for (size_t k = 0; k < words; k++) {
        uint64_t m = 0;
        size_t end = (k + 1) * 64 < n ? (k + 1) * 64 : n;
        for (size_t i = k * 64; i < end; i++) {
            if (p[i] == byte) m |= (uint64_t)1 << (i - k * 64);
        }
        masks[k] = m;
    }
}

/// One step of the scalar UTF-8 check at p[i] (a non-ASCII or NUL byte): the next offset, or -1 with *kind set.
static inline ptrdiff_t utf8_step(const uint8_t *p, size_t n, size_t i, int reject_nul, int *kind) {
    uint8_t b = p[i];
    if (b < 0x80) {
        if (b == 0 && reject_nul) { *kind = CS_UTF8_NUL; return -1; }
        return (ptrdiff_t)(i + 1);
    }
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) need = 1;
    else if (b == 0xE0) { need = 2; lo = 0xA0; }
    else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) need = 2;
    else if (b == 0xED) { need = 2; hi = 0x9F; }
    else if (b == 0xF0) { need = 3; lo = 0x90; }
    else if (b >= 0xF1 && b <= 0xF3) need = 3;
    else if (b == 0xF4) { need = 3; hi = 0x8F; }
    else { *kind = CS_UTF8_INVALID; return -1; }
    if (i + need >= n) { *kind = CS_UTF8_TRUNCATED; return -1; }
    uint8_t c1 = p[i + 1];
    if (c1 < lo || c1 > hi) { *kind = CS_UTF8_INVALID; return -1; }
    for (size_t k = 2; k <= need; k++) {
        if ((p[i + k] & 0xC0) != 0x80) { *kind = CS_UTF8_INVALID; return -1; }
    }
    return (ptrdiff_t)(i + need + 1);
}

/// The scalar check from offset `i`, a character start: the offset of the first problem, or -1.
static inline ptrdiff_t utf8_steps_from(const uint8_t *p, size_t n, size_t i, int reject_nul, int *kind) {
    while (i < n) {
        ptrdiff_t next = utf8_step(p, n, i, reject_nul, kind);
        if (next < 0) return (ptrdiff_t)i;
        i = (size_t)next;
    }
    return -1;
}

ptrdiff_t cs_utf8_first_problem_scalar(const uint8_t *p, size_t n, int reject_nul, int *kind) {
    return utf8_steps_from(p, n, 0, reject_nul, kind);
}

#if CS_HAVE_X86
CS_AVX2 static void byte_masks_avx2(const uint8_t *p, size_t n, uint8_t byte, uint64_t *masks) {
    const __m256i needle = _mm256_set1_epi8((char)byte);
    size_t k = 0, i = 0;
    for (; i + 64 <= n; i += 64, k++) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(p + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(p + i + 32));
        uint32_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, needle));
        uint32_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, needle));
        masks[k] = (uint64_t)lo | ((uint64_t)hi << 32);
    }
    if (i < n) {
        uint64_t m = 0;
        for (size_t j = i; j < n; j++) {
            if (p[j] == byte) m |= (uint64_t)1 << (j - i);
        }
        masks[k] = m;
    }
}

/// The scalar check from the first character that may start in the three bytes before `i` (sequences that start
/// earlier end before `i`, and the blocks before `i` were found valid).
static inline ptrdiff_t utf8_scalar_from(const uint8_t *p, size_t n, size_t i, int reject_nul, int *kind) {
    size_t j = i >= 3 ? i - 3 : 0;
    while (j < i && (p[j] & 0xC0) == 0x80) j++;
    return utf8_steps_from(p, n, j, reject_nul, kind);
}

/// The bytes of `v` shifted in from `prev` by `k` (1-3): byte m of the result is the byte k places before byte m.
#define CS_PREV(v, prev, k) _mm256_alignr_epi8((v), _mm256_permute2x128_si256((prev), (v), 0x21), 16 - (k))

/// 32 bytes at a time, with the lookup-table validation of Keiser and Lemire ("Validating UTF-8 in less than one
/// instruction per byte", 2021; as in simdjson): each byte pair is classified by three nibble lookups, and the bytes
/// two and three places after a three- or four-byte lead must be continuations. A block with a problem (or a NUL when
/// rejected, or a sequence cut by the block's end and not continued) hands over to the scalar step, which names the
/// first problem and its kind.
CS_AVX2 static ptrdiff_t utf8_first_problem_avx2(const uint8_t *p, size_t n, int reject_nul, int *kind) {
    enum { TOO_SHORT = 1, TOO_LONG = 2, OVERLONG_3 = 4, TOO_LARGE = 8, SURROGATE = 16, OVERLONG_2 = 32,
           TOO_LARGE_1000 = 64, OVERLONG_4 = 64, TWO_CONTS = 128, CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS };
#define CS_T16(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)
    const __m256i byte_1_high = CS_T16(
        TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
        TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
        TOO_SHORT | OVERLONG_2, TOO_SHORT, TOO_SHORT | OVERLONG_3 | SURROGATE,
        TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
    const __m256i byte_1_low = CS_T16(
        CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY, CARRY | TOO_LARGE,
        CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE, CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000);
    const __m256i byte_2_high = CS_T16(
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT);
#undef CS_T16
    const __m256i nibble = _mm256_set1_epi8(0x0F), top = _mm256_set1_epi8((char)0x80), zero = _mm256_setzero_si256();
    const __m256i third = _mm256_set1_epi8((char)(0xE0 - 0x80)), fourth = _mm256_set1_epi8((char)(0xF0 - 0x80));
    // A lead byte among the last three bytes of a block whose sequence would reach past the block.
    const __m256i max_value = _mm256_setr_epi8(
        (char)255, (char)255, (char)255, (char)255, (char)255, (char)255, (char)255, (char)255,
        (char)255, (char)255, (char)255, (char)255, (char)255, (char)255, (char)255, (char)255,
        (char)255, (char)255, (char)255, (char)255, (char)255, (char)255, (char)255, (char)255,
        (char)255, (char)255, (char)255, (char)255, (char)255, (char)(0xF0 - 1), (char)(0xE0 - 1), (char)(0xC0 - 1));
    __m256i prev = zero, prev_incomplete = zero;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + i));
        if (reject_nul && _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, zero)) != 0) break;
        if (_mm256_movemask_epi8(v) == 0) {
            // All ASCII: valid unless the block before ended inside a sequence.
            if (!_mm256_testz_si256(prev_incomplete, prev_incomplete)) break;
            prev = v;
            continue;
        }
        __m256i prev1 = CS_PREV(v, prev, 1);
        __m256i sc = _mm256_and_si256(
            _mm256_and_si256(_mm256_shuffle_epi8(byte_1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nibble)),
                             _mm256_shuffle_epi8(byte_1_low, _mm256_and_si256(prev1, nibble))),
            _mm256_shuffle_epi8(byte_2_high, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble)));
        __m256i must23 = _mm256_or_si256(_mm256_subs_epu8(CS_PREV(v, prev, 2), third),
                                         _mm256_subs_epu8(CS_PREV(v, prev, 3), fourth));
        __m256i error = _mm256_xor_si256(_mm256_and_si256(must23, top), sc);
        if (!_mm256_testz_si256(error, error)) break;
        prev_incomplete = _mm256_subs_epu8(v, max_value);
        prev = v;
    }
    // From the block with a problem, or the tail after the last whole block.
    return utf8_scalar_from(p, n, i, reject_nul, kind);
}
#undef CS_PREV

/// -1 until the first call works it out; read and written atomically (relaxed): threads that race at the start
/// each work out the same answer.
static int cs_avx2_ok = -1;

int cs_cpu_has_avx2(void) {
    int ok = __atomic_load_n(&cs_avx2_ok, __ATOMIC_RELAXED);
    if (ok < 0) {
        __builtin_cpu_init();
        ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2");
        __atomic_store_n(&cs_avx2_ok, ok, __ATOMIC_RELAXED);
    }
    return ok;
}

void cs_byte_masks(const uint8_t *p, size_t n, uint8_t byte, uint64_t *masks) {
    if (cs_cpu_has_avx2()) byte_masks_avx2(p, n, byte, masks); else cs_byte_masks_scalar(p, n, byte, masks);
}

ptrdiff_t cs_utf8_first_problem(const uint8_t *p, size_t n, int reject_nul, int *kind) {
    return cs_cpu_has_avx2() ? utf8_first_problem_avx2(p, n, reject_nul, kind)
                     : cs_utf8_first_problem_scalar(p, n, reject_nul, kind);
}
#else
int cs_cpu_has_avx2(void) { return 0; }

void cs_byte_masks(const uint8_t *p, size_t n, uint8_t byte, uint64_t *masks) {
    cs_byte_masks_scalar(p, n, byte, masks);
}

ptrdiff_t cs_utf8_first_problem(const uint8_t *p, size_t n, int reject_nul, int *kind) {
    return cs_utf8_first_problem_scalar(p, n, reject_nul, kind);
}
#endif

ptrdiff_t cs_find_bytes(const uint8_t *haystack, size_t n, const uint8_t *needle, size_t m) {
    if (m == 0 || m > n) return -1;
    const uint8_t *hit = memmem(haystack, n, needle, m);
    return hit ? hit - haystack : -1;
}
