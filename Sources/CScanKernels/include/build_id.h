#ifndef CS_BUILD_ID_H
#define CS_BUILD_ID_H
#include <stddef.h>
#include <stdint.h>

/// Copies the running executable's GNU build id (the linker's hash of its contents, `.note.gnu.build-id`) into
/// `out` (at most `cap` bytes); returns its length, or 0 when the executable has none.
size_t cs_executable_build_id(uint8_t *out, size_t cap);

#endif
