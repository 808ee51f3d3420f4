// Bytes-only shadow writer: RuleKit's normaliser on ASCII text (plus table-mapped non-ASCII scalars and letters),
// without the offset maps the reference builds. Each pass is a port of the matching `ASCIIUnits` layer; a randomized
// differential test (ShadowWriterDifferentialTests) checks the bytes against `Normaliser.normalise`.
#include "ascii_shadow.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define CS_SHADOW_SSE2 1
#else
#define CS_SHADOW_SSE2 0
#endif

enum { C_LETTER = 1, C_LEET = 2, C_DIGIT = 4, C_SEP = 8, C_BADDIGIT = 16, C_APOS = 32 };

/// Byte classes: ASCII letters, leet characters (0 1 3 4 5 7 8 @ $ ! + |), digits, separators
/// (space . - _ * / , : ; ~ = # ^ \), the digits that keep a token from being leet (2 6 9), and the apostrophe. Bytes
/// >= 0x80 have no class (opaque).
static const uint8_t cls[256] = {
    [' '] = C_SEP, ['.'] = C_SEP, ['-'] = C_SEP, ['_'] = C_SEP, ['*'] = C_SEP, ['/'] = C_SEP,
    [','] = C_SEP, [':'] = C_SEP, [';'] = C_SEP, ['~'] = C_SEP, ['='] = C_SEP, ['#'] = C_SEP, ['^'] = C_SEP,
    ['\\'] = C_SEP, ['\''] = C_APOS,
    ['0'] = C_DIGIT | C_LEET, ['1'] = C_DIGIT | C_LEET, ['2'] = C_DIGIT | C_BADDIGIT, ['3'] = C_DIGIT | C_LEET,
    ['4'] = C_DIGIT | C_LEET, ['5'] = C_DIGIT | C_LEET, ['6'] = C_DIGIT | C_BADDIGIT, ['7'] = C_DIGIT | C_LEET,
    ['8'] = C_DIGIT | C_LEET, ['9'] = C_DIGIT | C_BADDIGIT,
    ['@'] = C_LEET, ['$'] = C_LEET, ['!'] = C_LEET, ['+'] = C_LEET, ['|'] = C_LEET,
    ['A'] = C_LETTER, ['B'] = C_LETTER, ['C'] = C_LETTER, ['D'] = C_LETTER, ['E'] = C_LETTER, ['F'] = C_LETTER,
    ['G'] = C_LETTER, ['H'] = C_LETTER, ['I'] = C_LETTER, ['J'] = C_LETTER, ['K'] = C_LETTER, ['L'] = C_LETTER,
    ['M'] = C_LETTER, ['N'] = C_LETTER, ['O'] = C_LETTER, ['P'] = C_LETTER, ['Q'] = C_LETTER, ['R'] = C_LETTER,
    ['S'] = C_LETTER, ['T'] = C_LETTER, ['U'] = C_LETTER, ['V'] = C_LETTER, ['W'] = C_LETTER, ['X'] = C_LETTER,
    ['Y'] = C_LETTER, ['Z'] = C_LETTER,
    ['a'] = C_LETTER, ['b'] = C_LETTER, ['c'] = C_LETTER, ['d'] = C_LETTER, ['e'] = C_LETTER, ['f'] = C_LETTER,
    ['g'] = C_LETTER, ['h'] = C_LETTER, ['i'] = C_LETTER, ['j'] = C_LETTER, ['k'] = C_LETTER, ['l'] = C_LETTER,
    ['m'] = C_LETTER, ['n'] = C_LETTER, ['o'] = C_LETTER, ['p'] = C_LETTER, ['q'] = C_LETTER, ['r'] = C_LETTER,
    ['s'] = C_LETTER, ['t'] = C_LETTER, ['u'] = C_LETTER, ['v'] = C_LETTER, ['w'] = C_LETTER, ['x'] = C_LETTER,
    ['y'] = C_LETTER, ['z'] = C_LETTER,
};

/// The letter a leet character stands for (as `ASCIIUnits.leetTarget`), 0 for other bytes.
static const uint8_t leet_target[256] = {
    ['4'] = 'a', ['@'] = 'a', ['3'] = 'e', ['1'] = 'i', ['!'] = 'i', ['0'] = 'o', ['$'] = 's', ['5'] = 's',
    ['7'] = 't', ['+'] = 't', ['8'] = 'b', ['|'] = 'l',
};

