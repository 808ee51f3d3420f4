// The running executable's build id, read from its program headers (no file access).
#define _GNU_SOURCE
#include "build_id.h"
#include <string.h>
#if defined(__linux__)
#include <elf.h>
#include <link.h>

typedef struct { uint8_t *out; size_t cap; size_t len; } build_id_search;

static int build_id_in_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    build_id_search *s = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE) continue;
        size_t align = ph->p_align == 8 ? 8 : 4;
        const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
            size_t name = (n->n_namesz + align - 1) & ~(align - 1), desc = (n->n_descsz + align - 1) & ~(align - 1);
            const uint8_t *name_at = p + sizeof(ElfW(Nhdr)), *desc_at = name_at + name;
            if (desc_at + n->n_descsz > end) break;
            if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(name_at, "GNU", 4) == 0 && n->n_descsz > 0) {
                s->len = n->n_descsz < s->cap ? n->n_descsz : s->cap;
                memcpy(s->out, desc_at, s->len);
                return 1;
            }
            p = desc_at + desc;
        }
    }
    return 1;  // only the first object, the executable itself
}

size_t cs_executable_build_id(uint8_t *out, size_t cap) {
    build_id_search s = {out, cap, 0};
    dl_iterate_phdr(build_id_in_object, &s);
    return s.len;
}
#else
size_t cs_executable_build_id(uint8_t *out, size_t cap) { (void)out; (void)cap; return 0; }
#endif
