/// Which OpenBLAS kernel ("core") the engine should ask for, given what OpenBLAS chose by itself.
///
/// OpenBLAS built with DYNAMIC_ARCH (Debian's) picks its kernels from a table of known CPU models;
/// a model it does not know (new processors, or virtual machines that report a generic model)
/// falls back to Prescott, an SSE3 kernel that runs sgemm 3–5× slower than the AVX-512 one on the
/// same CPU. The choice is ranked by the widest vectors a kernel's sgemm uses: when OpenBLAS chose
/// below what the processor supports, the engine asks for the best kernel the processor can run.
/// A user's own `OPENBLAS_CORETYPE` is never second-guessed.
public enum BLASKernelChoice {
    public enum Tier: Int, Comparable, Sendable, CustomStringConvertible {
        case generic, avx2, avx512
        public static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }
        public var description: String { ["generic (SSE)", "AVX2", "AVX-512"][rawValue] }
    }

    /// The tier of an OpenBLAS core name as `openblas_get_corename` spells it (any case).
    public static func tier(ofCore name: String) -> Tier {
        switch name.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": return .avx512
        case "haswell", "zen": return .avx2
        default: return .generic
        }
    }

    public static func tier(of cpu: CPUFeatures) -> Tier {
        if cpu.avx512 { return .avx512 }
        if cpu.avx2 && cpu.fma { return .avx2 }
        return .generic
    }

    /// Cores to try, best first, on a processor of this tier (Cooperlake adds bf16 kernels to
    /// SkylakeX's, so it needs AVX-512 BF16); Haswell is the fallback if an AVX-512 kernel fails
    /// its check.
    public static func candidates(for cpu: CPUFeatures) -> [String] {
        switch tier(of: cpu) {
        case .avx512: return (cpu.avx512bf16 ? ["Cooperlake"] : []) + ["SkylakeX", "Haswell"]
        case .avx2: return ["Haswell"]
        case .generic: return []
        }
    }

    /// The cores to try instead of OpenBLAS's own choice `chosen` (empty: keep it).
    public static func replacements(chosen: String, cpu: CPUFeatures, userCoreType: String?) -> [String] {
        if let user = userCoreType, !user.isEmpty { return [] }
        let own = tier(ofCore: chosen)
        return candidates(for: cpu).filter { tier(ofCore: $0) > own }
    }
}
