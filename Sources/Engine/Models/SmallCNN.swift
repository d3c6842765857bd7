/// Two conv(3×3, same padding) → ReLU → 2×2 max-pool stages and a linear classifier, for small
/// images such as MNIST or CIFAR-10.
public struct SmallCNN {
    public struct Config: Sendable {
        public var channels: Int, height: Int, width: Int
        public var filters: (Int, Int)
        public var classes: Int
        public init(channels: Int, height: Int, width: Int, filters: (Int, Int) = (16, 32), classes: Int) {
            precondition(height % 4 == 0 && width % 4 == 0,
                         "SmallCNN pools twice by 2, so height \(height) and width \(width) must be multiples of 4")
            self.channels = channels
            self.height = height
            self.width = width
            self.filters = filters
            self.classes = classes
        }
    }

    public let config: Config
    public let conv1: Conv2d, conv2: Conv2d, head: Linear
    let pool = MaxPool2d(2)

    public init(_ config: Config, builder: inout ParameterBuilder) {
        self.config = config
        conv1 = Conv2d("cnn.conv1", inChannels: config.channels, outChannels: config.filters.0, kernel: 3, padding: 1, builder: &builder)
        conv2 = Conv2d("cnn.conv2", inChannels: config.filters.0, outChannels: config.filters.1, kernel: 3, padding: 1, builder: &builder)
        head = Linear("cnn.head", config.filters.1 * (config.height / 4) * (config.width / 4), config.classes, builder: &builder)
    }

    /// Images `[N, C, H, W]` -> logits `[N, classes]`.
    public func callAsFunction(_ x: Var) -> Var {
        let h = pool(conv2(pool(conv1(x).relu())).relu())
        return head(h.reshaped([x.shape[0], -1]))
    }
}
