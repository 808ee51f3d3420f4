#ifndef CS_HUGE_BUFFER_H
#define CS_HUGE_BUFFER_H
#include <stddef.h>

/// Anonymous memory for a large scratch buffer of at least `size` bytes, 2 MiB-aligned and advised for transparent
/// huge pages (`MADV_HUGEPAGE`; ignored where the kernel has them off), so that first touching it costs a fault per
/// 2 MiB rather than per 4 KiB page. Sets `*mapped` to the length to pass to `cs_mapped_free`. NULL on failure.
void *cs_huge_alloc(size_t size, size_t *mapped);

/// Anonymous memory of at least `size` bytes with every page present before it returns (`MAP_POPULATE`: the kernel
/// allocates them in one call instead of one fault per 4 KiB page on first touch), for memory that is written whole
/// at once. Sets `*mapped` to the length to pass to `cs_mapped_free`. NULL on failure.
void *cs_populated_alloc(size_t size, size_t *mapped);

/// Releases memory from `cs_huge_alloc` or `cs_populated_alloc`.
void cs_mapped_free(void *p, size_t mapped);

#endif
