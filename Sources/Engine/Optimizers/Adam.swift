import Foundation

/// Adam (Kingma & Ba 2015, Algorithm 1), and its delayed variant AdamD.
///
/// m_t = β₁m_{t−1} + (1−β₁)g_t,  v_t = β₂v_{t−1} + (1−β₂)g_t²,
/// x_{t+1} = x_t − γ · m̂_t / (√v̂_t + ε),  m̂_t = m_t/(1−β₁ᵗ),  v̂_t = v_t/(1−β₂ᵗ).
///
/// AdamD (`delayed: true`, Chezhegov et al. arXiv 2406.04443, §2) divides by the second moment
/// *before* g_t enters: x_{t+1} = x_t − γ · m̂_t / (√v_{t−1} + ε), so the step size is independent of
/// the current stochastic gradient given the past. Like AdaGradD it needs a positive start,
/// v_0 = b₀²; with v_0 ≠ 0 the (1−β₂ᵗ) correction would be wrong, so v is used uncorrected.
public struct Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    public let delayed: Bool
    public let b0: Float
    public private(set) var t = 0
    private var m = StateVector(), v = StateVector()

    public init(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                delayed: Bool = false, b0: Float = 0) {
        precondition(learningRate > 0 && (0..<1).contains(beta1) && (0..<1).contains(beta2) && epsilon > 0,
                     "Adam needs γ > 0, β₁, β₂ ∈ [0, 1), ε > 0")
        precondition(!delayed || b0 > 0, "delayed Adam needs b₀ > 0 (v₀ = b₀²), got \(b0)")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.delayed = delayed
        self.b0 = b0
    }

    public mutating func step(_ parameters: ParameterStore) {
        t += 1
        let (b1, b2, eps, delayed) = (beta1, beta2, epsilon, self.delayed)
        let c1 = 1 - Float(Foundation.pow(Double(b1), Double(t)))
        let c2 = 1 - Float(Foundation.pow(Double(b2), Double(t)))
        let stepSize = learningRate / c1
        let first = t == 1, v0 = b0 * b0
        parameters.withValuesAndGrads { x, g in
            m.withBuffer(count: x.count) { m in v.withBuffer(count: x.count) { v in
                if delayed {
                    if first { for i in 0..<v.count { v[i] = v0 } }
                    for i in 0..<x.count {
                        m[i] = b1 * m[i] + (1 - b1) * g[i]
                        x[i] -= stepSize * m[i] / (v[i].squareRoot() + eps)
                        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                    }
                    return
                }
                // Eight lanes at a time: left to itself LLVM keeps this loop scalar (four buffers
                // that may alias), and scalar sqrt+div made Adam cost as much as the MLP's backward.
                let (xp, gp, mp, vp) = (x.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!)
                let lanes = x.count / 8 * 8
                let inverseC2 = 1 / c2
                for i in stride(from: 0, to: lanes, by: 8) {
                    let gi = UnsafeRawPointer(gp + i).loadUnaligned(as: SIMD8<Float>.self)
                    let mi = b1 * UnsafeRawPointer(mp + i).loadUnaligned(as: SIMD8<Float>.self) + (1 - b1) * gi
                    let vi = b2 * UnsafeRawPointer(vp + i).loadUnaligned(as: SIMD8<Float>.self) + (1 - b2) * gi * gi
                    let xi = UnsafeRawPointer(xp + i).loadUnaligned(as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(mp + i).storeBytes(of: mi, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(vp + i).storeBytes(of: vi, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(xp + i).storeBytes(of: xi - stepSize * mi / ((vi * inverseC2).squareRoot() + eps), as: SIMD8<Float>.self)
                }
                for i in lanes..<x.count {
                    m[i] = b1 * m[i] + (1 - b1) * g[i]
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                    x[i] -= stepSize * m[i] / ((v[i] * inverseC2).squareRoot() + eps)
                }
            }}
        }
    }
}

extension OptimizerName {
    public static let adam: OptimizerName = "adam"
}

extension Adam {
    /// `adam`, `adamd` (delayed, needs b₀), `clip-adam`, `clip-adamd`.
    public static let definition = OptimizerDefinition(.adam, optional: [.beta, .beta2], clippable: true, delayable: true) { spec, delayed in
        Adam(learningRate: spec.lr, beta1: spec.beta ?? 0.9, beta2: spec.beta2 ?? 0.999, delayed: delayed, b0: spec.b0 ?? 0)
    }
}
