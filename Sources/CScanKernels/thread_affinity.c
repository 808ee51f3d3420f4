#define _GNU_SOURCE
#include <sched.h>
#include <pthread.h>
#include <stdlib.h>
#include "thread_affinity.h"

static cpu_set_t allowed;
static int allowed_known = 0;
static pthread_mutex_t allowed_lock = PTHREAD_MUTEX_INITIALIZER;

/* The CPUs the process was allowed before any pinning (read once, from the first caller's mask). */
static int allowed_cpus(cpu_set_t *out) {
    pthread_mutex_lock(&allowed_lock);
    if (!allowed_known) {
        CPU_ZERO(&allowed);
        if (sched_getaffinity(0, sizeof allowed, &allowed) == 0) allowed_known = 1;
    }
    int ok = allowed_known;
    if (ok) *out = allowed;
    pthread_mutex_unlock(&allowed_lock);
    return ok ? 0 : -1;
}

/* Lets the calling thread run on every CPU the process may run on. */
static int cs_unpin_thread(void) {
    cpu_set_t set;
    if (allowed_cpus(&set) != 0) return -1;
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0 ? 0 : -1;
}

struct cs_thread_start { void (*fn)(void *); void *ctx; };

static void *cs_thread_trampoline(void *arg) {
    struct cs_thread_start start = *(struct cs_thread_start *)arg;
    free(arg);
    cs_unpin_thread();
    start.fn(start.ctx);
    return NULL;
}

int cs_thread_start_elsewhere(void (*fn)(void *), void *ctx, int k, size_t stack_size) {
    struct cs_thread_start *start = malloc(sizeof *start);
    if (!start) return -1;
    start->fn = fn;
    start->ctx = ctx;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (stack_size > 0) pthread_attr_setstacksize(&attr, stack_size);
    cpu_set_t set;
    int here = sched_getcpu();
    if (k >= 0 && allowed_cpus(&set) == 0) {
        if (here >= 0 && here < CPU_SETSIZE) CPU_CLR(here, &set);
        int others = CPU_COUNT(&set);
        if (others > 0) {
            int nth = k % others, seen = 0;
            for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
                if (!CPU_ISSET(cpu, &set)) continue;
                if (seen++ == nth) {
                    cpu_set_t one;
                    CPU_ZERO(&one);
                    CPU_SET(cpu, &one);
                    pthread_attr_setaffinity_np(&attr, sizeof one, &one);
                    break;
                }
            }
        }
    }
    pthread_t thread;
    int rc = pthread_create(&thread, &attr, cs_thread_trampoline, start);
    pthread_attr_destroy(&attr);
    if (rc != 0) { free(start); return -1; }
    return 0;
}
