/* Naive baseline: runs every pattern of a rule file, one at a time, with PCRE2 JIT over the whole input buffer
 * (caseless, UTF, no UCP), and prints the number of distinct lines with at least one match.
 * Build: gcc -O2 -o pcre2_per_rule pcre2_per_rule.c -lpcre2-8
 * Usage: pcre2_per_rule RULES.pcre INPUT [--ucp]                                                            */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(2); }
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s RULES INPUT [--ucp]\n", argv[0]); return 2; }
    int ucp = argc > 3 && strcmp(argv[3], "--ucp") == 0;
    size_t rlen, n;
    char *rules = slurp(argv[1], &rlen);
    char *text = slurp(argv[2], &n);
    /* line starts, for mapping a match offset to its line */
    size_t nlines = 1;
    for (size_t i = 0; i < n; i++) if (text[i] == '\n') nlines++;
    size_t *starts = malloc(nlines * sizeof(size_t));
    size_t k = 0;
    starts[k++] = 0;
    for (size_t i = 0; i < n; i++) if (text[i] == '\n' && k < nlines) starts[k++] = i + 1;
    unsigned char *hit = calloc(nlines, 1);
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    pcre2_jit_stack *js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    pcre2_jit_stack_assign(mc, NULL, js);
    int rulesCount = 0;
    for (char *line = strtok(rules, "\n"); line; line = strtok(NULL, "\n")) {
        if (!*line) continue;
        int err; PCRE2_SIZE eoff;
        uint32_t opts = PCRE2_CASELESS | PCRE2_UTF | PCRE2_NO_UTF_CHECK | (ucp ? PCRE2_UCP : 0);
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)line, PCRE2_ZERO_TERMINATED, opts & ~PCRE2_NO_UTF_CHECK, &err, &eoff, NULL);
        if (!re) { fprintf(stderr, "compile error in %s\n", line); continue; }
        pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
        rulesCount++;
        size_t off = 0;
        while (off <= n) {
            int rc = pcre2_jit_match(re, (PCRE2_SPTR)text, n, off, PCRE2_NO_UTF_CHECK, md, mc);
            if (rc < 0) break;
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            /* binary search the line of ov[0] */
            size_t lo = 0, hi = nlines - 1;
            while (lo < hi) { size_t mid = (lo + hi + 1) / 2; if (starts[mid] <= ov[0]) lo = mid; else hi = mid - 1; }
            hit[lo] = 1;
            /* continue after this line: we count lines, not matches */
            size_t next = lo + 1 < nlines ? starts[lo + 1] : n + 1;
            off = next > ov[1] ? next : (ov[1] > ov[0] ? ov[1] : ov[0] + 1);
        }
        pcre2_code_free(re);
    }
    size_t count = 0;
    for (size_t i = 0; i < nlines; i++) count += hit[i];
    printf("%zu\n", count);
    fprintf(stderr, "%d rules, %zu lines with a match\n", rulesCount, count);
    return 0;
}
