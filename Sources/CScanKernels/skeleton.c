// Skeleton writers for the prefilter (see SkeletonKind in ScanEngine): map, delete and squeeze message texts.
// The scalar loop is the definition; the AVX-512 VBMI2 loop must give the same bytes (a differential test checks).
#include "scan_kernels.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CS_HAVE_X86 1
#else
#define CS_HAVE_X86 0
#endif

/// One output byte for the character at src[*i] (advancing *i past it); 0 when the character is deleted.
static inline uint8_t skel_next(const uint8_t *src, size_t n, size_t *i, const uint8_t *table) {
    size_t k = *i;
    uint8_t b = src[k];
    if (b < 0x80) { *i = k + 1; return table[b]; }
    if (b == 0xE2 && k + 2 < n && src[k + 1] == 0x84 && src[k + 2] == 0xAA) { *i = k + 3; return 0x6B; }
    if (b == 0xC5 && k + 1 < n && src[k + 1] == 0xBF) { *i = k + 2; return 0x73; }
    *i = k + 1;
    return 0;
}

/// Scalar skeleton of src[from ..< to] within a text of n bytes; returns where it stopped (>= to, at most to + 2
/// when a character crosses `to`). `prev` is the last byte kept.
static inline size_t skel_scalar(const uint8_t *src, size_t n, size_t from, size_t to, const uint8_t *table,
                                 uint8_t *out, size_t *o, uint8_t *prev) {
    size_t i = from, w = *o;
    uint8_t p = *prev;
    while (i < to) {
        uint8_t c = skel_next(src, n, &i, table);
        out[w] = c;
        int keep = (c != 0) & (c != p);
        w += (size_t)keep;
        p = keep ? c : p;
    }
    *o = w;
    *prev = p;
    return i;
}

size_t cs_skeleton_texts_scalar(const uint8_t *src, const int64_t *starts, const int64_t *ends, size_t count,
                                const uint8_t *table, uint8_t *out, int64_t *out_starts, int64_t *out_ends) {
    size_t o = 0;
    out[o++] = 0x0A;
    for (size_t k = 0; k < count; k++) {
        const uint8_t *s = src + starts[k];
        size_t n = (size_t)(ends[k] - starts[k]);
        uint8_t prev = 0x0A;
        out_starts[k] = (int64_t)o;
        skel_scalar(s, n, 0, n, table, out, &o, &prev);
        out_ends[k] = (int64_t)o;
        out[o++] = 0x0A;
    }
    return o;
}

#if CS_HAVE_X86
#define CS_TARGET __attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2,bmi2,popcnt")))

/// Skeleton of one 64-byte (or shorter, `m` masked) ASCII-or-plain block `v`, appended at out + *o.
CS_TARGET static inline void skel_block(__m512i v, __mmask64 m, __mmask64 high, __m512i tlo, __m512i thi,
                                        uint8_t *out, size_t *o, uint8_t *prev) {
    // 7-bit table lookup; non-ASCII bytes and bytes past the text become 0 (deleted).
    __m512i c = _mm512_maskz_mov_epi8(m & ~high, _mm512_permutex2var_epi8(tlo, v, thi));
    __mmask64 nz = _mm512_test_epi8_mask(c, c);
    if (nz == 0) return;
    __m512i comp = _mm512_maskz_compress_epi8(nz, c);
    unsigned k = (unsigned)_mm_popcnt_u64(nz);
    // Each kept byte against the one before it (the previous block's last kept byte for the first).
    const __m512i idx = _mm512_set_epi8(
        126, 125, 124, 123, 122, 121, 120, 119, 118, 117, 116, 115, 114, 113, 112, 111,
        110, 109, 108, 107, 106, 105, 104, 103, 102, 101, 100, 99, 98, 97, 96, 95,
        94, 93, 92, 91, 90, 89, 88, 87, 86, 85, 84, 83, 82, 81, 80, 79,
        78, 77, 76, 75, 74, 73, 72, 71, 70, 69, 68, 67, 66, 65, 64, 0);
    __m512i shifted = _mm512_permutex2var_epi8(_mm512_set1_epi8((char)*prev), idx, comp);
    __mmask64 valid = k == 64 ? ~(__mmask64)0 : (((__mmask64)1 << k) - 1);
    __mmask64 keep = _mm512_mask_cmpneq_epi8_mask(valid, comp, shifted);
    __m512i squeezed = _mm512_maskz_compress_epi8(keep, comp);
    _mm512_storeu_si512((void *)(out + *o), squeezed);
    *o += (size_t)_mm_popcnt_u64(keep);
    __m512i last = _mm512_permutexvar_epi8(_mm512_set1_epi8((char)(k - 1)), comp);
    *prev = (uint8_t)_mm_cvtsi128_si32(_mm512_castsi512_si128(last));
}

