#define _GNU_SOURCE
#include "huge_buffer.h"
#include <stdint.h>
#include <sys/mman.h>

enum { HUGE = 2u << 20 };

void *cs_huge_alloc(size_t size, size_t *mapped) {
    size_t len = (size + HUGE - 1) / HUGE * HUGE;
    // Map one huge page more than needed and trim the unaligned ends, so the buffer starts on a 2 MiB boundary.
    size_t over = len + HUGE;
    uint8_t *raw = mmap(NULL, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return NULL;
    uintptr_t start = ((uintptr_t)raw + HUGE - 1) & ~(uintptr_t)(HUGE - 1);
    size_t head = start - (uintptr_t)raw, tail = over - head - len;
    if (head) munmap(raw, head);
    if (tail) munmap((uint8_t *)start + len, tail);
    (void)madvise((void *)start, len, MADV_HUGEPAGE);
    *mapped = len;
    return (void *)start;
}

void *cs_populated_alloc(size_t size, size_t *mapped) {
    size_t len = (size + 4095) / 4096 * 4096;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED) return NULL;
    *mapped = len;
    return p;
}

void cs_mapped_free(void *p, size_t mapped) {
    if (p) munmap(p, mapped);
}
