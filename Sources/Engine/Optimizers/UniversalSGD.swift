/// The universal stochastic gradient method, UniSgd (Rodomanov, Kavis, Wu, Antonakopoulos & Cevher
/// 2024, "Universal gradient methods for stochastic convex optimization", Algorithm 4.1): the step
/// is 1/H_k, and H_k grows from the observed change of the gradient along each step, so no
/// Lipschitz or Hölder constant is needed; the only parameter is D, the scale of the distance to a
/// solution.
///
///     x_{k+1} = x_k − γ·g_k/H_k,      r_k = ‖x_{k+1} − x_k‖,   β_k = ⟨g_{k+1} − g_k, x_{k+1} − x_k⟩,
///     H_{k+1} = H_k + [β_k − (H_k/2)·r_k²]₊ / (D² + r_k²/2),     H_0 = 0,
///
/// γ = 1 is the paper's method. While H is 0 (the first step, or no curvature seen yet) the step is
/// the projection of the infinite one onto the ball of radius D: x_k − γ·D·g_k/‖g_k‖.
/// As in the authors' implementation the gradient at x_{k+1} is the next step's stochastic
/// gradient (one new gradient per step, two samples in β_k). Ours: no projection onto the ball
/// B(x₀, D) and the last iterate, not the average, is the model — a network has no known radius
/// around its initialisation, and averaged iterates are not what is evaluated in training.
public struct UniversalSGD: Optimizer {
    public var learningRate: Float
    /// D.
    public let radius: Double
    /// H_k before the next step.
    public private(set) var h: Double = 0
    private var previousGradient = StateVector()
    private var previousStep = StateVector()
    private var steps = 0

    public init(learningRate: Float = 1, radius: Double) {
        precondition(learningRate > 0 && radius > 0 && radius.isFinite, "UniversalSGD needs γ > 0 and D > 0; got γ=\(learningRate), D=\(radius)")
        self.learningRate = learningRate
        self.radius = radius
    }

    public mutating func step(_ parameters: ParameterStore) {
        let (first, d, gamma) = (steps == 0, radius, Double(learningRate))
        var h = self.h
        parameters.withValuesAndGrads { x, g in
            let n = x.count
            previousGradient.withBuffer(count: n) { gPrevious in previousStep.withBuffer(count: n) { delta in
                let (gp, dp, gb) = (gPrevious.baseAddress!, delta.baseAddress!, g.baseAddress!)
                if !first {
                    let r2 = RowKernels.dot(dp, dp, n)
                    // β = ⟨g_k − g_{k−1}, x_k − x_{k−1}⟩ = ⟨g_k, Δ⟩ − ⟨g_{k−1}, Δ⟩.
                    let beta = RowKernels.dot(gb, dp, n) - RowKernels.dot(gp, dp, n)
                    h += max(0, beta - h / 2 * r2) / (d * d + r2 / 2)
                }
                let norm = RowKernels.dot(gb, gb, n).squareRoot()
                let scale = h > 0 ? gamma / h : (norm > 0 ? gamma * d / norm : 0)
                let s = Float(scale)
                for i in 0..<n {
                    dp[i] = -s * gb[i]
                    x[i] += dp[i]
                }
                gp.update(from: gb, count: n)
            }}
        }
        self.h = h
        steps += 1
    }
}

extension OptimizerName {
    public static let universalSGD: OptimizerName = "usgm"
}

extension UniversalSGD {
    /// `usgm`, needs `radius` (D); `lr` 1 is the paper's method.
    public static let definition = OptimizerDefinition(.universalSGD, required: [.radius]) { spec, _ in
        UniversalSGD(learningRate: spec.lr, radius: spec.radius!)
    }
}
