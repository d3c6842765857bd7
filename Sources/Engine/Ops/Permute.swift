extension Tensor {
    /// The tensor with its axes reordered: output axis i is input axis `axes[i]` (a copy).
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.count == rank && Set(axes) == Set(0..<rank),
                     "permuted(\(axes)) is not a permutation of the \(rank) axes of \(shape)")
        let outShape = axes.map { shape[$0] }
        var out = Tensor(overwriting: outShape)
        if count == 0 { return out }
        let inStrides = strides
        // Input stride of each output axis; the walk below visits output elements in row-major order.
        let stepOf = axes.map { inStrides[$0] }
        let last = rank - 1
        withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { dst in
            if rank == 0 { dst[0] = src[0]; return }
            var index = [Int](repeating: 0, count: rank)
            var base = 0, o = 0
            let innerN = outShape[last], innerStep = stepOf[last]
            while o < dst.count {
                for j in 0..<innerN { dst[o + j] = src[base + j * innerStep] }
                o += innerN
                var axis = last - 1
                while axis >= 0 {
                    index[axis] += 1
                    base += stepOf[axis]
                    if index[axis] < outShape[axis] { break }
                    base -= stepOf[axis] * outShape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }}
        return out
    }
}

extension Var {
    /// Axis permutation (e.g. `[0, 2, 1, 3]` turns `[B,T,H,D]` into `[B,H,T,D]` for attention).
    /// Backward permutes the gradient by the inverse permutation.
    public func permuted(_ axes: [Int]) -> Var {
        var inverse = [Int](repeating: 0, count: axes.count)
        for (i, a) in axes.enumerated() { inverse[a] = i }
        return tape.record(value.permuted(axes), inputs: [self]) { tape, g in
            tape.accumulate(self, g.permuted(inverse))
        }
    }

    /// Swaps two axes.
    public func transposed(_ a: Int, _ b: Int) -> Var {
        var axes = Array(0..<shape.count)
        axes.swapAt(a, b)
        return permuted(axes)
    }
}
