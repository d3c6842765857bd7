/// A boundary between two pipeline stages, as a tape op: the forward pass sends the activation
/// through the forward compressor (with its error-compensation state), the backward pass sends the
/// incoming gradient through the backward compressor. It counts the bits each direction sends.
///
/// The compression of an activation is not differentiated through: the gradient that reaches the
/// sending stage is the (compressed) gradient of the receiver's input, as in the official code of
/// Rudakov et al. — except with the shared mask, whose gradient is exactly that of the mask.
/// With identity compression in both directions the op is the identity, bit for bit.
public final class PipelineBoundary {
    public let spec: BoundarySpec
    private var forward: any BoundaryCompressor
    private var backward: any BoundaryCompressor
    private var inference: any BoundaryCompressor
    // The engine's EF and EF21 around their own copies of the compressors, present when the spec
    // compensates that direction (a shared mask, which reads `forward`'s mask, allows neither).
    private var forwardEF: ErrorFeedback<ShapedCompressor>?, backwardEF: ErrorFeedback<ShapedCompressor>?
    private var forwardEF21: EF21<ShapedCompressor>?, backwardEF21: EF21<ShapedCompressor>?
    // Every boundary compressor is deterministic; the flat `Compressor` interface still asks for a
    // generator, which is never drawn from.
    private var unused = RNG(seed: 0)
    public private(set) var memory: AQSGDMemory?
    /// Bits sent since the last `takeBits()`, per direction (training passes only).
    public private(set) var forwardBits = 0, backwardBits = 0

    /// What carries from one step to the next (error-feedback residuals, EF21 estimates, AQ-SGD
    /// memories), by name: what a run's checkpoint saves. Compressors keep nothing else between steps.
    public var saved: [String: [Float]] {
        var state: [String: [Float]] = [:]
        func floats(_ t: Tensor) -> [Float] { t.withUnsafeBufferPointer { Array($0) } }
        if let forwardEF { state["forward.error"] = floats(forwardEF.error) }
        if let backwardEF { state["backward.error"] = floats(backwardEF.error) }
        if let forwardEF21 { state["forward.estimate"] = floats(forwardEF21.estimate) }
        if let backwardEF21 { state["backward.estimate"] = floats(backwardEF21.estimate) }
        if let memory {
            (state["memory.sender"], state["memory.receiver"]) = memory.saved
            state["memory.width"] = [Float(memory.width)]
        }
        return state
    }

    /// Continues from what `saved` returned.
    public func restore(_ state: [String: [Float]]) throws {
        func tensor(_ name: String) throws -> Tensor {
            guard let values = state[name] else { throw PipelineConfigError("the saved boundary state has no '\(name)'") }
            return Tensor(shape: [values.count], values)
        }
        if forwardEF != nil { forwardEF!.restore(error: try tensor("forward.error")) }
        if backwardEF != nil { backwardEF!.restore(error: try tensor("backward.error")) }
        if forwardEF21 != nil { forwardEF21!.restore(estimate: try tensor("forward.estimate")) }
        if backwardEF21 != nil { backwardEF21!.restore(estimate: try tensor("backward.estimate")) }
        // The memory is made at the first activation it sees, so a checkpoint may hold one this boundary has not made yet.
        if let width = state["memory.width"]?.first {
            var restored = AQSGDMemory(width: Int(width))
            try restored.restore(sender: state["memory.sender"] ?? [], receiver: state["memory.receiver"] ?? [])
            memory = restored
        }
    }

    public init(_ spec: BoundarySpec) throws {
        try spec.validate()
        self.spec = spec
        forward = try spec.forward.make()
        backward = try spec.backward.make()
        inference = try spec.forward.make()
        let compressesForward = !spec.forward.isIdentity, compressesBackward = !spec.backward.isIdentity
        switch spec.compensation {
        case .ef:
            if compressesForward { forwardEF = ErrorFeedback(ShapedCompressor(try spec.forward.make())) }
            if compressesBackward { backwardEF = ErrorFeedback(ShapedCompressor(try spec.backward.make())) }
        case .efGradients:
            if compressesBackward { backwardEF = ErrorFeedback(ShapedCompressor(try spec.backward.make())) }
        case .ef21:
            if compressesForward { forwardEF21 = EF21(ShapedCompressor(try spec.forward.make())) }
            if compressesBackward { backwardEF21 = EF21(ShapedCompressor(try spec.backward.make())) }
        case .none, .aqsgd: break
        }
    }

