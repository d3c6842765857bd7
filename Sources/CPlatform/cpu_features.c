#include "cpu_features.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

// XCR0: which register state the OS saves on context switches. A CPU can report AVX-512 while the
// OS (or a hypervisor) leaves the ZMM state disabled; such instructions would then fault.
static unsigned long long read_xcr0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}
#endif

struct repro_cpu_features repro_read_cpu_features(void) {
    struct repro_cpu_features f;
    memset(&f, 0, sizeof f);
#if defined(__x86_64__) || defined(__i386__)
    unsigned int a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return f;
    unsigned int max_leaf = a;
    memcpy(f.vendor, &b, 4);
    memcpy(f.vendor + 4, &d, 4);
    memcpy(f.vendor + 8, &c, 4);

    if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx) return f;
    unsigned long long xcr0 = read_xcr0();
    int os_ymm = (xcr0 & 0x6) == 0x6;         // SSE and AVX state
    int os_zmm = (xcr0 & 0xe6) == 0xe6;       // plus opmask, ZMM0-15 upper halves, ZMM16-31
    if (!os_ymm || max_leaf < 7) return f;
    f.fma = (c >> 12) & 1;

    __get_cpuid_count(7, 0, &a, &b, &c, &d);
    f.avx2 = (b >> 5) & 1;
    int avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1, avx512cd = (b >> 28) & 1;
    int avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    f.avx512 = os_zmm && avx512f && avx512dq && avx512cd && avx512bw && avx512vl;
    if (f.avx512) {
        __get_cpuid_count(7, 1, &a, &b, &c, &d);
        f.avx512bf16 = (a >> 5) & 1;
    }
#endif
    return f;
}
