#ifndef REPRO_CPU_FEATURES_H
#define REPRO_CPU_FEATURES_H

/// What the processor offers *and* the operating system has enabled (XSAVE state), as CPUID and
/// XGETBV report them. All zero on processors other than x86.
struct repro_cpu_features {
    char vendor[13];
    int fma;
    int avx2;
    /// AVX-512 F, CD, BW, DQ and VL together: what OpenBLAS's SkylakeX kernels need.
    int avx512;
    int avx512bf16;
};

struct repro_cpu_features repro_read_cpu_features(void);

#endif
