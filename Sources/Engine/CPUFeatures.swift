import CPlatform

/// The vector instructions this processor offers and the operating system has enabled, from
/// CPUID and XGETBV; what decides which OpenBLAS kernels can run here.
public struct CPUFeatures: Sendable, Equatable {
    public var vendor: String
    public var fma: Bool
    public var avx2: Bool
    /// AVX-512 F, CD, BW, DQ and VL with the ZMM state enabled by the OS.
    public var avx512: Bool
    public var avx512bf16: Bool

    public init(vendor: String = "", fma: Bool, avx2: Bool, avx512: Bool, avx512bf16: Bool = false) {
        self.vendor = vendor
        self.fma = fma
        self.avx2 = avx2
        self.avx512 = avx512
        self.avx512bf16 = avx512bf16
    }

    public static let current: CPUFeatures = {
        var raw = repro_read_cpu_features()
        let vendor = withUnsafeBytes(of: &raw.vendor) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return CPUFeatures(vendor: vendor, fma: raw.fma != 0, avx2: raw.avx2 != 0, avx512: raw.avx512 != 0,
                           avx512bf16: raw.avx512bf16 != 0)
    }()

    public var summary: String {
        let sets = [("AVX-512", avx512), ("AVX-512 BF16", avx512bf16), ("AVX2", avx2), ("FMA", fma)].filter(\.1).map(\.0)
        return (vendor.isEmpty ? "" : vendor + ": ") + (sets.isEmpty ? "no AVX2 or AVX-512" : sets.joined(separator: ", "))
    }
}