/// Class test against the class table `K` in scope (`cls`, or a text's own table with its placeholder letters).
#define IS(c, k) (K[(c)] & (k))

/// Decodes the scalar whose UTF-8 starts at src[i] (a byte from 0x80) into *v and returns its length, or 0 when the
/// bytes there are not well-formed UTF-8 (overlong, surrogate, beyond U+10FFFF, cut short).
static inline size_t decode_scalar(const uint8_t *src, size_t n, size_t i, uint32_t *v) {
    uint8_t b = src[i];
    if (b < 0xC2) return 0;
    if (b < 0xE0) {
        if (i + 1 >= n || (src[i + 1] & 0xC0) != 0x80) return 0;
        *v = ((uint32_t)(b & 0x1F) << 6) | (src[i + 1] & 0x3F);
        return 2;
    }
    if (b < 0xF0) {
        if (i + 2 >= n || (src[i + 1] & 0xC0) != 0x80 || (src[i + 2] & 0xC0) != 0x80) return 0;
        *v = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(src[i + 1] & 0x3F) << 6) | (src[i + 2] & 0x3F);
        if (*v < 0x800 || (*v >= 0xD800 && *v <= 0xDFFF)) return 0;
        return 3;
    }
    if (b < 0xF5) {
        if (i + 3 >= n || (src[i + 1] & 0xC0) != 0x80 || (src[i + 2] & 0xC0) != 0x80 || (src[i + 3] & 0xC0) != 0x80)
            return 0;
        *v = ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(src[i + 1] & 0x3F) << 12) | ((uint32_t)(src[i + 2] & 0x3F) << 6)
            | (src[i + 3] & 0x3F);
        if (*v < 0x10000 || *v > 0x10FFFF) return 0;
        return 4;
    }
    return 0;
}

/// `’` (U+2019) as a placeholder's word (its UTF-8 bytes E2 80 99, little-endian).
enum { APOS_U2019 = 0x9980E2 };

/// Most distinct non-ASCII characters a text may hold on the letters path (one placeholder byte each).
enum { PLACEHOLDERS = 128 };

/// The letters path's placeholders (`shadow_letters`): the text's own class table `K` (the byte classes, plus a
/// letter, separator or no class for each placeholder byte 0x80 + k), each placeholder's character as up to 4 UTF-8 bytes
/// (`chars`, length in `lens`), and an open-addressing map from a character (its bytes as a word) to placeholder + 1.
struct placeholders {
    uint8_t K[256];
    uint32_t chars[PLACEHOLDERS];
    uint8_t lens[PLACEHOLDERS];
    uint32_t slot_key[256];
    uint8_t slot_val[256];
    unsigned count;
};

/// The placeholder byte of the character `word` (`wlen` UTF-8 bytes), given class `klass` when new; -1 when all
/// PLACEHOLDERS are taken. Always inlined, as `map_scalar` is: as calls, the letters path took about 6 % longer.
static inline __attribute__((always_inline)) int placeholder(struct placeholders *restrict ph, uint32_t word,
                                                             size_t wlen, uint8_t klass) {
    unsigned h = (unsigned)((word * 2654435761u) >> 24);
    while (ph->slot_val[h] && ph->slot_key[h] != word) h = (h + 1) & 255;
    if (!ph->slot_val[h]) {
        if (ph->count == PLACEHOLDERS) return -1;
        ph->slot_key[h] = word;
        ph->slot_val[h] = (uint8_t)(ph->count + 1);
        ph->chars[ph->count] = word;
        ph->lens[ph->count] = (uint8_t)wlen;
        ph->K[0x80 + ph->count] = klass;
        ph->count++;
    }
    return 0x80 + ph->slot_val[h] - 1;
}

