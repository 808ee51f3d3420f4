#ifndef CSCANKERNELS_SCAN_KERNELS_H
#define CSCANKERNELS_SCAN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Slack the skeleton writers need after the last byte they report: vector stores may write up to this many bytes
/// past it.
#define CS_SKELETON_SLACK 64

/// Copies `count` texts (bytes `src[starts[k] ..< ends[k]]`) into `out`: one `\n`, then each text followed by
/// `\n`, so every text is bounded by non-word bytes whatever surrounded it in the file. Stores each copy's bounds and returns the bytes used; `out` needs 1 + sum(length + 1) bytes.
size_t cs_gather_texts(const uint8_t *src, const int64_t *starts, const int64_t *ends, size_t count, uint8_t *out,
                       int64_t *out_starts, int64_t *out_ends);

/// Skeletons of every text of a gathered buffer `g` (the layout `cs_gather_texts` writes: `\n`, then each text
/// followed by `\n`; `g_ends[k]` is the offset of the `\n` after text k, and `g_len` is g_ends[count - 1] + 1),
/// for `kinds` (1 or 2) tables at once. Kind j writes `outs[j]`: `\n`, then the skeleton of each text followed
/// by `\n` (bounds in `out_starts[j]`, `out_ends[j]`), and stores its length in `used[j]`. The vector
/// loops read 64 (AVX-512 VBMI2) or 32 (AVX2) bytes at a time across text edges (the separators come from `g_ends`, not from the bytes, so texts may
/// hold `\n`). Each `outs[j]` needs room for g_len + CS_SKELETON_SLACK bytes. `folded` (count bytes, or NULL) gets
/// 1 for each text that holds KELVIN SIGN (U+212A) or LONG S (U+017F), 0 for the others: the skeleton reads them as
/// k and s, but the prefilter derives skeleton literals as if they were absent, so such texts need every skeleton rule.
void cs_skeleton_gathered(const uint8_t *g, size_t g_len, const int64_t *g_ends, size_t count,
                          const uint8_t *const *tables, size_t kinds, uint8_t *const *outs,
                          int64_t *const *out_starts, int64_t *const *out_ends, size_t *used, uint8_t *folded);

/// The same as `cs_skeleton_gathered`, always byte by byte (for differential tests).
void cs_skeleton_gathered_scalar(const uint8_t *g, size_t g_len, const int64_t *g_ends, size_t count,
                                 const uint8_t *const *tables, size_t kinds, uint8_t *const *outs,
                                 int64_t *const *out_starts, int64_t *const *out_ends, size_t *used, uint8_t *folded);

/// Which skeleton loop `cs_skeleton_gathered` uses on this processor: 2 the AVX-512 VBMI2 loop (64 bytes at a time),
/// 1 the AVX2 loop (32 bytes at a time), 0 the scalar loop.
int cs_skeleton_vectorised(void);

/// `cs_skeleton_gathered` through the loop of a given level (see `cs_skeleton_vectorised`), for differential tests;
/// returns 0 (writing nothing) when this processor lacks that level.
int cs_skeleton_gathered_level(int level, const uint8_t *g, size_t g_len, const int64_t *g_ends, size_t count,
                               const uint8_t *const *tables, size_t kinds, uint8_t *const *outs,
                               int64_t *const *out_starts, int64_t *const *out_ends, size_t *used, uint8_t *folded);

#endif
