// glibc's mallopt is declared in <malloc.h>, which Swift's Glibc module does not import.
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
