#ifndef CSCANKERNELS_WA_HEADER_CACHE_H
#define CSCANKERNELS_WA_HEADER_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/// The byte template of the last WhatsApp header read in full (see `WAHeaderCache` in ChatParsers): a line whose
/// first `length` bytes equal it, except at the time's digits, which must give a valid time, has the same header.
typedef struct {
    /// The header's first 32 bytes with the free bytes zeroed, and 0xFF on bytes that must be equal.
    uint64_t word[4];
    uint64_t exact[4];
    /// Header length in bytes (0: nothing cached); offsets of the hour (1 or 2 digits), minute and second (-1: none).
    int32_t length, hour_at, hour_digits, minute_at, second_at;
} cs_wa_cache;

/// Bytes a cache compare reads from the line start.
#define CS_WA_CACHE_SPAN 32

/// True when the line at p[start] (content ends at `ce`, the buffer holds `count` bytes) has the cached header and
/// goes on past it; the time's hour, minute and second (0 when the template has none) go to `hms`.
static inline int cs_wa_cache_match(const cs_wa_cache *c, const uint8_t *p, size_t start, size_t ce, size_t count,
                                    int32_t hms[3]) {
    if (c->length <= 0 || start + (size_t)c->length >= ce || start + CS_WA_CACHE_SPAN > count) return 0;
    const uint8_t *q = p + start;
    uint64_t x[4];
    memcpy(x, q, sizeof x);
    if ((((x[0] & c->exact[0]) ^ c->word[0]) | ((x[1] & c->exact[1]) ^ c->word[1]) |
         ((x[2] & c->exact[2]) ^ c->word[2]) | ((x[3] & c->exact[3]) ^ c->word[3])) != 0) return 0;
    uint8_t h0 = (uint8_t)(q[c->hour_at] - '0'), m0 = (uint8_t)(q[c->minute_at] - '0'),
            m1 = (uint8_t)(q[c->minute_at + 1] - '0');
    if (h0 >= 10 || m0 >= 6 || m1 >= 10) return 0;
    int32_t hour = h0;
    if (c->hour_digits == 2) {
        uint8_t h1 = (uint8_t)(q[c->hour_at + 1] - '0');
        if (h1 >= 10) return 0;
        hour = hour * 10 + h1;
        if (hour > 23) return 0;
    }
    int32_t second = 0;
    if (c->second_at >= 0) {
        uint8_t s0 = (uint8_t)(q[c->second_at] - '0'), s1 = (uint8_t)(q[c->second_at + 1] - '0');
        if (s0 >= 6 || s1 >= 10) return 0;
        second = s0 * 10 + s1;
    }
    hms[0] = hour; hms[1] = m0 * 10 + m1; hms[2] = second;
    return 1;
}

/// Walks the lines from `start` (a line start; lines end at `terminator`, a CR before it is not content) while each
/// has the cached header; adds their number to *matched and returns the start of the first line that does not (or
/// `count` when the buffer ends). The analysis pass's inner loop: a run of messages of the same day.
size_t cs_wa_cached_run(const cs_wa_cache *c, const uint8_t *p, size_t count, size_t start, uint8_t terminator,
                        size_t *matched);

#endif
