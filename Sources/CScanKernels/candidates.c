// The prefilter's match callback: maps each match end to its text and stores a (text, rule) pair once.
#include "candidates.h"
#include <stdlib.h>
#include <string.h>

void cs_candidates_reset(cs_candidates *c, const int64_t *starts, const int64_t *ends, size_t count) {
    c->starts = starts;
    c->ends = ends;
    c->count = count;
    c->cursor = 0;
    c->pair_count = 0;
    memset(c->last_seen, 0xFF, (c->rules ? c->rules : 1) * sizeof(int32_t));
}

static void candidates_grow(cs_candidates *c) {
    size_t cap = c->pair_capacity ? 2 * c->pair_capacity : 1024;
    uint64_t *p = realloc(c->pairs, cap * sizeof(uint64_t));
    if (!p) abort();  // as a Swift array append would trap
    c->pairs = p;
    c->pair_capacity = cap;
}

int cs_candidate_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
                       void *context) {
    (void)from; (void)flags;
    cs_candidates *c = context;
    const int64_t end = (int64_t)to;
    size_t m = c->cursor;
    if (!(m < c->count && c->starts[m] < end && end <= c->ends[m])) {
        size_t lo = 0, hi = c->count;
        while (lo < hi) {
            size_t mid = (lo + hi) >> 1;
            if (c->ends[mid] < end) lo = mid + 1; else hi = mid;
        }
        if (lo >= c->count || c->starts[lo] >= end) return 0;
        m = lo;
        c->cursor = lo;
    }
    int32_t rule = c->id_to_rule[id];
    if (c->last_seen[rule] == (int32_t)m) return 0;
    c->last_seen[rule] = (int32_t)m;
    if (c->pair_count == c->pair_capacity) candidates_grow(c);
    c->pairs[c->pair_count++] = (uint64_t)m << 24 | (uint64_t)(uint32_t)rule;
    return 0;
}
