/// A ResNet for small images in the layout of kuangliu/pytorch-cifar (He et al. 2016 adapted to
/// 32×32 inputs): a 3×3 stem convolution (stride 1, no bias) + BN + ReLU and no max-pool, four
/// layers of `BasicBlock`s of widths c, 2c, 4c, 8c whose first blocks have strides 1, 2, 2, 2,
/// global average pooling and a linear head. `blocks` [2, 2, 2, 2] with c = 64 is ResNet-18.
///
/// Parameters are named after that code (`conv1`, `bn1`, `layer1.0.conv1`, …, `linear`), with
/// `shortcut.conv`/`shortcut.bn` for its `shortcut.0`/`shortcut.1` and `gain` for BN's `weight`.
/// Initialisation is PyTorch's default for every layer, as that code does not re-initialise.
public struct ResNet {
    public struct Config: Codable, Sendable, Hashable {
        public var inputChannels: Int, height: Int, width: Int
        public var classes: Int
        /// Width c of the first layer; the layers have c, 2c, 4c, 8c channels.
        public var baseWidth: Int
        /// Blocks in each of the four layers.
        public var blocks: [Int]

        public init(inputChannels: Int, height: Int, width: Int, classes: Int, baseWidth: Int = 64, blocks: [Int] = [2, 2, 2, 2]) {
            self.inputChannels = inputChannels
            self.height = height
            self.width = width
            self.classes = classes
            self.baseWidth = baseWidth
            self.blocks = blocks
        }

        /// Channels of each layer's output.
        public var widths: [Int] { [1, 2, 4, 8].map { $0 * baseWidth } }
    }

    /// Strides of the four layers' first blocks.
    static let strides = [1, 2, 2, 2]

    public let config: Config
    public let conv1: Conv2d, bn1: BatchNorm2d
    /// `layers[l][b]` is block b of layer l + 1.
    public let layers: [[BasicBlock]]
    public let linear: Linear
    /// Every batch-norm layer's running statistics, in forward order (stem, then block by block).
    public let statistics: [BatchNormStatistics]

    public init(_ config: Config, builder: inout ParameterBuilder) {
        precondition(config.blocks.count == 4 && config.blocks.allSatisfy { $0 >= 1 },
                     "ResNet: blocks \(config.blocks) must give at least one block to each of the four layers")
        precondition(config.inputChannels > 0 && config.height > 0 && config.width > 0 && config.classes > 0 && config.baseWidth > 0,
                     "ResNet: sizes in \(config) must be positive")
        self.config = config
        let widths = config.widths
        conv1 = Conv2d("resnet.conv1", inChannels: config.inputChannels, outChannels: widths[0], kernel: 3, padding: 1,
                       bias: false, builder: &builder)
        bn1 = BatchNorm2d("resnet.bn1", widths[0], builder: &builder)
        var layers: [[BasicBlock]] = []
        var channels = widths[0]
        for (l, count) in config.blocks.enumerated() {
            var layer: [BasicBlock] = []
            for b in 0..<count {
                layer.append(BasicBlock("resnet.layer\(l + 1).\(b)", inChannels: channels, outChannels: widths[l],
                                        stride: b == 0 ? Self.strides[l] : 1, builder: &builder))
                channels = widths[l]
            }
            layers.append(layer)
        }
        self.layers = layers
        linear = Linear("resnet.linear", widths[3], config.classes, builder: &builder)
        statistics = [bn1.statistics] + layers.joined().flatMap(\.statistics)
    }

    /// Images `[N, inputChannels, height, width]` → logits `[N, classes]`.
    ///
    /// `cut(b, a)` receives the output of layer b + 1 for b = 0, 1, 2 (the boundaries of a
    /// four-stage pipeline split, one layer per stage with the stem in the first and the head in
    /// the last) and the network continues from what it returns; the default passes it on unchanged.
    public func callAsFunction(_ x: Var, mode: ForwardMode, cut: (_ boundary: Int, _ activation: Var) -> Var = { $1 }) -> Var {
        precondition(x.shape.count == 4 && Array(x.shape.dropFirst()) == [config.inputChannels, config.height, config.width],
                     "ResNet expects [N, \(config.inputChannels), \(config.height), \(config.width)], got \(x.shape)")
        var h = conv1(x, normalizedBy: bn1, mode: mode, relu: true)
        for (l, layer) in layers.enumerated() {
            for block in layer { h = block(h, mode: mode) }
            if l < layers.count - 1 { h = cut(l, h) }
        }
        // kuangliu's code pools a fixed 4×4 window, the whole map for 32×32 inputs; averaging over
        // all of H·W is the same there and also fits 28×28 inputs (28 → 14 → 7 → 4 with padding 1)
        // or tiny test images.
        let (n, c) = (h.shape[0], h.shape[1])
        let spatial = h.shape[2] * h.shape[3]
        let pooled = h.reshaped([n, c, spatial]).sumLastAxis() * (1 / Float(spatial))
        return linear(pooled)
    }
}
