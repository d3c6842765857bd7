/// TopK sparsification: keep the k coordinates of largest magnitude, zero the rest.
///
/// Ties in magnitude go to the lower index, so the result is deterministic. Selection is an
/// introselect over indices (expected O(d)), not a sort. Message: k values (32 bits) plus k indices
/// (⌈log₂ d⌉ bits each).
public struct TopK: Compressor {
    public enum Amount: Sendable, Equatable {
        case count(Int)
        /// A fraction of d, rounded up, at least 1.
        case fraction(Double)
    }

    public let amount: Amount
    private var order: [Int32] = []

    public init(_ amount: Amount) {
        switch amount {
        case .count(let k): precondition(k >= 1, "TopK needs k ≥ 1, got \(k)")
        case .fraction(let f): precondition(f > 0 && f <= 1, "TopK fraction must be in (0, 1], got \(f)")
        }
        self.amount = amount
    }

    public func k(dimension d: Int) -> Int {
        switch amount {
        case .count(let k): return Swift.min(k, d)
        case .fraction(let f): return Swift.max(1, Swift.min(d, Int((f * Double(d)).rounded(.up))))
        }
    }

    public mutating func compress(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, rng: inout RNG) -> Int {
        let d = input.count, k = self.k(dimension: d)
        for i in 0..<d { output[i] = 0 }
        withLargest(input, k: k) { kept in for i in kept { output[Int(i)] = input[Int(i)] } }
        return k * (32 + indexBits(dimension: d))
    }

    /// Calls `body` with the indices of the `k` entries of largest magnitude (ties go to the lower
    /// index), in no particular order.
    public mutating func withLargest<R>(_ input: UnsafeBufferPointer<Float>, k: Int, _ body: (UnsafeBufferPointer<Int32>) -> R) -> R {
        let d = input.count
        if order.count != d { order = (0..<d).map(Int32.init) } else { for i in 0..<d { order[i] = Int32(i) } }
        // a ranks before b when |a| is larger, or equal with the lower index.
        func before(_ a: Int32, _ b: Int32) -> Bool {
            let (ma, mb) = (abs(input[Int(a)]), abs(input[Int(b)]))
            return ma > mb || (ma == mb && a < b)
        }
        return order.withUnsafeMutableBufferPointer { idx in
            var lo = 0, hi = d - 1
            // Quickselect with median-of-three pivots until position k−1 splits the top k from the rest.
            while lo < hi {
                let mid = lo + (hi - lo) / 2
                if before(idx[mid], idx[lo]) { idx.swapAt(mid, lo) }
                if before(idx[hi], idx[lo]) { idx.swapAt(hi, lo) }
                if before(idx[hi], idx[mid]) { idx.swapAt(hi, mid) }
                let pivot = idx[mid]
                var i = lo, j = hi
                while i <= j {
                    while before(idx[i], pivot) { i += 1 }
                    while before(pivot, idx[j]) { j -= 1 }
                    if i <= j { idx.swapAt(i, j); i += 1; j -= 1 }
                }
                if k - 1 <= j { hi = j } else if k - 1 >= i { lo = i } else { break }
            }
            return body(UnsafeBufferPointer(rebasing: idx[0..<k]))
        }
    }
}
