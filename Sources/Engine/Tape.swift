/// Reverse-mode automatic differentiation on a tape.
///
/// A forward pass records each op's output and a backward closure; `backward(loss)` replays the
/// closures in reverse. A tape lives for one forward/backward pass and is then dropped. Parameter
/// leaves (`param`) accumulate their gradients straight into the `ParameterStore`'s flat gradient
/// buffer, so after `backward` an optimizer reads `store.grads` with no gathering step.
public final class Tape {
    public typealias Backward = (_ tape: Tape, _ outputGrad: Tensor) -> Void

    public let parameters: ParameterStore?
    /// When false (evaluation), ops compute values only and record nothing to differentiate.
    public let isRecording: Bool

    private var values: [Tensor] = []
    private var grads: [Tensor?] = []
    private var backwards: [Backward?] = []
    private var requiresGrad: [Bool] = []
    private var paramOf: [ParamRef?] = []

    public init(parameters: ParameterStore? = nil, recording: Bool = true) {
        self.parameters = parameters
        isRecording = recording
    }

    /// A constant input (data, targets): no gradient flows into it unless `requiresGrad`.
    public func input(_ value: Tensor, requiresGrad: Bool = false) -> Var {
        append(value, requiresGrad: requiresGrad && isRecording, backward: nil, param: nil)
    }

    /// A parameter leaf whose gradient lands in `parameters.grads`.
    public func param(_ ref: ParamRef) -> Var {
        guard let store = parameters else { preconditionFailure("Tape.param needs a tape made with parameters:") }
        return append(store.value(ref), requiresGrad: isRecording, backward: nil, param: ref)
    }

    /// Records an op. `inputs` decide whether the output needs a gradient; `backward` receives the
    /// output's gradient and must accumulate into the inputs that need one.
    public func record(_ value: Tensor, inputs: [Var], backward: @escaping Backward) -> Var {
        let needs = isRecording && inputs.contains { requiresGrad[$0.id] }
        return append(value, requiresGrad: needs, backward: needs ? backward : nil, param: nil)
    }

    private func append(_ value: Tensor, requiresGrad needs: Bool, backward: Backward?, param: ParamRef?) -> Var {
        values.append(value)
        grads.append(nil)
        backwards.append(backward)
        requiresGrad.append(needs)
        paramOf.append(param)
        return Var(tape: self, id: values.count - 1)
    }

    public func value(_ v: Var) -> Tensor { values[v.id] }

    public func requiresGrad(_ v: Var) -> Bool { requiresGrad[v.id] }

    /// The accumulated gradient of a non-parameter node after `backward` (nil if none flowed).
    public func grad(_ v: Var) -> Tensor? { grads[v.id] }

    /// Adds `g` into the gradient of `v` (no-op if `v` needs none).
    public func accumulate(_ v: Var, _ g: Tensor) {
        guard requiresGrad[v.id] else { return }
        precondition(g.count == values[v.id].count, "gradient shape \(g.shape) does not match value \(values[v.id].shape)")
        if let ref = paramOf[v.id] {
            parameters!.accumulateGrad(ref) { dst in
                g.withUnsafeBufferPointer { src in BLAS.axpy(src.count, alpha: 1, x: src.baseAddress!, y: dst.baseAddress!) }
            }
        } else if grads[v.id] == nil {
            grads[v.id] = g.shape == values[v.id].shape ? g : g.reshaped(values[v.id].shape)
        } else {
            grads[v.id]!.withUnsafeMutableBufferPointer { dst in
                g.withUnsafeBufferPointer { src in BLAS.axpy(src.count, alpha: 1, x: src.baseAddress!, y: dst.baseAddress!) }
            }
        }
    }

    /// Adds in place into the gradient buffer of `v`, avoiding a temporary for ops whose backward is a
    /// loop (the buffer starts at zero on first touch).
    public func accumulate(_ v: Var, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        guard requiresGrad[v.id] else { return }
        if let ref = paramOf[v.id] {
            parameters!.accumulateGrad(ref, body)
            return
        }
        if grads[v.id] == nil { grads[v.id] = Tensor(zeros: values[v.id].shape) }
        grads[v.id]!.withUnsafeMutableBufferPointer(body)
    }

    /// Back-propagates from a scalar `loss` (seeded with 1), or from `loss` with an explicit seed
    /// gradient (how a pipeline stage receives the gradient of its output from the next stage).
    public func backward(_ loss: Var, seed: Tensor? = nil) {
        precondition(isRecording, "backward on a tape made with recording: false")
        let start = seed ?? {
            precondition(values[loss.id].count == 1, "backward without seed needs a scalar loss, shape is \(values[loss.id].shape)")
            return Tensor(shape: values[loss.id].shape, repeating: 1)
        }()
        accumulate(loss, start)
        for id in stride(from: loss.id, through: 0, by: -1) {
            guard let back = backwards[id], let g = grads[id] else { continue }
            back(self, g)
            // Intermediate gradients are not needed once propagated; freeing them bounds peak memory.
            grads[id] = nil
        }
    }
}

/// A node on a tape.
public struct Var {
    public unowned let tape: Tape
    public let id: Int

    public var value: Tensor { tape.value(self) }
    public var shape: [Int] { tape.value(self).shape }
    public var grad: Tensor? { tape.grad(self) }
}
