/// Batch normalisation (Ioffe & Szegedy 2015) of x `[N, C, ...]` per channel c, over the M = N·S
/// values x[n, c, s] (S the product of the trailing axes: H·W for NCHW images, 1 for `[N, C]`):
/// x̂ = (x − μ_c)/√(σ²_c + ε), y = γ_c x̂ + β_c.
///
/// Memory is NCHW, so channel c of image n is one contiguous plane of S values; every loop below
/// walks planes with unsafe pointers. The reductions keep eight partial sums (`SIMD8`): LLVM may not
/// reorder a float sum, so a plain loop would stay scalar and latency-bound, and the eight
/// interleaved sums also round less than one running sum. Plane sums are then added in Double.
/// Channels are independent and run in parallel (`ParallelRows`); a channel's sums never split.

/// The planes of x `[N, C, ...]`: plane (n, c) holds S contiguous values at `(n·C + c)·S`.
private struct ChannelPlanes {
    let batch: Int, channels: Int, spatial: Int
    /// Values per channel, M = N·S.
    var perChannel: Int { batch * spatial }

    init(_ shape: [Int], gain: [Int], bias: [Int], op: String) {
        precondition(shape.count >= 2, "\(op): input \(shape) must be [N, C] or [N, C, H, W]")
        batch = shape[0]
        channels = shape[1]
        spatial = shape.dropFirst(2).reduce(1, *)
        precondition(gain == [channels] && bias == [channels],
                     "\(op): gain \(gain) and bias \(bias) must be [\(channels)] for input \(shape)")
    }

    @inline(__always) func plane(_ n: Int, _ c: Int) -> Int { (n * channels + c) * spatial }

    /// Σ dy and Σ dy ⊙ (x − μ) over channel c's M values (`g` and `x` point at the whole
    /// tensors): the reductions that dγ, dβ and the training dx need. With a `mask` (a following
    /// ReLU's output), dy counts only where the output is positive.
    @inline(__always)
    func gradientSums(channel c: Int, _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, mean: Float,
                      mask: UnsafePointer<Float>? = nil) -> (Float, Float) {
        var sg: Double = 0, sgx: Double = 0
        for n in 0..<batch {
            let o = plane(n, c)
            let (a, b) = planeGradientSums(g + o, x + o, spatial, mean: mean, mask: mask.map { $0 + o })
            sg += Double(a); sgx += Double(b)
        }
        return (Float(sg), Float(sgx))
    }

    /// The gradient sums of every channel, interleaved as `[Σdy₀, Σdy₀(x−μ₀), Σdy₁, …]`.
    func gradientSums(_ g: Tensor, _ x: Tensor, mean: Tensor) -> [Float] {
        var sums = [Float](repeating: 0, count: 2 * channels)
        g.withUnsafeBufferPointer { gb in x.withUnsafeBufferPointer { xb in mean.withUnsafeBufferPointer { mp in
            sums.withUnsafeMutableBufferPointer { sums in ParallelRows.forEach(channels, rowLength: perChannel) { block in for c in block {
                (sums[2 * c], sums[2 * c + 1]) = gradientSums(channel: c, gb.baseAddress!, xb.baseAddress!, mean: mp[c])
            }}}
        }}}
        return sums
    }

    /// dγ_c += r_c · Σ dy ⊙ (x − μ_c) (that is Σ dy ⊙ x̂) and dβ_c += Σ dy, from `gradientSums`'
    /// interleaved sums and r = 1/√(σ² + ε): the same in training and with given statistics.
    func accumulateAffineGradients(_ tape: Tape, gain: Var, bias: Var, sums: [Float], rstd: Tensor) {
        tape.accumulate(gain) { dg in rstd.withUnsafeBufferPointer { rp in
            for c in 0..<channels { dg[c] += sums[2 * c + 1] * rp[c] }
        }}
        tape.accumulate(bias) { db in for c in 0..<channels { db[c] += sums[2 * c] } }
    }
}

/// Σ p[i] over n values.
@inline(__always)
private func planeSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    let lanes = n / 8 * 8
    for i in stride(from: 0, to: lanes, by: 8) { acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self) }
    var s = acc.sum()
    for i in lanes..<n { s += p[i] }
    return s
}

