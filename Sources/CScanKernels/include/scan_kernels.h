#ifndef CSCANKERNELS_SCAN_KERNELS_H
#define CSCANKERNELS_SCAN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Slack the skeleton writers need after the last byte they report: vector stores may write up to this many bytes
/// past it.
#define CS_SKELETON_SLACK 64

/// Writes the skeletons of `count` texts (bytes `src[starts[k] ..< ends[k]]`) into `out`: first one `\n`, then each
/// text's skeleton followed by `\n`. `table` maps each ASCII byte to its output byte (0 = deleted); non-ASCII bytes
/// are deleted except KELVIN SIGN (E2 84 AA, to `k`) and LONG S (C5 BF, to `s`); runs of one output byte are
/// squeezed to one, starting afresh after each `\n`. Stores the skeleton's bounds of text k in `out_starts[k]` and
/// `out_ends[k]` and returns the bytes used. `out` needs room for 1 + sum(length + 1) + CS_SKELETON_SLACK bytes.
/// Uses AVX-512 VBMI2 when the processor has it, a scalar loop otherwise; both give the same bytes.
size_t cs_skeleton_texts(const uint8_t *src, const int64_t *starts, const int64_t *ends, size_t count,
                         const uint8_t *table, uint8_t *out, int64_t *out_starts, int64_t *out_ends);

/// The same as `cs_skeleton_texts`, always with the scalar loop (for differential tests).
size_t cs_skeleton_texts_scalar(const uint8_t *src, const int64_t *starts, const int64_t *ends, size_t count,
                                const uint8_t *table, uint8_t *out, int64_t *out_starts, int64_t *out_ends);

/// Copies `count` texts (bytes `src[starts[k] ..< ends[k]]`) into `out` in the layout of `cs_skeleton_texts`: one
/// `\n`, then each text followed by `\n`, so every text is bounded by non-word bytes whatever surrounded it in the
/// file. Stores each copy's bounds and returns the bytes used; `out` needs 1 + sum(length + 1) bytes.
size_t cs_gather_texts(const uint8_t *src, const int64_t *starts, const int64_t *ends, size_t count, uint8_t *out,
                       int64_t *out_starts, int64_t *out_ends);

/// 1 when the vector skeleton writer is in use on this processor.
int cs_skeleton_vectorised(void);

#endif
