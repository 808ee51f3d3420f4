// Skeleton writers for the prefilter (see SkeletonKind in ScanEngine): map, delete and squeeze message texts.
// The scalar loop is the definition; the AVX-512 VBMI2 loop and the 32-byte AVX2 loop must give the same bytes
// (a differential test runs every loop the processor has).
#include "scan_kernels.h"
#include "cpu_features.h"

#include <pthread.h>
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

/// One skeleton being written from a gathered buffer: output, its length, last byte kept, bounds; `folded` (the
/// first stream's only, may be NULL) gets 1 at each text holding KELVIN SIGN or LONG S (see `cs_skeleton_gathered`).
typedef struct {
    const uint8_t *table;
    uint8_t *out;
    size_t o;
    uint8_t prev;
    int64_t *starts, *ends;
    uint8_t *folded;
} skel_stream;

/// Scalar skeleton of g[from ..< to] (a character crossing `to` is finished) for each stream; `*sep` is the index
/// of the next separator (`g_ends`). Returns where it stopped.
static size_t skel_gathered_scalar_range(const uint8_t *g, size_t g_len, size_t from, size_t to, const int64_t *g_ends,
                                         size_t count, size_t *sep, skel_stream *st, size_t kinds) {
    size_t i = from, s = *sep;
    while (i < to) {
        if (s < count && i == (size_t)g_ends[s]) {
            for (size_t j = 0; j < kinds; j++) {
                st[j].ends[s] = (int64_t)st[j].o;
                st[j].out[st[j].o++] = 0x0A;
                if (s + 1 < count) st[j].starts[s + 1] = (int64_t)st[j].o;
                st[j].prev = 0x0A;
            }
            s++;
            i++;
            continue;
        }
        size_t next = i;
        for (size_t j = 0; j < kinds; j++) {
            next = i;
            uint8_t c = skel_next(g, g_len, &next, st[j].table);
            // Only KELVIN SIGN and LONG S are read as more than one byte (every other non-ASCII byte is deleted).
            if (j == 0 && next - i > 1 && st[0].folded && s < count) st[0].folded[s] = 1;
            st[j].out[st[j].o] = c;
            int keep = (c != 0) & (c != st[j].prev);
            st[j].o += (size_t)keep;
            st[j].prev = keep ? c : st[j].prev;
        }
        i = next;
    }
    *sep = s;
    return i;
}

static void skel_gathered_begin(size_t count, const uint8_t *const *tables, size_t kinds, uint8_t *const *outs,
                                int64_t *const *out_starts, int64_t *const *out_ends, uint8_t *folded, skel_stream *st) {
    if (folded) memset(folded, 0, count);
    for (size_t j = 0; j < kinds; j++) {
        st[j].table = tables[j]; st[j].out = outs[j]; st[j].starts = out_starts[j]; st[j].ends = out_ends[j];
        st[j].folded = j == 0 ? folded : NULL;
        st[j].out[0] = 0x0A;
        st[j].o = 1;
        st[j].prev = 0x0A;
        if (count > 0) st[j].starts[0] = 1;
    }
}

void cs_skeleton_gathered_scalar(const uint8_t *g, size_t g_len, const int64_t *g_ends, size_t count,
                                 const uint8_t *const *tables, size_t kinds, uint8_t *const *outs,
                                 int64_t *const *out_starts, int64_t *const *out_ends, size_t *used,
                                 uint8_t *folded) {
    skel_stream st[2];
    if (kinds > 2) kinds = 2;
    skel_gathered_begin(count, tables, kinds, outs, out_starts, out_ends, folded, st);
    size_t sep = 0;
    if (g_len > 1) skel_gathered_scalar_range(g, g_len, 1, g_len, g_ends, count, &sep, st, kinds);
    for (size_t j = 0; j < kinds; j++) used[j] = st[j].o;
}

#if CS_HAVE_X86
#define CS_TARGET __attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2,bmi2,popcnt")))

/// The vector loops' test for a block that must go through the scalar loop, on its byte masks (bit i = byte i of a
/// `width`-byte block): KELVIN SIGN (E2 84 AA) or LONG S (C5 BF) inside it, or an E2 in its last two bytes or a C5 in
/// its last byte, whose rest may be in the next block. Other non-ASCII bytes are deleted by the table.
static inline int folding_in_masks(uint64_t e2, uint64_t c5, uint64_t b84, uint64_t baa, uint64_t bbf, unsigned width) {
    const uint64_t tail1 = (uint64_t)1 << (width - 1), tail2 = tail1 | (tail1 >> 1);
    return ((e2 & (b84 >> 1) & (baa >> 2)) | (c5 & (bbf >> 1)) | (e2 & tail2) | (c5 & tail1)) != 0;
}

