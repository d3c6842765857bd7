/// The basic residual block of ResNet-18/34 (He et al. 2016, "Deep Residual Learning for Image
/// Recognition", Fig. 2 left): conv3×3(stride s) → BN → ReLU → conv3×3 → BN, plus a shortcut,
/// then ReLU. The shortcut is the identity when the shape is kept, otherwise a 1×1 convolution with
/// stride s and BN (the paper's option B), as in kuangliu/pytorch-cifar. Convolutions followed by
/// BN have no bias: BN's mean subtraction would cancel it.
public struct BasicBlock {
    /// The projection shortcut used when stride or width changes.
    public struct Projection {
        public let conv: Conv2d, norm: BatchNorm2d
    }

    public let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d
    /// nil for the identity shortcut.
    public let shortcut: Projection?

    public init(_ name: String, inChannels: Int, outChannels: Int, stride: Int = 1, builder: inout ParameterBuilder) {
        conv1 = Conv2d("\(name).conv1", inChannels: inChannels, outChannels: outChannels, kernel: 3, stride: stride,
                       padding: 1, bias: false, builder: &builder)
        bn1 = BatchNorm2d("\(name).bn1", outChannels, builder: &builder)
        conv2 = Conv2d("\(name).conv2", inChannels: outChannels, outChannels: outChannels, kernel: 3, padding: 1,
                       bias: false, builder: &builder)
        bn2 = BatchNorm2d("\(name).bn2", outChannels, builder: &builder)
        shortcut = stride == 1 && inChannels == outChannels ? nil : Projection(
            conv: Conv2d("\(name).shortcut.conv", inChannels: inChannels, outChannels: outChannels, kernel: 1, stride: stride,
                         bias: false, builder: &builder),
            norm: BatchNorm2d("\(name).shortcut.bn", outChannels, builder: &builder))
    }

    /// The block's batch-norm statistics, in forward order.
    public var statistics: [BatchNormStatistics] {
        [bn1.statistics, bn2.statistics] + (shortcut.map { [$0.norm.statistics] } ?? [])
    }

    /// `[N, inChannels, H, W]` → `[N, outChannels, ⌈H/s⌉, ⌈W/s⌉]`.
    public func callAsFunction(_ x: Var, mode: ForwardMode) -> Var {
        let h = conv1(x, normalizedBy: bn1, mode: mode, relu: true)
        let skip = shortcut.map { $0.conv(x, normalizedBy: $0.norm, mode: mode) } ?? x
        return conv2(h, normalizedBy: bn2, mode: mode, adding: skip, relu: true)
    }
}
