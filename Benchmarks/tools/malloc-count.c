/* Counts heap allocations of the process it is preloaded into (LD_PRELOAD) and writes
 * the count to $MALLOC_COUNT_FILE at exit: the benchmark's "mallocs per line". glibc's
 * own entry points do the work, so no lookup runs inside malloc. */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_ulong allocations;

void *malloc(size_t n) { atomic_fetch_add(&allocations, 1); return __libc_malloc(n); }
void *calloc(size_t n, size_t size) { atomic_fetch_add(&allocations, 1); return __libc_calloc(n, size); }
void *realloc(void *p, size_t n) { atomic_fetch_add(&allocations, 1); return __libc_realloc(p, n); }
void *aligned_alloc(size_t alignment, size_t n) { atomic_fetch_add(&allocations, 1); return __libc_memalign(alignment, n); }
void *memalign(size_t alignment, size_t n) { atomic_fetch_add(&allocations, 1); return __libc_memalign(alignment, n); }
int posix_memalign(void **out, size_t alignment, size_t n) {
    atomic_fetch_add(&allocations, 1);
    *out = __libc_memalign(alignment, n);
    return *out ? 0 : 12; /* ENOMEM */
}

__attribute__((destructor)) static void report(void) {
    const char *path = getenv("MALLOC_COUNT_FILE");
    unsigned long n = atomic_load(&allocations);
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "%lu\n", n);
        fclose(f);
    }
}
