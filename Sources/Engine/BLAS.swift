import Foundation
import Synchronization

/// Thin wrappers over OpenBLAS (`BLASLibrary.shared`, loaded on first use); every matrix product
/// in the engine goes through `gemm`.
public enum BLAS {
    /// The loaded library, its version and the kernel it runs.
    public static var library: BLASLibrary { BLASLibrary.shared }

    private static let threadBudget = Atomic<Int>(defaultThreads)

    /// Threads the engine's kernels may use: GEMM pieces (`GEMMPartition`) and row-parallel work
    /// (`ParallelRows`). OpenBLAS itself always runs single-threaded, so results do not depend on
    /// this number. Defaults to `OPENBLAS_NUM_THREADS` when set, else the core count.
    public static var threads: Int {
        get { threadBudget.load(ordering: .relaxed) }
        set { threadBudget.store(Swift.max(1, newValue), ordering: .relaxed) }
    }

    private static var defaultThreads: Int {
        if let value = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"].flatMap(Int.init), value > 0 { return value }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    /// C[m×n] = α·op(A)·op(B) + β·C, all row-major; the pieces of `GEMMPartition` run in parallel.
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let lib = library
        func call(_ m: Int, _ n: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) {
            // CBLAS's enum values: row-major 101, no transpose 111, transpose 112.
            lib.sgemm(101, transposeA ? 112 : 111, transposeB ? 112 : 111,
                      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
        guard m > 0 && n > 0 else { return }
        let plan = GEMMPartition(m: m, n: n, k: k)
        guard plan.pieces > 1 else { call(m, n, a, b, c); return }
        ParallelPieces.forEach(plan.pieces) { i in
            if plan.alongRows {
                let rows = plan.range(i, extent: m)
                call(rows.count, n, a + rows.lowerBound * (transposeA ? 1 : lda), b, c + rows.lowerBound * ldc)
            } else {
                let cols = plan.range(i, extent: n)
                call(m, cols.count, a, b + cols.lowerBound * (transposeB ? ldb : 1), c + cols.lowerBound)
            }
        }
    }

    /// y = α·x + y, in element blocks over `threads` threads (elementwise, so the same bits for any count).
    public static func axpy(_ n: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        let lib = library
        ParallelRows.forEach(n, rowLength: 1) { block in
            lib.saxpy(Int32(block.count), alpha, x + block.lowerBound, 1, y + block.lowerBound, 1)
        }
    }

    public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        library.sdot(Int32(n), x, 1, y, 1)
    }

    public static func norm2(_ n: Int, _ x: UnsafePointer<Float>) -> Float {
        library.snrm2(Int32(n), x, 1)
    }
}

extension Tensor {
    /// Matrix product of the last two dimensions.
    ///
    /// - `[M,K]·[K,N]`: one GEMM.
    /// - `[..., M, K]·[K, N]`: the leading dimensions fold into M (one GEMM, no copy).
    /// - `[B..., M, K]·[B..., K, N]`: one GEMM per batch entry.
    /// Transposes apply to the last two dimensions of the operand.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank >= 2 && b.rank >= 2, "matmul needs rank ≥ 2, got \(a.shape) and \(b.shape)")
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let m = transposeA ? ac : ar, k = transposeA ? ar : ac
        let kb = transposeB ? bc : br, n = transposeB ? br : bc
        precondition(k == kb, "matmul inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")

        if b.rank == 2 && !transposeA {
            let lead = Array(a.shape.dropLast(2))
            let rows = lead.reduce(1, *) * m
            var c = Tensor(overwriting: lead + [m, n])
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                BLAS.gemm(transposeA: false, transposeB: transposeB, m: rows, n: n, k: k,
                          a: pa.baseAddress!, lda: ac, b: pb.baseAddress!, ldb: bc, c: pc.baseAddress!, ldc: n)
            }}}
            return c
        }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        precondition(batchA == batchB, "batched matmul needs equal batch dimensions, got \(a.shape) and \(b.shape)")
        let batch = batchA.reduce(1, *)
        var c = Tensor(overwriting: batchA + [m, n])
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            for i in 0..<batch {
                BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                          a: pa.baseAddress! + i * ar * ac, lda: ac,
                          b: pb.baseAddress! + i * br * bc, ldb: bc,
                          c: pc.baseAddress! + i * m * n, ldc: n)
            }
        }}}
        return c
    }
}