/// Maps the non-ASCII scalar whose UTF-8 starts at src[i] through the table, writing its text at out[*o]: ASCII
/// text, or, without `ph`, the kept scalar's own bytes; with `ph` (the letters path) a kept scalar, a separator or a
/// letter becomes its placeholder byte. Returns the scalar's length in `src`, -1 (give up), or -2 without `ph` for a
/// letter (a scalar that stays a non-ASCII letter, `CS_SHADOW_LETTER`) or, when `seps`, a separator
/// (`CS_SHADOW_SEPARATOR`): the caller takes `shadow_letters`. Always inlined, into the two loops that call it.
static inline __attribute__((always_inline)) ptrdiff_t map_scalar(const uint8_t *restrict src, size_t n, size_t i,
                                                                  const uint16_t *blocks, const uint32_t *entries,
                                                                  uint8_t *restrict out, size_t *o,
                                                                  struct placeholders *restrict ph, int seps) {
    uint32_t v;
    size_t len = decode_scalar(src, n, i, &v);
    if (len == 0 || v >= CS_SHADOW_TABLE_LIMIT) return -1;
    uint32_t e = entries[(size_t)blocks[v >> 8] * 256 + (v & 0xFF)];
    uint32_t kind = e & 0xFF;
    if (kind >= 1 && kind <= 4 && kind - 1 <= len) {
        for (uint32_t k = 1; k < kind; k++) out[(*o)++] = (uint8_t)(e >> (8 * k));
        return (ptrdiff_t)len;
    }
    if (kind != CS_SHADOW_KEEP && kind != CS_SHADOW_LETTER && kind != CS_SHADOW_SEPARATOR) return -1;
    if (!ph) {
        if (kind == CS_SHADOW_LETTER || (kind == CS_SHADOW_SEPARATOR && seps)) return -2;
        memcpy(out + *o, src + i, len);
        *o += len;
        return (ptrdiff_t)len;
    }
    uint32_t word = 0;
    size_t wlen = len;
    if (kind != CS_SHADOW_LETTER) {
        memcpy(&word, src + i, len);
    } else {
        word = e >> 8;
        wlen = (word >> 16) ? 3 : (word >> 8) ? 2 : 1;
        if (wlen > len) return -1;
    }
    uint8_t klass = kind == CS_SHADOW_LETTER ? C_LETTER : kind == CS_SHADOW_SEPARATOR ? C_SEP
                  : word == APOS_U2019 ? C_APOS : 0;
    int p = placeholder(ph, word, wlen, klass);
    if (p < 0) return -1;
    out[(*o)++] = (uint8_t)p;
    return (ptrdiff_t)len;
}

/// Pass 1: decodes the text, maps non-ASCII scalars through the table (`map_scalar`, without placeholders) and
/// lowers A-Z when `fold`. Returns the length written to `out`, -1 (give up), or -2 when the text holds a scalar
/// that stays a non-ASCII letter, or a non-ASCII separator when `seps` (the caller takes `shadow_letters`).
static ptrdiff_t map_scalars(const uint8_t *restrict src, size_t n, int fold, int seps, const uint16_t *blocks,
                             const uint32_t *entries, uint8_t *restrict out) {
    size_t i = 0, o = 0;
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    while (i < n) {
        // Eight ASCII bytes at a time: lower A-Z with word arithmetic (no byte can carry into the next).
        while (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, src + i, 8);
            if (x & high) break;
            if (fold) {
                uint64_t geA = x + ones * (0x80 - 'A'), gtZ = x + ones * (0x80 - 'Z' - 1);
                x |= ((geA & ~gtZ) & high) >> 2;
            }
            memcpy(out + o, &x, 8);
            i += 8; o += 8;
        }
        if (i >= n) break;
        uint8_t b = src[i];
        if (b < 0x80) {
            if (fold && b >= 'A' && b <= 'Z') b += 32;
            out[o++] = b; i++;
            continue;
        }
        ptrdiff_t len = map_scalar(src, n, i, blocks, entries, out, &o, NULL, seps);
        if (len < 0) return len;
        i += (size_t)len;
    }
    return (ptrdiff_t)o;
}

static inline int glyph(const uint8_t *K, const uint8_t *c, size_t n, ptrdiff_t k) {
    return k >= 0 && (size_t)k < n && IS(c[k], C_LETTER | C_LEET);
}

/// Length of the apostrophe (`'`, or `’` as its UTF-8 bytes or its placeholder) starting at c[k] when `after`, or
/// ending at c[k] when not; 0 when there is none. Only the byte path (`K` is `cls`) holds UTF-8 bytes: on the letters
/// path every byte from 0x80 is a placeholder, and `’` has one of its own (class C_APOS).
static inline ptrdiff_t apostrophe(const uint8_t *K, const uint8_t *c, size_t n, ptrdiff_t k, int after) {
    if (k < 0 || (size_t)k >= n) return 0;
    if (IS(c[k], C_APOS)) return 1;
    if (K != cls) return 0;
    ptrdiff_t s = after ? k : k - 2;
    if (s < 0 || (size_t)s + 2 >= n) return 0;
    return c[s] == 0xE2 && c[s + 1] == 0x80 && c[s + 2] == 0x99 ? 3 : 0;
}

