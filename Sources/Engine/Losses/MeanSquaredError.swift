/// Mean squared error mean((ŷ − y)²), the convention of PyTorch's `MSELoss`.
public func meanSquaredError(_ prediction: Var, _ target: Tensor) -> Var {
    precondition(prediction.value.count == target.count, "meanSquaredError: prediction \(prediction.shape) vs target \(target.shape)")
    let diff = prediction.value.reshaped([target.count]).zip(target.reshaped([target.count]), -)
    let n = Float(target.count)
    let loss = diff.withUnsafeBufferPointer { d in d.reduce(Float(0)) { $0 + $1 * $1 } } / n
    return prediction.tape.record(Tensor(scalar: loss), inputs: [prediction]) { tape, g in
        let s = 2 * g.item / n
        tape.accumulate(prediction) { dx in diff.withUnsafeBufferPointer { d in
            for i in 0..<dx.count { dx[i] += s * d[i] }
        }}
    }
}
