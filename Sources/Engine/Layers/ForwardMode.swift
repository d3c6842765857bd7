/// How a forward pass runs: training (dropout active, drawing from `rng`) or evaluation.
///
/// Passed explicitly to every layer that behaves differently in training, so there is no global
/// train/eval switch. Each dropout site derives its own stream from `rng` by its parameter-style
/// name; a training loop hands in a fresh `rng` per step (e.g. `run.stream("dropout", step)`), which
/// makes every mask a function of (seed, step, site) alone.
public struct ForwardMode {
    public let isTraining: Bool
    public let rng: RNG

    public static func training(rng: RNG) -> ForwardMode { ForwardMode(isTraining: true, rng: rng) }

    /// Evaluation: dropout is the identity and draws nothing, so the stream is never used.
    public static var evaluation: ForwardMode { ForwardMode(isTraining: false, rng: RNG(seed: 0)) }
}