/// A single glyph (as `Units.separators`): no glyph on either side, and not one side of a contraction (`I'm`).
static inline int single(const uint8_t *K, const uint8_t *c, size_t n, ptrdiff_t k) {
    if (!glyph(K, c, n, k) || glyph(K, c, n, k - 1) || glyph(K, c, n, k + 1)) return 0;
    ptrdiff_t a = apostrophe(K, c, n, k + 1, 1), b = apostrophe(K, c, n, k - 1, 0);
    return !(a && glyph(K, c, n, k + 1 + a)) && !(b && glyph(K, c, n, k - 1 - b));
}

/// Separators layer (`ASCIIUnits.separators`): a chain of 3+ single glyphs (2+ letters) joined by the same 1-3
/// separator bytes loses the separators. Writes c[0 ..< n] without them to `o`; returns the length. Sets `*article`
/// for a joined chain with a second reading (`Units.separators`): `a`/`i`, one space, then 3+ glyphs (2+ letters).
static size_t pass_separators(const uint8_t *K, const uint8_t *c, size_t n, uint8_t *o, int *article, int second) {
    size_t w = 0, copied = 0, i = 0;
    while (i < n) {
        if (!single(K, c, n, (ptrdiff_t)i)) { i++; continue; }
        size_t last = i, first_start = 0, first_len = 0;
        int glyphs = 1, letters = IS(c[i], C_LETTER) ? 1 : 0;
        for (;;) {
            size_t j = last + 1, run = 0;
            while (j < n && run < 3 && IS(c[j], C_SEP)) { run++; j++; }
            if (run == 0 || j >= n || !single(K, c, n, (ptrdiff_t)j)) break;
            if (first_len) {
                if (run != first_len || memcmp(c + first_start, c + last + 1, run) != 0) break;
            } else {
                first_start = last + 1; first_len = run;
            }
            last = j; glyphs++;
            if (IS(c[j], C_LETTER)) letters++;
        }
        if (glyphs >= 3 && letters >= 2) {
            uint8_t g = c[i] | 0x20;
            int art = (g == 'a' || g == 'i') && first_len == 1 && c[first_start] == ' ' && glyphs >= 4 && letters >= 3;
            if (art) *article = 1;
            size_t kept = art && second ? i + 1 : n;   // the second reading keeps the space after `a` / `i`
            memcpy(o + w, c + copied, i - copied);
            w += i - copied;
            for (size_t s = i; s <= last; s++) if (!IS(c[s], C_SEP) || s == kept) o[w++] = c[s];
            copied = last + 1;
            i = last + 1;
        } else {
            // Too short: its last glyph may start a chain of its own (as in `Units.separators`).
            i = last > i ? last : i + 1;
        }
    }
    memcpy(o + w, c + copied, n - copied);
    return w + (n - copied);
}

/// Leet layer (`ASCIIUnits.leet`), in place: inside tokens (runs of letters, digits and leet characters) that hold
/// a letter and no 2, 6 or 9, each run of non-letters maps by its position (see rules/SCHEMA.md).
static int pass_leet(const uint8_t *K, uint8_t *c, size_t n) {
    size_t i = 0;
    int changed = 0;
    while (i < n) {
        if (!IS(c[i], C_LETTER | C_DIGIT | C_LEET)) { i++; continue; }
        size_t j = i;
        int letters = 0, bad = 0;
        while (j < n && IS(c[j], C_LETTER | C_DIGIT | C_LEET)) {
            if (IS(c[j], C_LETTER)) letters++; else if (IS(c[j], C_BADDIGIT)) bad = 1;
            j++;
        }
        if (letters && !bad) {
            int before_letters = 0;
            size_t k = i;
            while (k < j) {
                if (IS(c[k], C_LETTER)) { before_letters++; k++; continue; }
                size_t e = k;
                while (e < j && !IS(c[e], C_LETTER)) e++;
                int before = k > i, after = e < j, after_letters = letters - before_letters;
                for (size_t p = k; p < e; p++) {
                    uint8_t v = c[p], t = leet_target[v];
                    if (!t) continue;
                    int ok;
                    if (before && after) ok = 1;
                    else if (v == '!' || v == '+') ok = 0;
                    else if (IS(v, C_DIGIT)) ok = after ? after_letters >= 3 : before_letters >= 2;
                    else ok = 1;
                    if (ok) { c[p] = t; changed = 1; }
                }
                k = e;
            }
        }
        i = j;
    }
    return changed;
}

