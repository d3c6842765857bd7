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
