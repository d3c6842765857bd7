/// Elementwise arithmetic on tape variables.
///
/// Broadcasting is limited to what the models need: equal shapes, or one operand's shape being a
/// suffix of the other's (a bias over the last dimensions, a positional table over the batch).

/// Sum of `g` viewed as `[rows, n]` over its rows, into `dst[n]` (the gradient of a broadcast operand).
/// Column blocks run in parallel; each column still sums its rows in order.
func accumulateRowSums(_ g: UnsafeBufferPointer<Float>, into dst: UnsafeMutableBufferPointer<Float>) {
    let n = dst.count, rows = g.count / n
    ParallelRows.forEach(n, rowLength: rows) { cols in
        for r in 0..<rows {
            let row = g.baseAddress! + r * n
            for j in cols { dst[j] += row[j] }
        }
    }
}

private func broadcastShape(_ a: [Int], _ b: [Int], op: String) -> (out: [Int], aIsSmall: Bool, bIsSmall: Bool) {
    if a == b { return (a, false, false) }
    if b.count <= a.count && Array(a.suffix(b.count)) == b { return (a, false, true) }
    if a.count <= b.count && Array(b.suffix(a.count)) == a { return (b, true, false) }
    preconditionFailure("\(op): shapes \(a) and \(b) do not broadcast (one must be a suffix of the other)")
}

/// An elementwise binary operation, passed as a type so that `zipBroadcast` is specialised for it
/// and its loops vectorise (a function value stays an opaque call per element).
private protocol ElementwiseOperation {
    static func apply(_ a: Float, _ b: Float) -> Float
}

private enum Sum: ElementwiseOperation {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b }
}

private enum Product: ElementwiseOperation {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a * b }
}

/// Applies `Op` elementwise with suffix broadcasting; the smaller operand repeats every `small` elements.
private func zipBroadcast<Op: ElementwiseOperation>(_ a: Tensor, _ b: Tensor, _ out: [Int], _: Op.Type) -> Tensor {
    var c = Tensor(overwriting: out)
    let na = a.count, nb = b.count
    a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
        let n = pc.count
        if na == n && nb == n {
            ParallelRows.forEach(n, rowLength: 1) { block in for i in block { pc[i] = Op.apply(pa[i], pb[i]) } }
        } else if nb < n {
            // Row pointers keep the inner loop's index unchecked and simple, so it vectorises.
            ParallelRows.forEach(n / nb, rowLength: nb) { block in
                for row in block {
                    let (x, y) = (pa.baseAddress! + row * nb, pc.baseAddress! + row * nb)
                    for j in 0..<nb { y[j] = Op.apply(x[j], pb[j]) }
                }
            }
        } else {
            ParallelRows.forEach(n / na, rowLength: na) { block in
                for row in block {
                    let (x, y) = (pb.baseAddress! + row * na, pc.baseAddress! + row * na)
                    for j in 0..<na { y[j] = Op.apply(pa[j], x[j]) }
                }
            }
        }
    }}}
    return c
}

public func + (a: Var, b: Var) -> Var {
    let (out, aSmall, bSmall) = broadcastShape(a.shape, b.shape, op: "add")
    let value = zipBroadcast(a.value, b.value, out, Sum.self)
    return a.tape.record(value, inputs: [a, b]) { tape, g in
        for (v, small) in [(a, aSmall), (b, bSmall)] where tape.requiresGrad(v) {
            if small {
                tape.accumulate(v) { dst in g.withUnsafeBufferPointer { accumulateRowSums($0, into: dst) } }
            } else {
                tape.accumulate(v, g)
            }
        }
    }
}

public func - (a: Var, b: Var) -> Var { a + (-b) }

public prefix func - (a: Var) -> Var { a * -1 }

public func * (a: Var, b: Var) -> Var {
    let (out, aSmall, bSmall) = broadcastShape(a.shape, b.shape, op: "mul")
    let (va, vb) = (a.value, b.value)
    let value = zipBroadcast(va, vb, out, Product.self)
    return a.tape.record(value, inputs: [a, b]) { tape, g in
        for (v, other, small) in [(a, vb, aSmall), (b, va, bSmall)] where tape.requiresGrad(v) {
            let full = zipBroadcast(g, other, out, Product.self)
            if small {
                tape.accumulate(v) { dst in full.withUnsafeBufferPointer { accumulateRowSums($0, into: dst) } }
            } else {
                tape.accumulate(v, full)
            }
        }
    }
}

public func * (a: Var, s: Float) -> Var {
    let value = a.value.map { $0 * s }
    return a.tape.record(value, inputs: [a]) { tape, g in tape.accumulate(a, g.map { $0 * s }) }
}

public func * (s: Float, a: Var) -> Var { a * s }

public func + (a: Var, s: Float) -> Var {
    a.tape.record(a.value.map { $0 + s }, inputs: [a]) { tape, g in tape.accumulate(a, g) }
}

extension Tensor {
    /// Elementwise map into a new tensor.
    @inlinable
    public func map(_ f: (Float) -> Float) -> Tensor {
        var out = Tensor(overwriting: shape)
        withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { dst in
            for i in 0..<src.count { dst[i] = f(src[i]) }
        }}
        return out
    }

    /// Elementwise combination of two equal-shape tensors.
    @inlinable
    public func zip(_ other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(other.shape == shape, "zip of shapes \(shape) and \(other.shape)")
        var out = Tensor(overwriting: shape)
        withUnsafeBufferPointer { a in other.withUnsafeBufferPointer { b in out.withUnsafeMutableBufferPointer { c in
            for i in 0..<a.count { c[i] = f(a[i], b[i]) }
        }}}
        return out
    }
}
