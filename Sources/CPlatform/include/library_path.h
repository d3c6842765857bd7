#ifndef REPRO_LIBRARY_PATH_H
#define REPRO_LIBRARY_PATH_H

/// The file of the shared object that defines `symbol` (dladdr, a GNU extension that Swift's Glibc
/// module does not declare), or NULL.
const char *repro_library_path_of(const void *symbol);

#endif
