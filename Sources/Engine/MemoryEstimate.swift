/// The peak memory a training run will need, estimated before its first step: the parameters x and
/// their gradients ∇f(x), the optimizer's state, one training step's tensors at the run's batch, and
/// whatever else the run keeps (named by the experiment: an AQ-SGD activation memory, say).
///
/// The step's share is measured, not modelled: `measured(…)` runs the experiment's own
/// forward-and-backward pass on 8 and on 16 samples of the run's shapes (its width, sequence
/// length, item count) and traces the live tensor bytes after every allocation
/// (`MemoryMeter.traced`). When both steps make the same allocations, each is of a size affine in
/// the batch (attention's B·h·T² included), so the two traces give each point's line, and the
/// step's peak at batch B is the highest of those lines at B. Extending only the two peaks would
/// not do: which point of the step is the peak changes with B (a ResNet's weight-sized scratch
/// dominates at a few samples, its activations at more). A step whose allocations differ with
/// the batch works in blocks of a fixed size (the all-items softmax takes 256 rows at a time), so
/// its block scratch stops growing: then the line through the two peaks is used, from sizes past
/// the blocks. A batch of at most 16 is measured as it is. This costs two small steps and follows
/// any change to a model without a formula to keep in step with it. The optimizer's state is
/// measured the same way: one step of a copy of the optimizer on a small vector, scaled to the
/// parameter count.
public struct MemoryEstimate: Sendable, Equatable {
    /// x and ∇f(x), float32.
    public var parameterBytes: Int
    public var optimizerBytes: Int
    /// One training step's tensors (activations kept for the backward pass, their gradients, scratch).
    public var stepBytes: Int
    /// The samples per step `stepBytes` is for.
    public var batch: Int
    /// Further state the run keeps for its whole length, by name.
    public var other: [String: Int]

    public init(parameterBytes: Int, optimizerBytes: Int, stepBytes: Int, batch: Int, other: [String: Int] = [:]) {
        self.parameterBytes = parameterBytes
        self.optimizerBytes = optimizerBytes
        self.stepBytes = stepBytes
        self.batch = batch
        self.other = other
    }

    public var totalBytes: Int { parameterBytes + optimizerBytes + stepBytes + other.values.reduce(0, +) }

    /// "parameters and gradients 1.2 MiB, optimizer state 2.4 MiB, one step at batch 256 3.1 GiB".
    public var breakdown: String {
        (["parameters and gradients \(Self.format(parameterBytes))", "optimizer state \(Self.format(optimizerBytes))",
          "one step at batch \(batch) \(Self.format(stepBytes))"]
            + other.sorted { $0.key < $1.key }.map { "\($0.key) \(Self.format($0.value))" }).joined(separator: ", ")
    }

    /// The estimate for a run training the parameters of `store` with `optimizer` (nil: one whose
    /// state the run counts in `other`) at `batch` samples per step; `step(n)` computes one forward
    /// and backward pass on n samples of the run's shapes and leaves nothing behind but gradients
    /// (which are cleared after).
    public static func measured(parameters store: ParameterStore, optimizer: (any Optimizer)?, batch: Int,
                                other: [String: Int] = [:], step: (_ samples: Int) -> Void) -> MemoryEstimate {
        let stepBytes: Int
        if batch <= probeSizes.large {
            stepBytes = MemoryMeter.measure { step(batch) }.peakBytes
        } else {
            let small = MemoryMeter.traced { step(probeSizes.small) }
            let large = MemoryMeter.traced { step(probeSizes.large) }
            stepBytes = peak(at: batch, traces: small, large)
        }
        store.zeroGrads()
        return MemoryEstimate(parameterBytes: 2 * store.count * MemoryLayout<Float>.size,
                              optimizerBytes: optimizer.map { Int((optimizerStateBytesPerParameter($0) * Double(store.count)).rounded(.up)) } ?? 0,
                              stepBytes: stepBytes, batch: batch, other: other)
    }

    /// The samples of the two probe steps (at least two each: batch norm's training statistics
    /// need more than one value).
    static let probeSizes = (small: 8, large: 16)

    /// The peak at `batch` samples of a step traced at `probeSizes`: the highest point line when
    /// the traces pair up, else the line through their peaks.
    static func peak(at batch: Int, traces small: [Int], _ large: [Int]) -> Int {
        let (n, m) = probeSizes
        func line(_ a: Int, _ b: Int) -> Int { a + (batch - n) * (b - a) / (m - n) }
        let peakLarge = large.max() ?? 0
        guard small.count == large.count else { return max(line(small.max() ?? 0, peakLarge), peakLarge) }
        return max(zip(small, large).map(line).max() ?? 0, peakLarge)
    }

    /// Bytes of state `optimizer` allocates per parameter, from one step of a copy of it on a
    /// vector of `probeSize` coordinates (the copy's state is its own: the optimizer is unchanged).
    public static func optimizerStateBytesPerParameter(_ optimizer: any Optimizer, probeSize: Int = 4096) -> Double {
        var copy = optimizer
        let store = ParameterStore(vector: Tensor(zeros: [probeSize]))
        store.grads.withUnsafeMutableBufferPointer { $0.update(repeating: 1) }
        let bytes = MemoryMeter.measure { copy.step(store) }.peakBytes
        return Double(bytes) / Double(probeSize)
    }

    /// Bytes in binary units, three significant digits: "812 KiB", "3.14 GiB".
    public static func format(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let digits = unit == 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2
        return "\(String(format: "%.\(digits)f", value)) \(units[unit])"
    }
}
