/// What an optimizer's own file declares so that a YAML config can name it: its name, the
/// hyper-parameters it reads besides `lr`, which composable options it takes, what it sends per
/// coordinate, and how to build it from a spec. `OptimizerRegistry` lists the definitions;
/// `OptimizerSpec.make()` checks a spec against its definition before building, so a config error
/// is a message naming the optimizer and the key, never an optimizer's precondition.
public struct OptimizerDefinition: Sendable {
    public let name: OptimizerName
    /// Keys it needs (a spec without one is an error) and keys it may read (a default otherwise).
    public let required: Set<HyperParameter>
    public let optional: Set<HyperParameter>
    /// Norm clipping of the gradient before the step (`clip: λ`, or the name prefix `clip-`):
    /// Clip-SGD, Clip-AdaGrad, Clip-Adam, … (Gorbunov et al. 2020; Chezhegov et al. 2024).
    public let clippable: Bool
    /// The delayed step size (the name suffix `d`, or `delayed: true`): the step at t uses the
    /// accumulator of t − 1, started at b₀, so it is independent of g_t (Chezhegov et al. 2024, §3).
    public let delayable: Bool
    /// Bits a worker sends per coordinate in a distributed step: 32 for a float gradient, 1 for a sign.
    public let bitsPerCoordinate: Int
    /// Its majority-vote form over several workers (sign methods), nil when it cannot vote.
    public let vote: (@Sendable (OptimizerSpec) -> MajorityVoteSignSGD)?
    let build: @Sendable (OptimizerSpec, _ delayed: Bool) throws -> any Optimizer

    public init(_ name: OptimizerName, required: Set<HyperParameter> = [], optional: Set<HyperParameter> = [], clippable: Bool = false,
                delayable: Bool = false, bitsPerCoordinate: Int = 32, vote: (@Sendable (OptimizerSpec) -> MajorityVoteSignSGD)? = nil,
                build: @escaping @Sendable (_ spec: OptimizerSpec, _ delayed: Bool) throws -> any Optimizer) {
        self.name = name
        self.required = required
        self.optional = optional
        self.clippable = clippable
        self.delayable = delayable
        self.bitsPerCoordinate = bitsPerCoordinate
        self.vote = vote
        self.build = build
    }
}

/// A hyper-parameter a spec may set, with the range every optimizer holds it to.
public enum HyperParameter: String, CaseIterable, Sendable, Comparable {
    /// λ, the clipping level; `clipPerTensor` clips each parameter tensor on its own.
    case clip, clipPerTensor
    /// β (momentum, β₁) and β₂.
    case beta, beta2
    /// η, the reweighting of the accumulator (AdaGrad-Norm, Clip-RAdaGradD).
    case eta
    /// b₀, the accumulator's starting value.
    case b0
    case weightDecay
    /// Per-coordinate step sizes instead of one scalar (Clip-RAdaGradD).
    case coordinateWise
    /// D, the distance scale of the universal method.
    case radius
    case delayed

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// Whether it is written true/false rather than as a number.
    public var isFlag: Bool { self == .clipPerTensor || self == .coordinateWise || self == .delayed }

    /// Why `value` is out of range, nil when it is in it.
    func problem(with value: Double) -> String? {
        switch self {
        case .clip, .eta, .b0, .radius: return value > 0 && value.isFinite ? nil : "a positive number"
        case .beta, .beta2: return value >= 0 && value < 1 ? nil : "in [0, 1)"
        case .weightDecay: return value >= 0 && value.isFinite ? nil : "a number ≥ 0"
        case .clipPerTensor, .coordinateWise, .delayed: return nil
        }
    }
}