/// True when the block `v` (bytes in `m`) holds E2 84 AA or C5 BF, or E2 / C5 in its last two / last byte.
CS_TARGET static inline int folding_possible(__m512i v, __mmask64 m) {
    __mmask64 e2 = _mm512_mask_cmpeq_epi8_mask(m, v, _mm512_set1_epi8((char)0xE2));
    __mmask64 c5 = _mm512_mask_cmpeq_epi8_mask(m, v, _mm512_set1_epi8((char)0xC5));
    if ((e2 | c5) == 0) return 0;
    __mmask64 b84 = _mm512_mask_cmpeq_epi8_mask(m, v, _mm512_set1_epi8((char)0x84));
    __mmask64 baa = _mm512_mask_cmpeq_epi8_mask(m, v, _mm512_set1_epi8((char)0xAA));
    __mmask64 bbf = _mm512_mask_cmpeq_epi8_mask(m, v, _mm512_set1_epi8((char)0xBF));
    return folding_in_masks(e2, c5, b84, baa, bbf, 64);
}

/// The 64-byte loop of `cs_skeleton_gathered`: blocks run across text edges; separators come from `g_ends`.
CS_TARGET static void skel_gathered_vec(const uint8_t *g, size_t g_len, const int64_t *g_ends, size_t count,
                                        skel_stream *st, size_t kinds) {
    const __m512i nl = _mm512_set1_epi8(0x0A);
    const __m512i idx = _mm512_set_epi8(
        126, 125, 124, 123, 122, 121, 120, 119, 118, 117, 116, 115, 114, 113, 112, 111,
        110, 109, 108, 107, 106, 105, 104, 103, 102, 101, 100, 99, 98, 97, 96, 95,
        94, 93, 92, 91, 90, 89, 88, 87, 86, 85, 84, 83, 82, 81, 80, 79,
        78, 77, 76, 75, 74, 73, 72, 71, 70, 69, 68, 67, 66, 65, 64, 0);
    __m512i tlo[2], thi[2];
    for (size_t j = 0; j < kinds; j++) {
        tlo[j] = _mm512_loadu_si512((const void *)st[j].table);
        thi[j] = _mm512_loadu_si512((const void *)(st[j].table + 64));
    }
    size_t b = 1, s = 0;
    while (b < g_len) {
        size_t left = g_len - b;
        __mmask64 m = left >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << left) - 1);
        __m512i v = _mm512_maskz_loadu_epi8(m, g + b);
        __mmask64 high = _mm512_movepi8_mask(v) & m;
        // Scalar only where KELVIN SIGN (E2 84 AA) or LONG S (C5 BF) may be: such a sequence in the block, or a
        // lead byte too close to the block's end to see the rest. Other non-ASCII bytes are deleted by the table.
        if (high && folding_possible(v, m)) {
            b = skel_gathered_scalar_range(g, g_len, b, b + (left >= 64 ? 64 : left), g_ends, count, &s, st, kinds);
            continue;
        }
        __mmask64 sep = 0;
        size_t s0 = s;
        while (s < count && (size_t)g_ends[s] < b + 64) { sep |= (__mmask64)1 << ((size_t)g_ends[s] - b); s++; }
        for (size_t j = 0; j < kinds; j++) {
            skel_stream *t = &st[j];
            __m512i c = _mm512_maskz_mov_epi8(m & ~high, _mm512_permutex2var_epi8(tlo[j], v, thi[j]));
            c = _mm512_mask_mov_epi8(c, sep, nl);
            __mmask64 nz = _mm512_test_epi8_mask(c, c);
            if (nz == 0) continue;
            __m512i comp = _mm512_maskz_compress_epi8(nz, c);
            unsigned k = (unsigned)_mm_popcnt_u64(nz);
            __m512i shifted = _mm512_permutex2var_epi8(_mm512_set1_epi8((char)t->prev), idx, comp);
            __mmask64 valid = k == 64 ? ~(__mmask64)0 : (((__mmask64)1 << k) - 1);
            __mmask64 keep = valid & (_mm512_mask_cmpneq_epi8_mask(valid, comp, shifted)
                                      | _mm512_mask_cmpeq_epi8_mask(valid, comp, nl));
            _mm512_storeu_si512((void *)(t->out + t->o), _mm512_maskz_compress_epi8(keep, comp));
            // Output offsets of this block's separators (always kept): kept bytes before them.
            __mmask64 rest = sep;
            size_t k_sep = s0;
            while (rest) {
                unsigned pos = (unsigned)__builtin_ctzll(rest);
                unsigned ci = (unsigned)_mm_popcnt_u64(nz & ((((__mmask64)1) << pos) - 1));
                size_t at = t->o + (size_t)_mm_popcnt_u64(keep & ((((__mmask64)1) << ci) - 1));
                t->ends[k_sep] = (int64_t)at;
                if (k_sep + 1 < count) t->starts[k_sep + 1] = (int64_t)at + 1;
                k_sep++;
                rest &= rest - 1;
            }
            t->o += (size_t)_mm_popcnt_u64(keep);
            __m512i last = _mm512_permutexvar_epi8(_mm512_set1_epi8((char)(k - 1)), comp);
            t->prev = (uint8_t)_mm_cvtsi128_si32(_mm512_castsi512_si128(last));
        }
        b += left >= 64 ? 64 : left;
    }
}