/// Collapse-repeats layer (`ASCIIUnits.collapseRepeats`), in place: a run of 3+ identical letters keeps two, so
/// a letter is dropped when the two bytes before it (in the input) are the same letter.
static size_t pass_collapse(const uint8_t *K, uint8_t *c, size_t n) {
    size_t w = 0;
    uint8_t p1 = 0, p2 = 0;   // the previous two input bytes (0 = none; never a letter)
    for (size_t i = 0; i < n; i++) {
        uint8_t b = c[i];
        int drop = (b == p1) & (b == p2) & (K[b] & C_LETTER);
        c[w] = b;
        w += (size_t)!drop;
        p2 = p1; p1 = b;
    }
    return w;
}

enum { NEED_SEPARATORS = 1, NEED_LEET = 2, NEED_COLLAPSE = 4 };

/// True when the single glyph at q (separators on both sides) has a single glyph 1-3 separators to its left and
/// to its right: the middle of a chain the separators layer may join.
static int chain_middle(const uint8_t *K, const uint8_t *c, size_t n, size_t q) {
    ptrdiff_t j = (ptrdiff_t)q - 1;
    int run = 0;
    while (j >= 0 && run < 3 && IS(c[j], C_SEP)) { j--; run++; }
    if (!glyph(K, c, n, j) || glyph(K, c, n, j - 1)) return 0;
    size_t k = q + 1;
    run = 0;
    while (k < n && run < 3 && IS(c[k], C_SEP)) { k++; run++; }
    return glyph(K, c, n, (ptrdiff_t)k) && !glyph(K, c, n, (ptrdiff_t)k + 1);
}

/// What the byte layers could change (necessary conditions only): a chain middle for separators, a leet character
/// next to a letter for leet (the leet character of a token nearest to one of its letters is next to it, or the
/// token holds a 2, 6 or 9), three equal letters in a row for collapse. Byte by byte: the definition.
static unsigned needed_layers_scalar(const uint8_t *K, const uint8_t *c, size_t n) {
    unsigned leet = 0, coll = 0, sep = 0;
    uint8_t k1 = 0, k2 = 0, b1 = 0, b2 = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = c[i], k = K[b];
        leet |= (k & (uint8_t)(k1 << 1)) | (k1 & (uint8_t)(k << 1));
        coll |= (unsigned)((b == b1) & (b == b2)) & k;
        if ((k & C_SEP) && (k2 & C_SEP) && (k1 & (C_LETTER | C_LEET)) && !sep) sep = chain_middle(K, c, n, i - 1);
        k2 = k1; k1 = k; b2 = b1; b1 = b;
    }
    return (sep ? NEED_SEPARATORS : 0) | ((leet & C_LEET) ? NEED_LEET : 0) | ((coll & C_LETTER) ? NEED_COLLAPSE : 0);
}

#if CS_SHADOW_SSE2
/// Lanes of x equal to c (all ones), or holding a byte from lo to hi (ASCII bounds: bytes from 0x80 are below lo as
/// signed bytes).
static inline __m128i byte_is(__m128i x, char c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); }
static inline __m128i in_range(__m128i x, char lo, char hi) {
    return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8((char)(lo - 1))),
                         _mm_cmplt_epi8(x, _mm_set1_epi8((char)(hi + 1))));
}