/// Σ (p[i] − μ)² over n values: the two-pass variance (as PyTorch's CPU kernel computes it), which
/// does not lose the variance to cancellation when |μ| ≫ σ as E[x²] − μ² would.
@inline(__always)
private func planeSquaredDeviation(_ p: UnsafePointer<Float>, _ n: Int, mean: Float) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    let mu = SIMD8<Float>(repeating: mean)
    let lanes = n / 8 * 8
    for i in stride(from: 0, to: lanes, by: 8) {
        let d = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self) - mu
        acc += d * d
    }
    var s = acc.sum()
    for i in lanes..<n { let d = p[i] - mean; s += d * d }
    return s
}

/// (Σ g[i], Σ g[i]·(x[i] − μ)) over n values: the two reductions of the backward pass in one sweep;
/// with a mask (a following ReLU's output y), g[i] counts only where y[i] > 0.
@inline(__always)
private func planeGradientSums(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int,
                               mean: Float, mask: UnsafePointer<Float>?) -> (Float, Float) {
    var sumG = SIMD8<Float>(repeating: 0), sumGX = SIMD8<Float>(repeating: 0)
    let mu = SIMD8<Float>(repeating: mean), zero = SIMD8<Float>(repeating: 0)
    let lanes = n / 8 * 8
    for i in stride(from: 0, to: lanes, by: 8) {
        var gi = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
        if let mask { gi = zero.replacing(with: gi, where: UnsafeRawPointer(mask + i).loadUnaligned(as: SIMD8<Float>.self) .> zero) }
        sumG += gi
        sumGX += gi * (UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self) - mu)
    }
    var (sg, sgx) = (sumG.sum(), sumGX.sum())
    for i in lanes..<n {
        let gi = mask.map { $0[i] > 0 ? g[i] : 0 } ?? g[i]
        sg += gi; sgx += gi * (x[i] - mean)
    }
    return (sg, sgx)
}

/// y = a·x + b over n values (the affine form every output and input gradient here takes), plus
/// r when given, then ReLU's max(y, 0) when `relu`: each step the rounding of the separate op.
@inline(__always)
private func planeAffine(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, scale a: Float, shift b: Float,
                         adding r: UnsafePointer<Float>? = nil, relu: Bool = false) {
    switch (r, relu) {
    case (let r?, true): for i in 0..<n { let v = (x[i] * a + b) + r[i]; y[i] = v > 0 ? v : 0 }
    case (let r?, false): for i in 0..<n { y[i] = (x[i] * a + b) + r[i] }
    case (nil, true): for i in 0..<n { let v = x[i] * a + b; y[i] = v > 0 ? v : 0 }
    case (nil, false): for i in 0..<n { y[i] = x[i] * a + b }
    }
}

