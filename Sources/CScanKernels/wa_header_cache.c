// The WhatsApp header cache's line walk (see wa_header_cache.h).
#include "wa_header_cache.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define CS_HAVE_SSE2 1
#else
#define CS_HAVE_SSE2 0
#endif

/// Bit j set when p[64 * block + j] == t (bits past `count` are 0).
static inline uint64_t terminator_mask(const uint8_t *p, size_t count, size_t block, uint8_t t) {
    size_t s = block * 64;
    uint64_t m = 0;
#if CS_HAVE_SSE2
    if (s + 64 <= count) {
        __m128i v = _mm_set1_epi8((char)t);
        for (int k = 0; k < 4; k++) {
            __m128i x = _mm_loadu_si128((const __m128i *)(p + s + 16 * k));
            m |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, v)) << (16 * k);
        }
        return m;
    }
#endif
    size_t e = s + 64 < count ? s + 64 : count;
    for (size_t i = s; i < e; i++) if (p[i] == t) m |= (uint64_t)1 << (i - s);
    return m;
}

size_t cs_wa_cached_run(const cs_wa_cache *c, const uint8_t *p, size_t count, size_t start, uint8_t terminator,
                        size_t *matched) {
    size_t i = start, n = 0;
    int32_t hms[3];
    size_t block = SIZE_MAX;
    uint64_t mask = 0;
    while (i < count) {
        // The header compare needs only the line start; find the line end once the header matched.
        if (!cs_wa_cache_match(c, p, i, count, count, hms)) break;
        // The header holds no terminator (its bytes equal a header's, its free bytes are digits).
        size_t from = i + (size_t)c->length, e = count;
        for (size_t b = from / 64; b * 64 < count; b++) {
            if (b != block) { block = b; mask = terminator_mask(p, count, b, terminator); }
            uint64_t m = b * 64 < from ? mask & (~(uint64_t)0 << (from - b * 64)) : mask;
            if (m) { e = b * 64 + (size_t)__builtin_ctzll(m); break; }
        }
        size_t ce = (e > i && p[e - 1] == '\r') ? e - 1 : e;
        if (i + (size_t)c->length >= ce) break;
        n++;
        i = e + 1;
    }
    *matched += n;
    return i < count ? i : count;
}
