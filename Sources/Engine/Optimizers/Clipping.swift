/// Gradient clipping as a step of its own, composable with any optimizer.
///
/// Norm clipping: clip(g, λ) = min(1, λ/‖g‖₂)·g (the whole vector is rescaled, direction kept).
/// Coordinate clipping: clip(g, λ)_i = max(−λ, min(λ, g_i)).
/// Per-tensor norm clipping: norm clipping of each named tensor's gradient on its own, what
/// `torch.nn.utils.clip_grad_norm_(p, λ)` per parameter does ("local" clipping in the official code
/// of arXiv 2406.04443's fine-tuning runs); on a bare buffer it is plain norm clipping.
public enum Clipping: Sendable, Equatable, Codable {
    case norm(Float)
    case coordinate(Float)
    case normPerTensor(Float)

    /// Clips every gradient of `parameters` in place; returns ‖g‖₂ of the whole vector before clipping.
    @discardableResult
    public func apply(to parameters: ParameterStore) -> Float {
        guard case .normPerTensor(let lambda) = self else {
            return parameters.grads.withUnsafeMutableBufferPointer { apply(to: $0) }
        }
        return parameters.grads.withUnsafeMutableBufferPointer { g in
            var squared: Float = 0
            for view in parameters.views {
                let norm = Clipping.norm(lambda).apply(to: UnsafeMutableBufferPointer(rebasing: g[view.range]))
                squared += norm * norm
            }
            return squared.squareRoot()
        }
    }

    /// Clips `g` in place; returns ‖g‖₂ before clipping (useful for logging how often it binds).
    @discardableResult
    public func apply(to g: UnsafeMutableBufferPointer<Float>) -> Float {
        let norm = BLAS.norm2(g.count, g.baseAddress!)
        switch self {
        case .norm(let lambda), .normPerTensor(let lambda):
            precondition(lambda > 0, "clipping level λ must be positive, got \(lambda)")
            if norm > lambda {
                let scale = lambda / norm
                for i in 0..<g.count { g[i] *= scale }
            }
        case .coordinate(let lambda):
            precondition(lambda > 0, "clipping level λ must be positive, got \(lambda)")
            for i in 0..<g.count { g[i] = Swift.max(-lambda, Swift.min(lambda, g[i])) }
        }
        return norm
    }
}

/// `base` applied to the clipped gradient: Clip-SGD, Clip-AdaGrad, Clip-Adam, ….
/// The gradient buffer is clipped in place, so after `step` it holds clip(g_t).
public struct Clipped<Base: Optimizer>: Optimizer {
    public var base: Base
    public let clipping: Clipping
    /// ‖g_t‖₂ before clipping at the last step.
    public private(set) var lastGradientNorm: Float = 0

    public init(_ base: Base, clipping: Clipping) {
        self.base = base
        self.clipping = clipping
    }

    public var learningRate: Float {
        get { base.learningRate }
        set { base.learningRate = newValue }
    }

    public mutating func step(_ parameters: ParameterStore) {
        lastGradientNorm = clipping.apply(to: parameters)
        base.step(parameters)
    }
}
