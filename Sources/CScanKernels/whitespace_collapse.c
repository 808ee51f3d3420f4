// Whitespace collapsing of the gathered shadow texts (the prefilter scans them with every whitespace run as one space).
#include "ascii_shadow.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#define CS_SHADOW_SSE2 1
#else
#define CS_SHADOW_SSE2 0
#endif

size_t cs_collapse_whitespace_texts(uint8_t *buf, size_t buf_len, int64_t *starts, int64_t *ends, size_t count) {
    if (count == 0) return buf_len;
    size_t w = (size_t)starts[0];
    for (size_t k = 0; k < count; k++) {
        size_t i = (size_t)starts[k], e = (size_t)ends[k];
        starts[k] = (int64_t)w;
        unsigned in_run = 0;
        while (i < e) {
#if CS_SHADOW_SSE2
            // Blocks of 16 with nothing to change (no whitespace byte after another, every one a space) are copied
            // whole (not at all while nothing has been deleted yet); the first other block goes to the loop below.
            const __m128i space = _mm_set1_epi8(0x20), tab_before = _mm_set1_epi8(0x08), cr_after = _mm_set1_epi8(0x0E);
            while (i + 16 <= e) {
                __m128i v = _mm_loadu_si128((const __m128i *)(buf + i));
                // Signed compares: bytes from 0x80 are negative, so never between \t and \r.
                unsigned ctl = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, tab_before), _mm_cmplt_epi8(v, cr_after)));
                unsigned ws = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)) | ctl;
                if (ctl | (ws & ((ws << 1) | in_run))) break;
                if (w != i) _mm_storeu_si128((__m128i *)(buf + w), v);   // w < i: the block was read before
                w += 16; i += 16;
                in_run = ws >> 15;
            }
#endif
            size_t stop = i + 16 < e ? i + 16 : e;
            for (; i < stop; i++) {
                uint8_t b = buf[i];
                if (b == 0x20 || (b >= 0x09 && b <= 0x0D)) {
                    if (!in_run) buf[w++] = 0x20;
                    in_run = 1;
                } else {
                    buf[w++] = b;
                    in_run = 0;
                }
            }
        }
        ends[k] = (int64_t)w;
        buf[w++] = buf[e];
    }
    return w;
}