/// Shuffle controls that move the bytes selected by an 8-bit mask to the front of an 8-byte group (built once).
static uint64_t cs_compact8[256];

static int cs_vector_level = -1;
static pthread_once_t cs_skeleton_once = PTHREAD_ONCE_INIT;

/// Picks the loop for this processor and fills `cs_compact8`; run once (`pthread_once`) before either is read.
static void skeleton_setup(void) {
    __builtin_cpu_init();
    int v512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512vbmi2");
    cs_vector_level = v512 ? 2 : (cs_cpu_has_avx2() ? 1 : 0);
    for (int m = 0; m < 256; m++) {
        uint64_t v = 0;
        int k = 0;
        for (int i = 0; i < 8; i++) if (m & (1 << i)) v |= (uint64_t)i << (8 * k++);
        cs_compact8[m] = v;
    }
}

/// Appends the bytes of `c` whose bit is set in `keep` (16 bits) to `out` at `o`, eight at a time through a shuffle
/// control (each store writes 8 bytes; the caller's slack covers the bytes past the kept ones); returns the new length.
CS_AVX2 static inline size_t compact16(uint8_t *out, size_t o, uint8_t *twin, size_t to, __m128i c, uint32_t keep) {
    uint32_t lo = keep & 0xFF, hi = (keep >> 8) & 0xFF;
    __m128i ctl_lo = _mm_loadl_epi64((const __m128i *)&cs_compact8[lo]);
    __m128i ctl_hi = _mm_add_epi8(_mm_loadl_epi64((const __m128i *)&cs_compact8[hi]), _mm_set1_epi8(8));
    __m128i a = _mm_shuffle_epi8(c, ctl_lo), z = _mm_shuffle_epi8(c, ctl_hi);
    size_t n = (size_t)__builtin_popcount(lo);
    _mm_storel_epi64((__m128i *)(out + o), a);
    _mm_storel_epi64((__m128i *)(out + o + n), z);
    if (twin) {
        _mm_storel_epi64((__m128i *)(twin + to), a);
        _mm_storel_epi64((__m128i *)(twin + to + n), z);
    }
    return o + n + (size_t)__builtin_popcount(hi);
}

