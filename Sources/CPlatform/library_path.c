#define _GNU_SOURCE
#include "library_path.h"
#include <dlfcn.h>
#include <stddef.h>

const char *repro_library_path_of(const void *symbol) {
    Dl_info info;
    if (!symbol || dladdr(symbol, &info) == 0) return NULL;
    return info.dli_fname;
}