/// Training-mode batch normalisation: normalises with the batch's own mean and biased variance
/// (dividing by M, as `torch.nn.BatchNorm2d` does in training) and returns them, so a layer can
/// update its running statistics.
///
/// Fused backward, per channel with r = 1/√(σ² + ε), sums over the channel's M values:
/// dγ = Σ dy ⊙ x̂, dβ = Σ dy, dx = γr (dy − Σdy/M − x̂ · Σ(dy ⊙ x̂)/M).
/// Writing x̂ = (x − μ)r turns dx into a·dy + b·(x − μ) + c with per-channel a, b, c, so the
/// backward is one reduction sweep and one writing sweep, and only μ and r are stored (x̂ is not
/// kept: it would double the activation memory of every normalised layer). The forward computes
/// y = x·γr + (β − μγr) as PyTorch's CPU kernel does, one multiply-add per element.
///
/// With `relu`, the output is ReLU(y), the unit conv → BN → ReLU of a ResNet: the ReLU is applied
/// in the writing sweep and its derivative (dy where the output is positive) inside the backward's
/// two sweeps, saving a pass over the activations each way.
///
/// With a `residual` r (x's shape), the output is y + r, then ReLU when `relu`: the end of a
/// residual block, ReLU(BN(conv(h)) + shortcut), without the add's and the ReLU's own passes over
/// the activations, forward and backward. r's gradient is dy, masked by the ReLU when there is one.
public func batchNorm(_ x: Var, gain: Var, bias: Var, eps: Float = 1e-5, adding residual: Var? = nil,
                      relu: Bool = false) -> (output: Var, mean: Tensor, variance: Tensor) {
    let layout = ChannelPlanes(x.shape, gain: gain.shape, bias: bias.shape, op: "batchNorm")
    let (batch, channels, spatial) = (layout.batch, layout.channels, layout.spatial)
    precondition(layout.perChannel > 1, "batchNorm: training needs more than one value per channel, input is \(x.shape)")
    if let residual { precondition(residual.shape == x.shape, "batchNorm: residual \(residual.shape) must have the input's shape \(x.shape)") }
    let m = Double(layout.perChannel)
    let xv = x.value, gainValue = gain.value
    var mean = Tensor(overwriting: [channels]), variance = Tensor(overwriting: [channels])
    var rstd = Tensor(overwriting: [channels])
    var y = Tensor(overwriting: x.shape)
    xv.withUnsafeBufferPointer { xb in gainValue.withUnsafeBufferPointer { gp in bias.value.withUnsafeBufferPointer { bp in
        mean.withUnsafeMutableBufferPointer { mp in variance.withUnsafeMutableBufferPointer { vp in
            rstd.withUnsafeMutableBufferPointer { rp in y.withUnsafeMutableBufferPointer { yb in (residual?.value).withUnsafePointer { rv in
                let (xp, yp) = (xb.baseAddress!, yb.baseAddress!)
                ParallelRows.forEach(channels, rowLength: layout.perChannel) { block in for c in block {
                    var sum: Double = 0
                    for n in 0..<batch { sum += Double(planeSum(xp + layout.plane(n, c), spatial)) }
                    let mu = Float(sum / m)
                    var squares: Double = 0
                    for n in 0..<batch { squares += Double(planeSquaredDeviation(xp + layout.plane(n, c), spatial, mean: mu)) }
                    let sigma2 = Float(squares / m)
                    let r = 1 / (sigma2 + eps).squareRoot()
                    (mp[c], vp[c], rp[c]) = (mu, sigma2, r)
                    let scale = gp[c] * r
                    for n in 0..<batch {
                        let o = layout.plane(n, c)
                        planeAffine(xp + o, yp + o, spatial, scale: scale, shift: bp[c] - mu * scale,
                                    adding: rv.map { $0 + o }, relu: relu)
                    }
                }}
            }}}
        }}
    }}}
    let inputs = [x, gain, bias] + (residual.map { [$0] } ?? [])
    let output = x.tape.record(y, inputs: inputs) { [mean, rstd, y] tape, g in
        if let residual, !relu { tape.accumulate(residual, g) }
        // Own buffers, which the tape keeps as the gradients when no other op adds to them (a
        // convolution's output), rather than zeroed buffers added into: one pass less over each.
        var dx = tape.requiresGrad(x) ? Tensor(overwriting: x.shape) : nil
        var dr = relu && residual.map(tape.requiresGrad) == true ? Tensor(overwriting: x.shape) : nil
        var sums = [Float](repeating: 0, count: 2 * channels)
        sums.withUnsafeMutableBufferPointer { sums in dx.withUnsafeMutablePointer { dx in dr.withUnsafeMutablePointer { dr in
            g.withUnsafeBufferPointer { gb in xv.withUnsafeBufferPointer { xb in y.withUnsafeBufferPointer { yb in
                gainValue.withUnsafeBufferPointer { gp in mean.withUnsafeBufferPointer { mp in rstd.withUnsafeBufferPointer { rp in
                    let invM = Float(1 / m), mask = relu ? yb.baseAddress! : nil
                    // Each channel's reductions, then at once its writing sweep, which finds the
                    // channel's g, x and y still in cache: a reduction sweep over all channels
                    // first sent the tensors through memory twice.
                    ParallelRows.forEach(channels, rowLength: layout.perChannel) { block in for c in block {
                        let (sg, sgx) = layout.gradientSums(channel: c, gb.baseAddress!, xb.baseAddress!, mean: mp[c], mask: mask)
                        (sums[2 * c], sums[2 * c + 1]) = (sg, sgx)
                        guard dx != nil || dr != nil else { continue }
                        let r = rp[c], a = gp[c] * r
                        let b = -a * r * r * sgx * invM
                        let shift = -a * sg * invM, mu = mp[c]
                        for n in 0..<batch {
                            let o = layout.plane(n, c)
                            let (gi, xi, yi) = (gb.baseAddress! + o, xb.baseAddress! + o, yb.baseAddress! + o)
                            // g loaded whatever the mask, so that the loop is vectorised.
                            if let dri = dr.map({ $0 + o }) { for i in 0..<spatial { let gv = gi[i]; dri[i] = yi[i] > 0 ? gv : 0 } }
                            guard let di = dx.map({ $0 + o }) else { continue }
                            if relu {
                                for i in 0..<spatial { di[i] = a * (yi[i] > 0 ? gi[i] : 0) + b * (xi[i] - mu) + shift }
                            } else {
                                for i in 0..<spatial { di[i] = a * gi[i] + b * (xi[i] - mu) + shift }
                            }
                        }
                    }}
                }}}
            }}}
        }}}
        layout.accumulateAffineGradients(tape, gain: gain, bias: bias, sums: sums, rstd: rstd)
        if let dx { tape.accumulate(x, dx) }
        if let residual, let dr { tape.accumulate(residual, dr) }
    }
    return (output, mean, variance)
}