/// Skeleton of one text, 64 bytes at a time; blocks holding E2 or C5 (possible KELVIN SIGN / LONG S) go scalar.
CS_TARGET static inline void skel_text_vec(const uint8_t *s, size_t n, __m512i tlo, __m512i thi, uint8_t *out,
                                           size_t *o, const uint8_t *table) {
    uint8_t prev = 0x0A;
    size_t i = 0;
    const __m512i e2 = _mm512_set1_epi8((char)0xE2), c5 = _mm512_set1_epi8((char)0xC5);
    while (i < n) {
        size_t left = n - i;
        __mmask64 m = left >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << left) - 1);
        __m512i v = _mm512_maskz_loadu_epi8(m, s + i);
        __mmask64 high = _mm512_movepi8_mask(v) & m;
        if (high && (_mm512_mask_cmpeq_epi8_mask(m, v, e2) | _mm512_mask_cmpeq_epi8_mask(m, v, c5))) {
            i = skel_scalar(s, n, i, i + (left >= 64 ? 64 : left), table, out, o, &prev);
            continue;
        }
        skel_block(v, m, high, tlo, thi, out, o, &prev);
        i += left >= 64 ? 64 : left;
    }
}

CS_TARGET static size_t skel_texts_vec(const uint8_t *src, const int64_t *starts, const int64_t *ends, size_t count,
                                       const uint8_t *table, uint8_t *out, int64_t *out_starts, int64_t *out_ends) {
    __m512i tlo = _mm512_loadu_si512((const void *)table), thi = _mm512_loadu_si512((const void *)(table + 64));
    size_t o = 0;
    out[o++] = 0x0A;
    for (size_t k = 0; k < count; k++) {
        out_starts[k] = (int64_t)o;
        skel_text_vec(src + starts[k], (size_t)(ends[k] - starts[k]), tlo, thi, out, &o, table);
        out_ends[k] = (int64_t)o;
        out[o++] = 0x0A;
    }
    return o;
}

static int cs_vector_ok = -1;

int cs_skeleton_vectorised(void) {
    if (cs_vector_ok < 0) {
        __builtin_cpu_init();
        cs_vector_ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512vbmi2");
    }
    return cs_vector_ok;
}
#else
int cs_skeleton_vectorised(void) { return 0; }
#endif

size_t cs_skeleton_texts(const uint8_t *src, const int64_t *starts, const int64_t *ends, size_t count,
                         const uint8_t *table, uint8_t *out, int64_t *out_starts, int64_t *out_ends) {
#if CS_HAVE_X86
    if (cs_skeleton_vectorised()) return skel_texts_vec(src, starts, ends, count, table, out, out_starts, out_ends);
#endif
    return cs_skeleton_texts_scalar(src, starts, ends, count, table, out, out_starts, out_ends);
}

size_t cs_gather_texts(const uint8_t *src, const int64_t *starts, const int64_t *ends, size_t count, uint8_t *out,
                       int64_t *out_starts, int64_t *out_ends) {
    size_t o = 0;
    out[o++] = 0x0A;
    for (size_t k = 0; k < count; k++) {
        size_t n = (size_t)(ends[k] - starts[k]);
        out_starts[k] = (int64_t)o;
        memcpy(out + o, src + starts[k], n);
        o += n;
        out_ends[k] = (int64_t)o;
        out[o++] = 0x0A;
    }
    return o;
}