/// `needed_layers_scalar` with SSE2: class bit masks for 64 bytes at a time (bit p = byte base + p), combined with
/// the previous 64 bytes' masks for the neighbours of the first positions.
static unsigned needed_layers_sse2(const uint8_t *c, size_t n) {
    uint64_t leet = 0, coll = 0, pl = 0, pt = 0, ps = 0, pg = 0;
    int sep = 0;
    uint8_t buf[2 + 64];
    const __m128i x20 = _mm_set1_epi8(0x20), a1 = _mm_set1_epi8('a' - 1), z1 = _mm_set1_epi8('z' + 1);
    const __m128i d0 = _mm_set1_epi8('0' - 1), d9 = _mm_set1_epi8('9');
    for (size_t base = 0; base < n; base += 64) {
        size_t len = n - base < 64 ? n - base : 64;
        buf[0] = base >= 2 ? c[base - 2] : 0;
        buf[1] = base >= 1 ? c[base - 1] : 0;
        memcpy(buf + 2, c + base, len);
        memset(buf + 2 + len, 0, 64 - len);
        uint64_t L = 0, T = 0, S = 0, E = 0;
        for (int q = 0; q < 4; q++) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(buf + 2 + 16 * q));
            __m128i p1 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 1 + 16 * q));
            __m128i p2 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 16 * q));
            __m128i y = _mm_or_si128(x, x20);
            __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(y, a1), _mm_cmplt_epi8(y, z1));
            __m128i digit08 = _mm_and_si128(_mm_cmpgt_epi8(x, d0), _mm_cmplt_epi8(x, d9));
            __m128i bad = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('2')), _mm_cmpeq_epi8(x, _mm_set1_epi8('6')));
            __m128i sym = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('@')), _mm_cmpeq_epi8(x, _mm_set1_epi8('$'))),
                                       _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('!')), _mm_cmpeq_epi8(x, _mm_set1_epi8('+'))));
            sym = _mm_or_si128(sym, _mm_cmpeq_epi8(x, _mm_set1_epi8('|')));
            __m128i leetc = _mm_or_si128(_mm_andnot_si128(bad, digit08), sym);
            // Separators: the ranges , - . / and : ; and ^ _, and space # * = \ ~.
            __m128i sepc = _mm_or_si128(_mm_or_si128(in_range(x, ',', '/'), in_range(x, ':', ';')),
                                        in_range(x, '^', '_'));
            sepc = _mm_or_si128(sepc, _mm_or_si128(_mm_or_si128(byte_is(x, ' '), byte_is(x, '#')), byte_is(x, '*')));
            sepc = _mm_or_si128(sepc, _mm_or_si128(_mm_or_si128(byte_is(x, '='), byte_is(x, '\\')), byte_is(x, '~')));
            __m128i eq = _mm_and_si128(_mm_cmpeq_epi8(x, p1), _mm_cmpeq_epi8(x, p2));
            L |= (uint64_t)(uint16_t)_mm_movemask_epi8(letter) << (16 * q);
            T |= (uint64_t)(uint16_t)_mm_movemask_epi8(leetc) << (16 * q);
            S |= (uint64_t)(uint16_t)_mm_movemask_epi8(sepc) << (16 * q);
            E |= (uint64_t)(uint16_t)_mm_movemask_epi8(eq) << (16 * q);
        }
        uint64_t G = L | T;
        uint64_t L1 = (L << 1) | (pl >> 63), T1 = (T << 1) | (pt >> 63), G1 = (G << 1) | (pg >> 63);
        uint64_t S2 = (S << 2) | (ps >> 62);
        leet |= (T & L1) | (L & T1);
        coll |= E & L;
        // Separator, glyph, separator ending at bit p: the glyph at base + p - 1 may be a chain middle.
        for (uint64_t gap = S & S2 & G1; gap && !sep; gap &= gap - 1)
            sep = chain_middle(cls, c, n, base + (size_t)__builtin_ctzll(gap) - 1);
        pl = L; pt = T; ps = S; pg = G;
    }
    return (sep ? NEED_SEPARATORS : 0) | (leet ? NEED_LEET : 0) | (coll ? NEED_COLLAPSE : 0);
}
#endif

static unsigned needed_layers(const uint8_t *c, size_t n) {
#if CS_SHADOW_SSE2
    return needed_layers_sse2(c, n);
#else
    return needed_layers_scalar(cls, c, n);
#endif
}

unsigned cs_ascii_shadow_needed_layers(const uint8_t *text, size_t n, int vector) {
    return vector ? needed_layers(text, n) : needed_layers_scalar(cls, text, n);
}