/// Evaluation-mode batch norm as the affine map it is per channel, y = a·x + b with
/// a = γ/√(σ² + ε) and b = β − μ·a; `batchNorm` with statistics applies it, and so does a
/// convolution that applies it as it writes its output (`ConvEpilogue`), with the same bits.
func batchNormAffine(gain: Tensor, bias: Tensor, mean: Tensor, variance: Tensor, eps: Float) -> (scale: [Float], shift: [Float]) {
    let scale = (0..<gain.count).map { c in gain[flat: c] * (1 / (variance[flat: c] + eps).squareRoot()) }
    return (scale, (0..<gain.count).map { c in bias[flat: c] - mean[flat: c] * scale[c] })
}

/// Evaluation-mode batch normalisation with given statistics (a layer's running mean and
/// variance): y = γ (x − μ)/√(σ² + ε) + β, an affine map of x per channel. Differentiable in x,
/// γ and β; the statistics are constants. Backward: dx = dy ⊙ γ/√(σ² + ε),
/// dγ = Σ dy ⊙ (x − μ)/√(σ² + ε), dβ = Σ dy.
public func batchNorm(_ x: Var, gain: Var, bias: Var, mean: Tensor, variance: Tensor, eps: Float = 1e-5) -> Var {
    let layout = ChannelPlanes(x.shape, gain: gain.shape, bias: bias.shape, op: "batchNorm")
    let (batch, channels, spatial) = (layout.batch, layout.channels, layout.spatial)
    precondition(mean.shape == [channels] && variance.shape == [channels],
                 "batchNorm: mean \(mean.shape) and variance \(variance.shape) must be [\(channels)] for input \(x.shape)")
    let xv = x.value, gainValue = gain.value
    let rstd = variance.map { 1 / ($0 + eps).squareRoot() }
    let (scales, shifts) = batchNormAffine(gain: gainValue, bias: bias.value, mean: mean, variance: variance, eps: eps)
    var y = Tensor(overwriting: x.shape)
    xv.withUnsafeBufferPointer { xb in scales.withUnsafeBufferPointer { ap in shifts.withUnsafeBufferPointer { bp in
        y.withUnsafeMutableBufferPointer { yb in
            ParallelRows.forEach(channels, rowLength: layout.perChannel) { block in for c in block {
                for n in 0..<batch {
                    let o = layout.plane(n, c)
                    planeAffine(xb.baseAddress! + o, yb.baseAddress! + o, spatial, scale: ap[c], shift: bp[c])
                }
            }}
        }
    }}}
    return x.tape.record(y, inputs: [x, gain, bias]) { tape, g in
        // dx needs no reduction here, so the sweep for dγ and dβ runs only when one is wanted.
        let sums = tape.requiresGrad(gain) || tape.requiresGrad(bias)
            ? layout.gradientSums(g, xv, mean: mean) : []
        layout.accumulateAffineGradients(tape, gain: gain, bias: bias, sums: sums, rstd: rstd)
        tape.accumulate(x) { dx in
            g.withUnsafeBufferPointer { gb in gainValue.withUnsafeBufferPointer { gp in rstd.withUnsafeBufferPointer { rp in
                ParallelRows.forEach(channels, rowLength: layout.perChannel) { block in for c in block {
                    let scale = gp[c] * rp[c]
                    for n in 0..<batch {
                        let o = layout.plane(n, c)
                        let (gi, di) = (gb.baseAddress! + o, dx.baseAddress! + o)
                        for i in 0..<spatial { di[i] += scale * gi[i] }
                    }
                }}
            }}}
        }
    }
}
