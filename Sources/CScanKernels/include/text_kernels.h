#ifndef CSCANKERNELS_TEXT_KERNELS_H
#define CSCANKERNELS_TEXT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Bit masks of where `byte` occurs in `p[0 ..< n]`: bit j of masks[k] is set when p[64k + j] == byte. Writes
/// (n + 63) / 64 masks; bits past n are 0. Reads no byte past p[n - 1]. AVX2 when the processor has it.
void cs_byte_masks(const uint8_t *p, size_t n, uint8_t byte, uint64_t *masks);

/// The same with the byte-by-byte loop (for differential tests).
void cs_byte_masks_scalar(const uint8_t *p, size_t n, uint8_t byte, uint64_t *masks);

/// What `cs_utf8_first_problem` found.
#define CS_UTF8_NUL 1
#define CS_UTF8_INVALID 2
#define CS_UTF8_TRUNCATED 3

/// Offset of the first NUL byte (when `reject_nul`) or ill-formed UTF-8 sequence in `p[0 ..< n]` (overlong forms,
/// surrogates and values above U+10FFFF are ill-formed), with its kind in *kind; -1 when there is none. A sequence
/// cut by the end of the bytes is CS_UTF8_TRUNCATED. With AVX2, 32 bytes are validated at a time (Keiser-Lemire
/// lookup tables) and a block with a problem is handed to the scalar step.
ptrdiff_t cs_utf8_first_problem(const uint8_t *p, size_t n, int reject_nul, int *kind);

/// The same with the byte-by-byte loop (for differential tests).
ptrdiff_t cs_utf8_first_problem_scalar(const uint8_t *p, size_t n, int reject_nul, int *kind);

/// Offset of the first occurrence of `needle[0 ..< m]` in `haystack[0 ..< n]` (libc's `memmem`), -1 when there is
/// none or `m` is 0.
ptrdiff_t cs_find_bytes(const uint8_t *haystack, size_t n, const uint8_t *needle, size_t m);

#endif