/// Block of `skel_gathered_avx2`: kind `t`'s output for the 32 mapped bytes `c` (0 = deleted, `\n` at the
/// separators in `sep`) appended and squeezed; separator bounds stored from `s0`. `*pv` holds the last kept byte
/// before the block in every byte and is updated; only a blend and two shuffles depend on it, so blocks overlap.
/// `twin` (or NULL): a second stream in the same state as `t` whose output for this block is the same; it gets the
/// same bytes and separator bounds at its own offsets.
CS_AVX2 static inline void skel_block32(skel_stream *t, __m256i *pv, __m256i c, uint32_t sep, size_t s0,
                                               size_t count, skel_stream *twin) {
    const __m256i zero = _mm256_setzero_si256();
    // Last non-zero byte at or before each position within the block (zero where none): fill zeros from the left,
    // shifting across the two 16-byte lanes (`y` is the block moved up one lane).
    __m256i x = c, y;
    y = _mm256_permute2x128_si256(x, x, 0x08);
    x = _mm256_blendv_epi8(x, _mm256_alignr_epi8(x, y, 15), _mm256_cmpeq_epi8(x, zero));
    y = _mm256_permute2x128_si256(x, x, 0x08);
    x = _mm256_blendv_epi8(x, _mm256_alignr_epi8(x, y, 14), _mm256_cmpeq_epi8(x, zero));
    y = _mm256_permute2x128_si256(x, x, 0x08);
    x = _mm256_blendv_epi8(x, _mm256_alignr_epi8(x, y, 12), _mm256_cmpeq_epi8(x, zero));
    y = _mm256_permute2x128_si256(x, x, 0x08);
    x = _mm256_blendv_epi8(x, _mm256_alignr_epi8(x, y, 8), _mm256_cmpeq_epi8(x, zero));
    y = _mm256_permute2x128_si256(x, x, 0x08);
    x = _mm256_blendv_epi8(x, y, _mm256_cmpeq_epi8(x, zero));
    // Positions with no non-zero byte before them in the block take the last kept byte of earlier blocks.
    __m256i p = *pv;
    x = _mm256_blendv_epi8(x, p, _mm256_cmpeq_epi8(x, zero));
    // `before`: the last kept byte before each position (x moved up one byte, `prev` in front); a byte equal to it
    // is squeezed. The block's own last kept byte (x's byte 31) becomes `prev` of the next block.
    __m256i before = _mm256_alignr_epi8(x, _mm256_permute2x128_si256(x, p, 0x02), 15);
    *pv = _mm256_shuffle_epi8(_mm256_permute2x128_si256(x, x, 0x11), _mm256_set1_epi8(15));
    uint32_t nz = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(c, zero));
    uint32_t same = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(c, before));
    uint32_t keep = nz & (~same | sep);
    size_t o = t->o, to = twin ? twin->o : 0;
    // Output offsets of this block's separators (always kept): kept bytes before them.
    for (uint32_t rest = sep; rest; rest &= rest - 1) {
        unsigned pos = (unsigned)__builtin_ctz(rest);
        size_t before_sep = (size_t)__builtin_popcount(keep & ((1u << pos) - 1));
        t->ends[s0] = (int64_t)(o + before_sep);
        if (s0 + 1 < count) t->starts[s0 + 1] = (int64_t)(o + before_sep) + 1;
        if (twin) {
            twin->ends[s0] = (int64_t)(to + before_sep);
            if (s0 + 1 < count) twin->starts[s0 + 1] = (int64_t)(to + before_sep) + 1;
        }
        s0++;
    }
    uint8_t *twin_out = twin ? twin->out : NULL;
    size_t mid = compact16(t->out, o, twin_out, to, _mm256_castsi256_si128(c), keep & 0xFFFF);
    t->o = compact16(t->out, mid, twin_out, to + (mid - o), _mm256_extracti128_si256(c, 1), keep >> 16);
    if (twin) twin->o = to + (t->o - o);
}

/// Nibble tables for the bytes below 0x80 that stream 1's table deletes and stream 0's keeps, when that is the only
/// way the two tables differ (the plain skeleton is the leet one without `@ $ ! | +`): byte v is such a byte when
/// `lo[v & 15] & hi[v >> 4]` is non-zero. Returns 0 when the tables differ otherwise.
static int skel_deleted_subset(const uint8_t *t0, const uint8_t *t1, uint8_t lo[16], uint8_t hi[16]) {
    memset(lo, 0, 16);
    memset(hi, 0, 16);
    for (int h = 0; h < 8; h++) hi[h] = (uint8_t)(1u << h);
    for (int v = 0; v < 128; v++) {
        if (t0[v] == t1[v]) continue;
        if (t1[v] != 0) return 0;
        lo[v & 15] |= (uint8_t)(1u << (v >> 4));
    }
    return 1;
}

