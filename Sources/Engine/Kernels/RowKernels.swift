import Dispatch

/// Reductions over a row written with 16-wide vectors, so they run as SIMD code (a scalar loop
/// carrying one float accumulator cannot be vectorised without reordering its additions). The
/// order of additions is fixed by the row length alone: the same row always gives the same bits.
public enum RowKernels {
    public static func max(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var best = SIMD16<Float>(repeating: -.infinity)
        var j = 0
        while j + 16 <= n {
            // A compare-and-select: `pointwiseMax` handles NaN lane by lane and does not vectorise.
            let v = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD16<Float>.self)
            best.replace(with: v, where: v .> best)
            j += 16
        }
        var m = best.max()
        while j < n { m = Swift.max(m, x[j]); j += 1 }
        return m
    }

    public static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        var j = 0
        while j + 16 <= n {
            acc += UnsafeRawPointer(x + j).loadUnaligned(as: SIMD16<Float>.self)
            j += 16
        }
        var s = acc.sum()
        while j < n { s += x[j]; j += 1 }
        return s
    }

    /// Σ xᵢyᵢ accumulated in Double over 16-wide float products (for norms and inner products of
    /// whole parameter vectors, where float accumulation over millions of terms loses digits).
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Double {
        var total = 0.0
        var i = 0
        while i + 16 <= n {
            let a = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            let b = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
            total += Double((a * b).sum())
            i += 16
        }
        while i < n { total += Double(x[i]) * Double(y[i]); i += 1 }
        return total
    }
}

/// Work split over rows across `BLAS.threads` threads (the share of the machine the runner gave
/// this run). Rows are handed out in fixed contiguous blocks and each row's result depends on that
/// row alone, so the output is bit-identical for any thread count.
public enum ParallelRows {
    /// Calls `body` on disjoint ranges covering 0..<rows of `rowLength` elements each. A block gets
    /// at least 2¹⁶ elements: below that, waking a second thread costs more than it saves (an MLP's
    /// [128, 10] logits stay on one thread, a recommender's [256, 23716] block does not).
    public static func forEach(_ rows: Int, rowLength: Int, _ body: (Range<Int>) -> Void) {
        let minimumRows = Swift.max(1, (1 << 16) / Swift.max(rowLength, 1))
        let threads = Swift.min(BLAS.threads, Swift.max(1, rows / minimumRows))
        guard threads > 1 else { body(0..<rows); return }
        let block = (rows + threads - 1) / threads
        DispatchQueue.concurrentPerform(iterations: threads) { i in
            let start = i * block
            if start < rows { body(start..<Swift.min(rows, start + block)) }
        }
    }
}

/// Independent pieces of work `0..<count` shared by up to `BLAS.threads` threads, thread j taking
/// pieces j, j + threads, …; for work whose pieces are fixed in advance (`GEMMPartition`), so the
/// result does not depend on which thread ran which piece.
public enum ParallelPieces {
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        let threads = Swift.min(BLAS.threads, count)
        guard threads > 1 else { for i in 0..<count { body(i) }; return }
        DispatchQueue.concurrentPerform(iterations: threads) { j in
            for i in Swift.stride(from: j, to: count, by: threads) { body(i) }
        }
    }
}
