import Engine

/// The optimizer of the README's "Add your optimizer" walkthrough, as a user would write it in one
/// file: SGD on coordinate-wise clipped gradients, x_{t+1} = x_t − γ·clamp(g_t, −c, c), with the
/// definition that lets a YAML config name it `coordinate-clipped-sgd` and set `clip` (c, default 1).
struct CoordinateClippedSGD: Optimizer {
    var learningRate: Float
    let level: Float

    mutating func step(_ parameters: ParameterStore) {
        let (gamma, c) = (learningRate, level)
        parameters.withValuesAndGrads { x, g in
            for i in 0..<x.count { x[i] -= gamma * min(max(g[i], -c), c) }
        }
    }

    static let definition = OptimizerDefinition("coordinate-clipped-sgd", optional: [.clip]) { spec, _ in
        CoordinateClippedSGD(learningRate: spec.lr, level: spec.clip ?? 1)
    }
}