/// The loop of `skel_gathered_avx2` for `kinds` streams (`derived`: stream 1's table is stream 0's with the bytes of
/// `dlo`/`dhi` deleted); inlined once per combination so that each loop keeps only its own constants in registers.
CS_AVX2 static inline __attribute__((always_inline)) void skel_avx2_loop(
    const uint8_t *g, size_t g_len, const int64_t *g_ends, size_t count, skel_stream *st, const size_t kinds,
    const int derived, const __m256i (*diff)[8], const __m256i dlo, const __m256i dhi) {
    const __m256i sixteen = _mm256_set1_epi8(16), nl = _mm256_set1_epi8(0x0A), zero = _mm256_setzero_si256();
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    const __m256i bits = _mm256_setr_epi8(1, 2, 4, 8, 16, 32, 64, (char)128, 1, 2, 4, 8, 16, 32, 64, (char)128,
                                          1, 2, 4, 8, 16, 32, 64, (char)128, 1, 2, 4, 8, 16, 32, 64, (char)128);
    const __m256i spread = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
                                            2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
    // Each kind's last kept byte in every byte (written back to `st[j].prev` around scalar blocks).
    __m256i pv[2] = {_mm256_set1_epi8((char)st[0].prev), _mm256_set1_epi8((char)st[kinds > 1].prev)};
    // Derived streams with the same last kept byte (then a block without deleted-only bytes is the same in both).
    int same_state = derived && st[0].prev == st[1].prev;
    size_t b = 1, s = 0;
    while (b + 32 <= g_len) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(g + b));
        uint32_t high = (uint32_t)_mm256_movemask_epi8(v);
        if (high) {
            // Scalar only where KELVIN SIGN (E2 84 AA) or LONG S (C5 BF) may be (`folding_in_masks`).
            uint32_t e2 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)0xE2)));
            uint32_t c5 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)0xC5)));
            if (e2 | c5) {
                uint32_t b84 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)0x84)));
                uint32_t baa = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)0xAA)));
                uint32_t bbf = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)0xBF)));
                if (folding_in_masks(e2, c5, b84, baa, bbf, 32)) {
                    for (size_t j = 0; j < kinds; j++) st[j].prev = (uint8_t)_mm256_extract_epi8(pv[j], 0);
                    b = skel_gathered_scalar_range(g, g_len, b, b + 32, g_ends, count, &s, st, kinds);
                    for (size_t j = 0; j < kinds; j++) pv[j] = _mm256_set1_epi8((char)st[j].prev);
                    same_state = derived && st[0].prev == st[1].prev;
                    continue;
                }
            }
        }
        uint32_t sep = 0;
        size_t s0 = s;
        while (s < count && (size_t)g_ends[s] < b + 32) { sep |= 1u << ((size_t)g_ends[s] - b); s++; }
        // Separator bytes as a vector mask: each byte tests its own bit of `sep`.
        __m256i sepv = _mm256_cmpeq_epi8(_mm256_and_si256(_mm256_shuffle_epi8(_mm256_set1_epi32((int)sep), spread), bits),
                                         bits);
        // pshufb gives 0 where the index has its top bit set: v - 16k reads row k's difference for bytes of row k
        // or above, so the XOR over k is the table's entry; bytes of 0x80 and above are cleared after.
        __m256i idx = v;
        __m256i c0 = _mm256_shuffle_epi8(diff[0][0], idx);
        __m256i c1 = kinds > 1 && !derived ? _mm256_shuffle_epi8(diff[1][0], idx) : c0;
        for (int h = 1; h < 8; h++) {
            idx = _mm256_sub_epi8(idx, sixteen);
            c0 = _mm256_xor_si256(c0, _mm256_shuffle_epi8(diff[0][h], idx));
            if (kinds > 1 && !derived) c1 = _mm256_xor_si256(c1, _mm256_shuffle_epi8(diff[1][h], idx));
        }
        __m256i ascii = _mm256_cmpgt_epi8(v, _mm256_set1_epi8(-1));
        c0 = _mm256_blendv_epi8(_mm256_and_si256(c0, ascii), nl, sepv);
        if (derived) {
            // Bytes stream 1 deletes and stream 0 keeps (none at or above 0x80: `hi_tab` is 0 there).
            __m256i only0 = _mm256_and_si256(_mm256_shuffle_epi8(dlo, _mm256_and_si256(v, low4)),
                                             _mm256_shuffle_epi8(dhi, _mm256_and_si256(_mm256_srli_epi16(v, 4), low4)));
            if (same_state && _mm256_testz_si256(only0, only0)) {
                skel_block32(&st[0], &pv[0], c0, sep, s0, count, &st[1]);
                pv[1] = pv[0];
            } else {
                skel_block32(&st[0], &pv[0], c0, sep, s0, count, NULL);
                c1 = _mm256_and_si256(c0, _mm256_cmpeq_epi8(only0, zero));
                skel_block32(&st[1], &pv[1], c1, sep, s0, count, NULL);
                same_state = _mm256_movemask_epi8(_mm256_cmpeq_epi8(pv[0], pv[1])) == -1;
            }
        } else {
            skel_block32(&st[0], &pv[0], c0, sep, s0, count, NULL);
            if (kinds > 1) {
                c1 = _mm256_blendv_epi8(_mm256_and_si256(c1, ascii), nl, sepv);
                skel_block32(&st[1], &pv[1], c1, sep, s0, count, NULL);
            }
        }
        b += 32;
    }
    for (size_t j = 0; j < kinds; j++) st[j].prev = (uint8_t)_mm256_extract_epi8(pv[j], 0);
    if (b < g_len) skel_gathered_scalar_range(g, g_len, b, g_len, g_ends, count, &s, st, kinds);
}

