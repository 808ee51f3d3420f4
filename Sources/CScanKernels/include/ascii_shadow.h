#ifndef CSCANKERNELS_ASCII_SHADOW_H
#define CSCANKERNELS_ASCII_SHADOW_H

#include <stddef.h>
#include <stdint.h>

/// Layer bits for `cs_ascii_shadow` (the byte-level layers of RuleKit's normaliser, applied in this order).
#define CS_SHADOW_CASEFOLD   1u
#define CS_SHADOW_SEPARATORS 2u
#define CS_SHADOW_LEET       4u
#define CS_SHADOW_COLLAPSE   8u
/// With CS_SHADOW_SEPARATORS: write the second reading (RuleKit's `Normaliser.secondReading`), where a single `a` or
/// `i` before a spelled-out word keeps the space after it (`such a f a g` -> `such a fag`).
#define CS_SHADOW_SECOND_READING 16u

/// Scalars below this value can be looked up in a scalar table; others make `cs_ascii_shadow` give up.
#define CS_SHADOW_TABLE_LIMIT 0x20000u

/// Scalar table entry meaning "carry the scalar through unchanged" (its UTF-8 bytes are copied).
#define CS_SHADOW_KEEP 0xFFu

/// Scalar table entry kind (low byte) for a scalar that becomes one non-ASCII letter: that letter's UTF-8 bytes
/// (2 or 3, no longer than the scalar's own) are in bytes 1...3, and the byte layers count it as one letter.
#define CS_SHADOW_LETTER 0xFEu

/// Scalar table entry for a non-ASCII separator (a dot, bullet or emoji that RuleKit's `separators` layer may drop
/// between spelled-out letters): its UTF-8 bytes are copied and the byte layers count it as one separator.
#define CS_SHADOW_SEPARATOR 0xFDu

/// Writes the shadow bytes of the UTF-8 text `src[0 ..< n]` into `out` (room for n bytes) using `scratch` (room for
/// n bytes), and returns the shadow's length, or -1 when the text holds a scalar the table does not handle (the
/// caller must then use the reference normaliser).
///
/// Non-ASCII scalars go through `table`: `blocks[v >> 8]` picks a block of 256 entries in `entries` (v below
/// CS_SHADOW_TABLE_LIMIT). An entry is 0 (not handled: give up), CS_SHADOW_KEEP in its low byte (copy the scalar),
/// CS_SHADOW_LETTER (a non-ASCII letter, see there), CS_SHADOW_SEPARATOR (see there), or 1 + k in its low byte with
/// k (0...3) ASCII bytes in bytes 1...k (the scalar's text after the normaliser's Unicode layers; k must not exceed
/// the scalar's UTF-8 length). Then, as selected by `layers`: ASCII casefold, joining of separated single characters,
/// leet inside words, collapsing of letter runs of 3+ to 2 — exactly the rules of RuleKit's `ASCIIUnits`, with each
/// non-ASCII letter one letter, each non-ASCII separator one separator and other non-ASCII characters opaque.
/// Malformed UTF-8, or a text with more than 128 distinct non-ASCII characters once it holds a non-ASCII letter or
/// separator, gives -1. `*article` (when not NULL) is set to 1 when the separators layer joined a chain that starts
/// with a single `a` or `i` followed by one space and 3+ more single characters (2+ letters): the text then has a
/// second reading (RuleKit's `NormalisedText.hasSecondReading`), and is left unchanged otherwise.
ptrdiff_t cs_ascii_shadow(const uint8_t *src, size_t n, unsigned layers, const uint16_t *blocks,
                          const uint32_t *entries, uint8_t *out, uint8_t *scratch, int *article);

/// For differential tests: which byte layers could change `text` (bit 1 separators, 2 leet, 4 collapse), from the
/// vector scan (`vector` != 0, when the build has one) or the byte-by-byte definition. The vector scan must agree.
unsigned cs_ascii_shadow_needed_layers(const uint8_t *text, size_t n, int vector);

/// Rewrites the texts of `buf` in place with every run of whitespace (`\t \n \v \f \r` and space, PCRE2's `\s`
/// without UCP) replaced by one space: text k is `buf[starts[k] ..< ends[k]]` (sorted, disjoint, each followed by
/// one separator byte that is kept); texts move towards the front and `starts`/`ends` are updated. Returns the new
/// used length (the end of the last text's separator; `buf_len` when there is no text).
size_t cs_collapse_whitespace_texts(uint8_t *buf, size_t buf_len, int64_t *starts, int64_t *ends, size_t count);

#endif
