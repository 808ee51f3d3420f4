#ifndef CSCANKERNELS_CANDIDATES_H
#define CSCANKERNELS_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>

/// Collects a Hyperscan scan's matches as (text index, rule) candidate pairs, `index << 24 | rule`, each pair once
/// per text: a match ending at offset `to` belongs to the text `k` with `starts[k] < to <= ends[k]` (the texts are
/// sorted and disjoint); matches outside every text are dropped. Filled by `cs_candidate_match`, the scan's
/// callback, which is called for every match end, so it is kept to a few compares and a store.
typedef struct {
    const int64_t *starts;
    const int64_t *ends;
    size_t count;
    size_t cursor;
    /// Expression id -> rule index.
    const int32_t *id_to_rule;
    /// Per rule, the last text index a pair was stored for (-1: none yet).
    int32_t *last_seen;
    size_t rules;
    uint64_t *pairs;
    size_t pair_count;
    size_t pair_capacity;
} cs_candidates;

/// Prepares `c` for a scan over `count` texts; keeps the pair buffer's memory.
void cs_candidates_reset(cs_candidates *c, const int64_t *starts, const int64_t *ends, size_t count);

/// Hyperscan's `match_event_handler` for a `cs_candidates` context; always returns 0 (scan on).
int cs_candidate_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
                       void *context);

#endif
