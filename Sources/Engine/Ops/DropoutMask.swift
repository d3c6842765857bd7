/// Inverted dropout (Srivastava et al. 2014): each element is kept with probability 1 − p and
/// scaled by 1/(1 − p), so the expected activation equals the evaluation-time one and evaluation
/// is the identity. The mask is drawn from `rng`, so a run's masks are reproducible.
/// Backward multiplies by the same mask.
public func dropout(_ x: Var, rate p: Float, rng: inout RNG) -> Var {
    precondition(p >= 0 && p < 1, "dropout rate \(p) must lie in [0, 1)")
    if p == 0 { return x }
    var mask = Tensor(zeros: x.shape)
    mask.withUnsafeMutableBufferPointer { drawDropoutMask($0.baseAddress!, count: $0.count, rate: p, rng: &rng) }
    let y = x.value.zip(mask, *)
    return x.tape.record(y, inputs: [x]) { tape, g in
        tape.accumulate(x) { dx in g.withUnsafeBufferPointer { gp in mask.withUnsafeBufferPointer { m in
            for i in 0..<dx.count { dx[i] += gp[i] * m[i] }
        }}}
    }
}

/// Fills `count` entries with an inverted-dropout mask: 0 with probability p, else 1/(1 − p).
func drawDropoutMask(_ mask: UnsafeMutablePointer<Float>, count: Int, rate p: Float, rng: inout RNG) {
    let keep = 1 / (1 - p)
    for i in 0..<count { mask[i] = rng.uniform() < Double(p) ? 0 : keep }
}
