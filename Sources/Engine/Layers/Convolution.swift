/// A 2-D convolution layer over NCHW images (square kernel), PyTorch's default initialisation.
public struct Conv2d {
    public let weight: ParamRef, bias: ParamRef?
    public let stride: Int, padding: Int

    public init(_ name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                bias hasBias: Bool = true, builder: inout ParameterBuilder) {
        let fanIn = inChannels * kernel * kernel
        weight = builder.add("\(name).weight", shape: [outChannels, inChannels, kernel, kernel], .fanInUniform(fanIn: fanIn))
        bias = hasBias ? builder.add("\(name).bias", shape: [outChannels], .fanInUniform(fanIn: fanIn)) : nil
        self.stride = stride
        self.padding = padding
    }

    public func callAsFunction(_ x: Var) -> Var {
        conv2d(x, weight: x.tape.param(weight), bias: bias.map { x.tape.param($0) }, stride: stride, padding: padding)
    }
}

/// Max pooling over square windows (stride defaults to the window size).
public struct MaxPool2d {
    public let size: Int, stride: Int?
    public init(_ size: Int, stride: Int? = nil) { self.size = size; self.stride = stride }
    public func callAsFunction(_ x: Var) -> Var { maxPool2d(x, size: size, stride: stride) }
}

/// Average pooling over square windows (stride defaults to the window size).
public struct AvgPool2d {
    public let size: Int, stride: Int?
    public init(_ size: Int, stride: Int? = nil) { self.size = size; self.stride = stride }
    public func callAsFunction(_ x: Var) -> Var { avgPool2d(x, size: size, stride: stride) }
}

extension Conv2d {
    /// norm(conv(x)), plus `residual` when given, then ReLU when `relu`: the units every ResNet
    /// layer is built of. Inference — evaluation mode on a tape that records nothing — runs
    /// conv → BN (→ ReLU) as one op: batch norm's affine map and the ReLU are applied as the
    /// convolution writes its output (`ConvEpilogue`), with the bits of the separate ops, saving two
    /// passes over the activations; a residual is added afterwards. Training runs the convolution,
    /// then batch norm with the residual and the ReLU inside it.
    public func callAsFunction(_ x: Var, normalizedBy norm: BatchNorm2d, mode: ForwardMode, adding residual: Var? = nil,
                               relu: Bool = false) -> Var {
        guard !mode.isTraining, !x.tape.isRecording else { return norm(self(x), mode: mode, adding: residual, relu: relu) }
        let (gain, shift) = (x.tape.param(norm.gain).value, x.tape.param(norm.bias).value)
        let affine = batchNormAffine(gain: gain, bias: shift, mean: norm.statistics.mean, variance: norm.statistics.variance, eps: norm.eps)
        let y = conv2dInference(x, weight: x.tape.param(weight), bias: bias.map { x.tape.param($0) }, stride: stride, padding: padding,
                                scale: affine.scale, shift: affine.shift, relu: relu && residual == nil)
        return residual == nil ? y : y.adding(residual, relu: relu)
    }
}
