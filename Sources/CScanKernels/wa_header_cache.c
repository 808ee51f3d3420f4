// The WhatsApp header cache's line walk (see wa_header_cache.h).
#include "wa_header_cache.h"
#include "text_kernels.h"

size_t cs_wa_cached_run(const cs_wa_cache *c, const uint8_t *p, size_t count, size_t start, uint8_t terminator,
                        size_t *matched) {
    size_t i = start, n = 0;
    int32_t hms[3];
    // Terminator masks of the 64-byte blocks `first ..< first + have`, filled a window of WINDOW blocks at a time
    // (one call per window rather than per block: a run's lines are short and consecutive).
    enum { WINDOW = 16 };
    uint64_t masks[WINDOW];
    size_t first = 0, have = 0;
    while (i < count) {
        // The header compare needs only the line start; find the line end once the header matched.
        if (!cs_wa_cache_match(c, p, i, count, count, hms)) break;
        // The header holds no terminator (its bytes equal a header's, its free bytes are digits).
        size_t from = i + (size_t)c->length, e = count;
        for (size_t b = from / 64; b * 64 < count; b++) {
            if (b < first || b >= first + have) {
                first = b;
                size_t len = count - b * 64 < 64 * WINDOW ? count - b * 64 : 64 * WINDOW;
                cs_byte_masks(p + b * 64, len, terminator, masks);
                have = (len + 63) / 64;
            }
            uint64_t mask = masks[b - first];
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