/// The byte layers selected by `layers` over c[0 ..< len] (`need`: those whose conditions hold), classes from `K`;
/// the result is in `c` or in `scratch` (room for len bytes): `*where` says which. Returns its length.
static size_t byte_layers(const uint8_t *K, uint8_t *c, size_t len, unsigned layers, unsigned need, uint8_t *scratch,
                          uint8_t **where, int *article) {
    uint8_t *cur = c;
    if ((layers & CS_SHADOW_SEPARATORS) && (need & NEED_SEPARATORS)) {
        size_t joined = pass_separators(K, c, len, scratch, article, (layers & CS_SHADOW_SECOND_READING) != 0);
        cur = scratch;
        // Joining brings characters together: the later layers' conditions must be checked by their own passes.
        if (joined != len) need |= NEED_LEET | NEED_COLLAPSE;
        len = joined;
    }
    if ((layers & CS_SHADOW_LEET) && (need & NEED_LEET) && pass_leet(K, cur, len)) need |= NEED_COLLAPSE;
    if ((layers & CS_SHADOW_COLLAPSE) && (need & NEED_COLLAPSE)) len = pass_collapse(K, cur, len);
    *where = cur;
    return len;
}

/// The shadow of a text holding non-ASCII letters (`CS_SHADOW_LETTER` entries) or, with the separators layer,
/// non-ASCII separators (`CS_SHADOW_SEPARATOR`): each distinct non-ASCII character of the mapped text (a kept scalar,
/// a separator or a letter's output) stands for one placeholder byte 0x80 + k while the byte layers run, classed as
/// a letter, a separator or nothing, so that a letter counts as one letter and a separator as one separator wherever
/// the reference's layers look at them (single characters between separators, leet tokens, runs of one letter); the
/// placeholders are then written out as their characters. -1: a scalar the table does not handle, or more than
/// PLACEHOLDERS distinct characters.
static ptrdiff_t shadow_letters(const uint8_t *src, size_t n, unsigned layers, const uint16_t *blocks,
                                const uint32_t *entries, uint8_t *out, uint8_t *scratch, int *article) {
    struct placeholders ph;
    memcpy(ph.K, cls, sizeof ph.K);
    memset(ph.slot_val, 0, sizeof ph.slot_val);
    ph.count = 0;
    int fold = (layers & CS_SHADOW_CASEFOLD) != 0;
    size_t i = 0, len = 0;
    while (i < n) {
        uint8_t b = src[i];
        if (b < 0x80) {
            out[len++] = (uint8_t)(fold && b >= 'A' && b <= 'Z' ? b + 32 : b);
            i++;
            continue;
        }
        ptrdiff_t k = map_scalar(src, n, i, blocks, entries, out, &len, &ph, 1);
        if (k < 0) return -1;
        i += (size_t)k;
    }
    uint8_t *cur = out;
    if (layers & (CS_SHADOW_SEPARATORS | CS_SHADOW_LEET | CS_SHADOW_COLLAPSE))
        len = byte_layers(ph.K, out, len, layers, needed_layers_scalar(ph.K, out, len), scratch, &cur, article);
    // Write the placeholders out as their characters (never longer than the scalars they came from).
    uint8_t *from = cur;
    if (cur == out) { memcpy(scratch, out, len); from = scratch; }
    size_t w = 0;
    for (size_t k = 0; k < len; k++) {
        uint8_t c = from[k];
        if (c < 0x80) { out[w++] = c; continue; }
        uint32_t word = ph.chars[c - 0x80];
        memcpy(out + w, &word, ph.lens[c - 0x80]);
        w += ph.lens[c - 0x80];
    }
    return (ptrdiff_t)w;
}

ptrdiff_t cs_ascii_shadow(const uint8_t *src, size_t n, unsigned layers, const uint16_t *blocks,
                          const uint32_t *entries, uint8_t *out, uint8_t *scratch, int *article) {
    int unused = 0;
    if (!article) article = &unused;
    ptrdiff_t m = map_scalars(src, n, (layers & CS_SHADOW_CASEFOLD) != 0, (layers & CS_SHADOW_SEPARATORS) != 0, blocks,
                              entries, out);
    if (m == -2) return shadow_letters(src, n, layers, blocks, entries, out, scratch, article);
    if (m < 0) return -1;
    size_t len = (size_t)m;
    if (!(layers & (CS_SHADOW_SEPARATORS | CS_SHADOW_LEET | CS_SHADOW_COLLAPSE))) return m;
    uint8_t *cur;
    len = byte_layers(cls, out, len, layers, needed_layers(out, len), scratch, &cur, article);
    if (cur != out) memcpy(out, cur, len);
    return (ptrdiff_t)len;
}
