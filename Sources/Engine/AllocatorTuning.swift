#if canImport(CMalloc)
import CMalloc
#endif

/// Process-wide heap settings for training loops; call once at start-up of an executable.
///
/// A training step frees and reallocates tensors of the same sizes every step. With glibc's
/// defaults, buffers above its (adaptive, at most 32 MiB) mmap threshold are fresh mappings and
/// freed memory at the top of the heap is returned to the OS, so every step pays page faults and
/// kernel zeroing for memory it just released: measured on the decoder benchmark this was about
/// 40 % of a step. Raising both thresholds keeps freed buffers in the heap for reuse. It is a
/// process setting, so it lives with the executables (`repro`, `EngineBenchmark`), not in the
/// library's code paths. No-op where `mallopt` does not exist.
public enum AllocatorTuning {
    /// Largest mmap threshold glibc accepts on 64-bit targets.
    static let mmapThreshold: Int32 = 32 << 20
    static let trimThreshold: Int32 = 1 << 30

    public static func keepFreedMemoryForReuse() {
        #if canImport(CMalloc) && os(Linux)
        _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
        _ = mallopt(M_TRIM_THRESHOLD, trimThreshold)
        #endif
    }
}
