/// How every boundary of a pipeline compresses, as a config states it: the forward (activation)
/// and backward (gradient) compression, the error compensation, and the backward mask mode.
public struct BoundarySpec: Codable, Hashable, Sendable, CustomStringConvertible {
    public enum Compensation: String, Codable, Sendable, CaseIterable, NamedChoice {
        /// Each direction sends C(x).
        case none
        /// The engine's `ErrorFeedback` in each direction that compresses. Its buffer belongs to the
        /// boundary, as in the official code of Rudakov et al.: the residual of batch t is added to
        /// the same positions of batch t + 1 (other samples), so on activations it acts as noise the
        /// next stage learns to tolerate rather than as an exact correction.
        case ef
        /// `ErrorFeedback` on gradients only, activations compressed directly (the only EF
        /// the official ResNet code implements).
        case efGradients = "ef-gradients"
        /// The engine's `EF21` in each direction that compresses (its estimate, like EF's buffer,
        /// belongs to the boundary).
        case ef21
        /// `AQSGDMemory` on activations; gradients compressed directly (as in AQ-SGD).
        case aqsgd
    }

    public enum BackwardMask: String, Codable, Sendable, CaseIterable, NamedChoice {
        /// The gradient is compressed by `backward` on its own (the official ResNet code).
        case independent
        /// The gradient keeps exactly the entries the forward TopK kept: the derivative of the
        /// mask (the official GPT-2 code's "shared" mode); `backward` is unused.
        case shared
    }

    public var forward: BoundaryCompression
    public var backward: BoundaryCompression
    public var compensation: Compensation
    public var backwardMask: BackwardMask
    /// AQ-SGD's warm-up: epochs in which both directions cross uncompressed.
    public var warmupEpochs: Int

    public init(forward: BoundaryCompression = .none, backward: BoundaryCompression = .none, compensation: Compensation = .none,
                backwardMask: BackwardMask = .independent, warmupEpochs: Int = 0) {
        self.forward = forward
        self.backward = backward
        self.compensation = compensation
        self.backwardMask = backwardMask
        self.warmupEpochs = warmupEpochs
    }

    public static let identity = BoundarySpec()

    enum CodingKeys: String, CodingKey { case forward, backward, compensation, backwardMask, warmupEpochs }

    /// Missing keys mean no compression, no compensation, an independent mask and no warm-up, so a
    /// config states only what it changes.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        forward = try c.decodeIfPresent(BoundaryCompression.self, forKey: .forward) ?? .none
        backward = try c.decodeIfPresent(BoundaryCompression.self, forKey: .backward) ?? .none
        compensation = try c.decodeIfPresent(Compensation.self, forKey: .compensation) ?? .none
        backwardMask = try c.decodeIfPresent(BackwardMask.self, forKey: .backwardMask) ?? .independent
        warmupEpochs = try c.decodeIfPresent(Int.self, forKey: .warmupEpochs) ?? 0
    }

    public var isIdentity: Bool { forward.isIdentity && backward.isIdentity && backwardMask == .independent && compensation == .none }

    public var description: String {
        var parts = ["fw \(forward)", "bw \(backwardMask == .shared ? "shared mask" : backward.description)"]
        if compensation != .none { parts.append(compensation.rawValue.uppercased()) }
        return parts.joined(separator: ", ")
    }

    public func validate() throws {
        try forward.validate()
        try backward.validate()
        if backwardMask == .shared {
            guard forward.kind == .topk, compensation == .none else {
                throw PipelineConfigError("backwardMask: shared reuses the forward TopK mask, so it needs forward kind topk and compensation none (got forward \(forward), compensation \(compensation.rawValue))")
            }
        }
        if compensation == .aqsgd, forward.isIdentity {
            throw PipelineConfigError("compensation: aqsgd compresses activation deltas, so it needs a forward compression (got none)")
        }
        guard warmupEpochs >= 0 else { throw PipelineConfigError("warmupEpochs must be ≥ 0, got \(warmupEpochs)") }
    }
}

/// What a forward pass through a boundary is for.
public enum BoundaryPass {
    /// A training step: compression and error compensation on, bits counted. `samples` are the
    /// batch's training-set indices (AQ-SGD's memory is per sample).
    case training(epoch: Int, samples: [Int])
    /// Evaluation: the forward compressor applied as is (no compensation state is read or
    /// changed), or the activation passed unchanged.
    case inference(compressed: Bool)
}
