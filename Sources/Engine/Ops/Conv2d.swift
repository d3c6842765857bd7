/// 2-D convolution (cross-correlation, as in PyTorch's `Conv2d`) of x `[N, C, H, W]` with weight
/// `[F, C, kH, kW]` and bias `[F]`, zero padding on all sides, giving `[N, F, outH, outW]`.
///
/// Output channels in multiples of 16 (every ResNet layer) go through `ImplicitGEMMConv` for the
/// forward pass and the weight gradient, input channels in multiples of 16 for the input gradient
/// (`Conv2dInputGradient.swift`); other channel counts go through `Im2colConv`. db = Σ dY either way.
public func conv2d(_ x: Var, weight: Var, bias: Var?, stride: Int = 1, padding: Int = 0) -> Var {
    precondition(x.shape.count == 4 && weight.shape.count == 4 && weight.shape[1] == x.shape[1],
                 "conv2d: input \(x.shape) must be [N, C, H, W] and weight \(weight.shape) [F, C, kH, kW]")
    let (n, f) = (x.shape[0], weight.shape[0])
    let win = Window2d(channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                       kernelH: weight.shape[2], kernelW: weight.shape[3], stride: stride, padding: padding)
    precondition(win.outH > 0 && win.outW > 0, "conv2d: kernel \(weight.shape) does not fit input \(x.shape) with padding \(padding)")
    if let bias { precondition(bias.shape == [f], "conv2d: bias \(bias.shape) must be [\(f)]") }
    let spatial = win.outH * win.outW
    let implicit = ImplicitGEMMConv(win: win, images: n), general = Im2colConv(win: win, images: n, outputs: f)
    let direct = ImplicitGEMMConv.applies(outputs: f)
    let (xv, wv) = (x.value, weight.value)
    let y = (bias?.value).withUnsafePointer { convolution(xv, wv, win, epilogue: ConvEpilogue(bias: $0)) }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return x.tape.record(y, inputs: inputs) { tape, g in
        if let bias {
            tape.accumulate(bias) { db in g.withUnsafeBufferPointer { gp in
                for i in 0..<n { for o in 0..<f {
                    let src = gp.baseAddress! + (i * f + o) * spatial
                    var s: Float = 0
                    for p in 0..<spatial { s += src[p] }
                    db[o] += s
                }}
            }}
        }
        g.withUnsafeBufferPointer { gp in xv.withUnsafeBufferPointer { xp in wv.withUnsafeBufferPointer { wp in
            if tape.requiresGrad(weight) {
                if direct {
                    tape.accumulate(weight, implicit.weightGradient(xp.baseAddress!, outputGradient: gp.baseAddress!, outputs: f)
                        .reshaped(wv.shape))
                } else {
                    tape.accumulate(weight, general.weightGradient(gp.baseAddress!, xp.baseAddress!).reshaped(wv.shape))
                }
            }
            if tape.requiresGrad(x) {
                let dx = ImplicitGEMMConv.applies(outputs: win.channels)
                    ? ImplicitGEMMConv.inputGradient(gp.baseAddress!, weights: wp.baseAddress!, of: win, images: n, outputs: f)
                    : general.inputGradient(gp.baseAddress!, wp.baseAddress!)
                tape.accumulate(x, dx)
            }
        }}}
    }
}

/// conv2d with per-channel batch-norm affine map a·x + b and optionally ReLU applied as the
/// convolution writes its output (`ConvEpilogue`): evaluation-mode conv → BN → ReLU in one pass,
/// with the bits of the three ops. Only for tapes that record nothing (inference), since it has no
/// backward; `Conv2d.callAsFunction(_:normalizedBy:mode:relu:)` chooses it.
func conv2dInference(_ x: Var, weight: Var, bias: Var?, stride: Int, padding: Int,
                     scale: [Float], shift: [Float], relu: Bool) -> Var {
    precondition(!x.tape.isRecording, "conv2dInference: the fused op has no backward; use conv2d, batchNorm and relu on a recording tape")
    precondition(x.shape.count == 4 && weight.shape.count == 4 && weight.shape[1] == x.shape[1]
                    && scale.count == weight.shape[0] && shift.count == weight.shape[0],
                 "conv2dInference: input \(x.shape), weight \(weight.shape) and \(scale.count) scales do not fit")
    let win = Window2d(channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                       kernelH: weight.shape[2], kernelW: weight.shape[3], stride: stride, padding: padding)
    precondition(win.outH > 0 && win.outW > 0, "conv2dInference: kernel \(weight.shape) does not fit input \(x.shape) with padding \(padding)")
    let y = (bias?.value).withUnsafePointer { bp in scale.withUnsafeBufferPointer { ap in shift.withUnsafeBufferPointer { sp in
        convolution(x.value, weight.value, win, epilogue: ConvEpilogue(bias: bp, scale: ap.baseAddress, shift: sp.baseAddress, relu: relu))
    }}}
    return x.tape.input(y)
}

/// The forward value of a convolution with geometry `win`, through the implicit GEMM when it applies.
private func convolution(_ x: Tensor, _ weight: Tensor, _ win: Window2d, epilogue: ConvEpilogue) -> Tensor {
    let (n, f) = (x.shape[0], weight.shape[0])
    return x.withUnsafeBufferPointer { xp in weight.withUnsafeBufferPointer { wp in
        guard ImplicitGEMMConv.applies(outputs: f) else {
            return Im2colConv(win: win, images: n, outputs: f).forward(xp.baseAddress!, wp.baseAddress!, epilogue: epilogue)
        }
        var y = Tensor(overwriting: [n, f, win.outH, win.outW])
        let panels = ImplicitGEMMConv.panels(outputs: f, patch: win.patch, index: { $0 * win.patch + $1 }, wp.baseAddress!)
        panels.withUnsafeBufferPointer { pp in y.withUnsafeMutableBufferPointer { yp in
            ImplicitGEMMConv(win: win, images: n).convolve(xp.baseAddress!, panels: pp.baseAddress!, outputs: f, epilogue: epilogue,
                                                           into: yp.baseAddress!)
        }}
        return y
    }}
}
