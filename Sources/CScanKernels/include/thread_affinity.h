#ifndef CSCANKERNELS_THREAD_AFFINITY_H
#define CSCANKERNELS_THREAD_AFFINITY_H

#include <stddef.h>

/// Starts a detached thread running `fn(ctx)`, placed on the `k`-th (modulo their count) of the CPUs the process may
/// run on other than the caller's current one (anywhere when there is no other); once started it may run on every
/// allowed CPU. The placement is for schedulers that pack new threads onto busy CPUs of a small VM. A stack of
/// `stack_size` bytes (0: the default). 0 on success, -1 otherwise.
int cs_thread_start_elsewhere(void (*fn)(void *), void *ctx, int k, size_t stack_size);

#endif
