/// 2-D convolution (cross-correlation, as in PyTorch's `Conv2d`) of x `[N, C, H, W]` with weight
/// `[F, C, kH, kW]` and bias `[F]`, zero padding on all sides, giving `[N, F, outH, outW]`.
///
/// Output channels in multiples of 16 (every ResNet layer) go through `ImplicitGEMMConv` for the
/// forward pass and the weight gradient, input channels in multiples of 16 for the input gradient
/// (`Conv2dInputGradient.swift`); other channel counts go through `Im2colConv`. db = Σ dY either way.
public func conv2d(_ x: Var, weight: Var, bias: Var?, stride: Int = 1, padding: Int = 0) -> Var {
    let win = convolutionWindow(x.shape, weight.shape, stride: stride, padding: padding, op: "conv2d")
    let (n, f) = (x.shape[0], weight.shape[0])
    if let bias { precondition(bias.shape == [f], "conv2d: bias \(bias.shape) must be [\(f)]") }
    let spatial = win.outH * win.outW
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
        if tape.requiresGrad(weight) { tape.accumulate(weight, convolutionWeightGradient(g, input: xv, win, outputs: f)) }
        if tape.requiresGrad(x) { tape.accumulate(x, convolutionInputGradient(g, weight: wv, win)) }
    }
}

/// dX `[N, C, H, W]` of `conv2d(x, weight:, stride:, padding:)` for x of `inputShape`, from the
/// output gradient g `[N, F, outH, outW]`: the input half of the op's backward, on its own for
/// benchmarks.
public func conv2dInputGradient(_ g: Tensor, weight: Tensor, inputShape: [Int], stride: Int, padding: Int) -> Tensor {
    let win = convolutionWindow(inputShape, weight.shape, stride: stride, padding: padding, op: "conv2dInputGradient")
    checkOutputGradient(g.shape, images: inputShape[0], outputs: weight.shape[0], win, op: "conv2dInputGradient")
    return convolutionInputGradient(g, weight: weight, win)
}

/// dW `[F, C, kH, kW]` of `conv2d(x, weight:, stride:, padding:)` for a weight of `weightShape`,
/// from the output gradient g: the weight half of the op's backward, on its own for benchmarks.
public func conv2dWeightGradient(_ g: Tensor, input x: Tensor, weightShape: [Int], stride: Int, padding: Int) -> Tensor {
    let win = convolutionWindow(x.shape, weightShape, stride: stride, padding: padding, op: "conv2dWeightGradient")
    checkOutputGradient(g.shape, images: x.shape[0], outputs: weightShape[0], win, op: "conv2dWeightGradient")
    return convolutionWeightGradient(g, input: x, win, outputs: weightShape[0])
}

/// The geometry of a convolution of an `input`-shaped tensor with a `weight`-shaped kernel, checked:
/// `[N, C, H, W]` and `[F, C, kH, kW]`, and a kernel that fits the padded input.
private func convolutionWindow(_ input: [Int], _ weight: [Int], stride: Int, padding: Int, op: String) -> Window2d {
    precondition(input.count == 4 && weight.count == 4 && weight[1] == input[1],
                 "\(op): input \(input) must be [N, C, H, W] and weight \(weight) [F, C, kH, kW]")
    let win = Window2d(channels: input[1], height: input[2], width: input[3], kernelH: weight[2], kernelW: weight[3],
                       stride: stride, padding: padding)
    precondition(win.outH > 0 && win.outW > 0, "\(op): kernel \(weight) does not fit input \(input) with padding \(padding)")
    return win
}

/// Checks that an output gradient has the convolution's output shape `[N, F, outH, outW]`.
private func checkOutputGradient(_ g: [Int], images n: Int, outputs f: Int, _ win: Window2d, op: String) {
    precondition(g == [n, f, win.outH, win.outW], "\(op): output gradient \(g) must be [\(n), \(f), \(win.outH), \(win.outW)]")
}

/// dX of a convolution with geometry `win`: through the implicit GEMM for input channels in whole
/// tiles (`Conv2dInputGradient.swift`), else im2col.
private func convolutionInputGradient(_ g: Tensor, weight: Tensor, _ win: Window2d) -> Tensor {
    let (n, f) = (g.shape[0], g.shape[1])
    return g.withUnsafeBufferPointer { gp in weight.withUnsafeBufferPointer { wp in
        ImplicitGEMMConv.applies(outputs: win.channels)
            ? ImplicitGEMMConv.inputGradient(gp.baseAddress!, weights: wp.baseAddress!, of: win, images: n, outputs: f)
            : Im2colConv(win: win, images: n, outputs: f).inputGradient(gp.baseAddress!, wp.baseAddress!)
    }}
}

/// dW `[F, C, kH, kW]` of a convolution with geometry `win`: through the implicit GEMM for output
/// channels in whole tiles, else im2col.
private func convolutionWeightGradient(_ g: Tensor, input x: Tensor, _ win: Window2d, outputs f: Int) -> Tensor {
    let n = x.shape[0]
    let dw = g.withUnsafeBufferPointer { gp in x.withUnsafeBufferPointer { xp in
        ImplicitGEMMConv.applies(outputs: f)
            ? ImplicitGEMMConv(win: win, images: n).weightGradient(xp.baseAddress!, outputGradient: gp.baseAddress!, outputs: f)
            : Im2colConv(win: win, images: n, outputs: f).weightGradient(gp.baseAddress!, xp.baseAddress!)
    }}
    return dw.reshaped([f, win.channels, win.kernelH, win.kernelW])
}

/// conv2d with per-channel batch-norm affine map a·x + b and optionally ReLU applied as the
/// convolution writes its output (`ConvEpilogue`): evaluation-mode conv → BN → ReLU in one pass,
/// with the bits of the three ops. Only for tapes that record nothing (inference), since it has no
/// backward; `Conv2d.callAsFunction(_:normalizedBy:mode:relu:)` chooses it.
func conv2dInference(_ x: Var, weight: Var, bias: Var?, stride: Int, padding: Int,
                     scale: [Float], shift: [Float], relu: Bool) -> Var {
    precondition(!x.tape.isRecording, "conv2dInference: the fused op has no backward; use conv2d, batchNorm and relu on a recording tape")
    let win = convolutionWindow(x.shape, weight.shape, stride: stride, padding: padding, op: "conv2dInference")
    precondition(scale.count == weight.shape[0] && shift.count == weight.shape[0],
                 "conv2dInference: \(scale.count) scales and \(shift.count) shifts for \(weight.shape[0]) output channels")
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