/// The 32-byte loop of `cs_skeleton_gathered` for processors with AVX2 but not AVX-512 VBMI2: the table lookup is
/// eight `pshufb`s of difference tables, squeezing compares each byte with the last kept byte before it, and
/// compaction uses a shuffle control per 8 bytes.
/// With two streams whose tables differ only in bytes the second deletes (leet, then plain), the second stream's
/// mapped bytes are the first's with those bytes cleared; while both streams have the same last kept byte, a block
/// without such bytes gives both the same output, which is computed once and stored twice.
CS_AVX2 static void skel_gathered_avx2(const uint8_t *g, size_t g_len, const int64_t *g_ends, size_t count,
                                              skel_stream *st, size_t kinds) {
    // Difference tables: XOR of D[0..h] at low nibble l is table[16h + l] (see the lookup below).
    __m256i diff[2][8];
    for (size_t j = 0; j < kinds; j++) {
        for (int h = 0; h < 8; h++) {
            __m128i row = _mm_loadu_si128((const __m128i *)(st[j].table + 16 * h));
            __m128i below = h ? _mm_loadu_si128((const __m128i *)(st[j].table + 16 * (h - 1))) : _mm_setzero_si128();
            diff[j][h] = _mm256_broadcastsi128_si256(_mm_xor_si128(row, below));
        }
    }
    uint8_t lo_tab[16], hi_tab[16];
    const __m256i none = _mm256_setzero_si256();
    if (kinds > 1 && skel_deleted_subset(st[0].table, st[1].table, lo_tab, hi_tab)) {
        const __m256i dlo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)lo_tab));
        const __m256i dhi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)hi_tab));
        skel_avx2_loop(g, g_len, g_ends, count, st, 2, 1, (const __m256i (*)[8])diff, dlo, dhi);
    } else if (kinds > 1) {
        skel_avx2_loop(g, g_len, g_ends, count, st, 2, 0, (const __m256i (*)[8])diff, none, none);
    } else {
        skel_avx2_loop(g, g_len, g_ends, count, st, 1, 0, (const __m256i (*)[8])diff, none, none);
    }
}

int cs_skeleton_vectorised(void) {
    pthread_once(&cs_skeleton_once, skeleton_setup);
    return cs_vector_level;
}
#else
int cs_skeleton_vectorised(void) { return 0; }
#endif

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

int cs_skeleton_gathered_level(int level, const uint8_t *g, size_t g_len, const int64_t *g_ends, size_t count,
                               const uint8_t *const *tables, size_t kinds, uint8_t *const *outs,
                               int64_t *const *out_starts, int64_t *const *out_ends, size_t *used,
                               uint8_t *folded) {
    if (level < 0 || level > cs_skeleton_vectorised()) return 0;
    if (level == 0) {
        cs_skeleton_gathered_scalar(g, g_len, g_ends, count, tables, kinds, outs, out_starts, out_ends, used, folded);
        return 1;
    }
#if CS_HAVE_X86
    skel_stream st[2];
    if (kinds > 2) kinds = 2;
    skel_gathered_begin(count, tables, kinds, outs, out_starts, out_ends, folded, st);
    if (g_len > 1) {
        if (level == 2) skel_gathered_vec(g, g_len, g_ends, count, st, kinds);
        else skel_gathered_avx2(g, g_len, g_ends, count, st, kinds);
    }
    for (size_t j = 0; j < kinds; j++) used[j] = st[j].o;
    return 1;
#else
    return 0;
#endif
}

void cs_skeleton_gathered(const uint8_t *g, size_t g_len, const int64_t *g_ends, size_t count,
                          const uint8_t *const *tables, size_t kinds, uint8_t *const *outs,
                          int64_t *const *out_starts, int64_t *const *out_ends, size_t *used,
                          uint8_t *folded) {
    cs_skeleton_gathered_level(cs_skeleton_vectorised(), g, g_len, g_ends, count, tables, kinds, outs, out_starts,
                               out_ends, used, folded);
}