    /// Bytes of state this boundary keeps between steps, for activations of `width` floats per
    /// sample, `batch` samples per step and `samples` training samples: EF's errors and EF21's
    /// estimates have a step's shape; AQ-SGD's memories hold every sample's activation at both ends.
    public func stateBytes(width: Int, batch: Int, samples: Int) -> Int {
        let stepShaped = [forwardEF != nil, backwardEF != nil, forwardEF21 != nil, backwardEF21 != nil].filter { $0 }.count
        let remembered = spec.compensation == .aqsgd ? 2 * samples : 0
        return (stepShaped * batch + remembered) * width * MemoryLayout<Float>.size
    }

    /// Bits sent forward and backward since the last call; resets both counters.
    public func takeBits() -> (forward: Int, backward: Int) {
        defer { forwardBits = 0; backwardBits = 0 }
        return (forwardBits, backwardBits)
    }

    public func callAsFunction(_ x: Var, _ pass: BoundaryPass) -> Var {
        switch pass {
        case .inference(let compressed):
            guard compressed, !spec.forward.isIdentity else { return x }
            var out = Tensor(overwriting: x.shape)
            x.value.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { _ = inference.compress(xp, shape: x.shape, into: $0) }
            }
            return x.tape.record(out, inputs: [x]) { tape, g in tape.accumulate(x, g) }
        case .training(let epoch, let samples):
            let warmup = epoch < spec.warmupEpochs
            let (sent, bits) = warmup ? warmUp(x.value, samples: samples) : send(x.value, samples: samples)
            forwardBits += bits
            return x.tape.record(sent, inputs: [x]) { [self] tape, g in
                let (gradient, bits) = warmup ? (g, 32 * g.count) : sendBack(g)
                backwardBits += bits
                tape.accumulate(x, gradient)
            }
        }
    }

    /// Warm-up crosses in full; AQ-SGD's memories take the activation as m(ξ).
    private func warmUp(_ x: Tensor, samples: [Int]) -> (Tensor, Int) {
        guard spec.compensation == .aqsgd else { return (x, 32 * x.count) }
        prepareMemory(x, samples)
        return memory!.warmUp(x, samples: samples)
    }

    private func prepareMemory(_ x: Tensor, _ samples: [Int]) {
        if memory == nil { memory = AQSGDMemory(width: x.count / x.shape[0]) }
        precondition(samples.count == x.shape[0], "AQ-SGD needs one sample id per row: \(samples.count) ids for a batch of \(x.shape[0])")
    }

    private func send(_ x: Tensor, samples: [Int]) -> (Tensor, Int) {
        if forwardEF != nil {
            forwardEF!.inner.shape = x.shape
            return forwardEF!.compress(x, rng: &unused)
        }
        if forwardEF21 != nil {
            forwardEF21!.inner.shape = x.shape
            return forwardEF21!.compress(x, rng: &unused)
        }
        if spec.compensation == .aqsgd {
            prepareMemory(x, samples)
            return memory!.send(x, samples: samples, through: &forward)
        }
        return Self.plain(x, &forward)
    }

    private func sendBack(_ g: Tensor) -> (Tensor, Int) {
        if spec.backwardMask == .shared {
            var masked = g
            let kept = masked.withUnsafeMutableBufferPointer { gp -> Int in
                _ = forward.applyLastMask(to: gp)
                return gp.reduce(0) { $1 != 0 ? $0 + 1 : $0 }
            }
            // The receiver knows the positions from the forward message: values only.
            return (masked, 32 * kept)
        }
        if backwardEF != nil {
            backwardEF!.inner.shape = g.shape
            return backwardEF!.compress(g, rng: &unused)
        }
        if backwardEF21 != nil {
            backwardEF21!.inner.shape = g.shape
            return backwardEF21!.compress(g, rng: &unused)
        }
        return Self.plain(g, &backward)
    }

    private static func plain(_ x: Tensor, _ compressor: inout any BoundaryCompressor) -> (Tensor, Int) {
        if compressor is NoCompression { return (x, 32 * x.count) }
        var out = Tensor(overwriting: x.shape)
        let bits = x.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { compressor.compress(xp, shape: x.shape, into: $0) } }
        return (out, bits)
    }
}
