/// An optimizer named with its hyper-parameters, as written in an experiment's YAML config, e.g.
/// `{method: clip-radagradd, lr: 0.1, clip: 1, eta: 0.5, b0: 1}` or `{method: adam, lr: 1e-3, clip: 1}`
/// (Adam on clipped gradients, the same as `clip-adam`). The name resolves through
/// `OptimizerRegistry`; `make()` checks that every hyper-parameter the optimizer needs is given,
/// that none is given it does not read, and that each lies in its range.
///
/// The fields, their types and their JSON form are those runs have always been keyed by (a run's
/// key hashes the spec's canonical JSON), so no stored run moves; `delayed` is new and, when unset,
/// absent from the JSON.
public struct OptimizerSpec: Codable, Hashable, Sendable {
    public var method: OptimizerName
    /// γ.
    public var lr: Float
    /// λ: clip the gradient's norm to λ before the step.
    public var clip: Float?
    /// β (momentum / β₁) where the method has one.
    public var beta: Float?
    public var beta2: Float?
    public var eta: Float?
    public var b0: Float?
    public var weightDecay: Float?
    public var coordinateWise: Bool?
    /// Clip each parameter tensor's gradient norm separately instead of the whole vector's.
    public var clipPerTensor: Bool?
    /// D, the distance scale of the universal method.
    public var radius: Double?
    /// The delayed step size, as the name suffix `d` asks for.
    public var delayed: Bool?

    public init(method: OptimizerName, lr: Float, clip: Float? = nil, beta: Float? = nil, beta2: Float? = nil, eta: Float? = nil,
                b0: Float? = nil, weightDecay: Float? = nil, coordinateWise: Bool? = nil, clipPerTensor: Bool? = nil, radius: Double? = nil,
                delayed: Bool? = nil) {
        self.method = method
        self.lr = lr
        self.clip = clip
        self.beta = beta
        self.beta2 = beta2
        self.eta = eta
        self.b0 = b0
        self.weightDecay = weightDecay
        self.coordinateWise = coordinateWise
        self.clipPerTensor = clipPerTensor
        self.radius = radius
        self.delayed = delayed
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Sets hyper-parameter `key` to `value` (a flag: true when `value` ≠ 0): how a config that
    /// names hyper-parameters as keys of its own (the optimizer benchmark's untuned entries) fills a
    /// spec. The switch lists every key, so a new one is set here as soon as it exists.
    public mutating func set(_ key: HyperParameter, _ value: Double) {
        switch key {
        case .clip: clip = Float(value)
        case .clipPerTensor: clipPerTensor = value != 0
        case .beta: beta = Float(value)
        case .beta2: beta2 = Float(value)
        case .eta: eta = Float(value)
        case .b0: b0 = Float(value)
        case .weightDecay: weightDecay = Float(value)
        case .coordinateWise: coordinateWise = value != 0
        case .radius: radius = value
        case .delayed: delayed = value != 0
        }
    }

    /// The hyper-parameters given, with their values as numbers and as written.
    var given: [(key: HyperParameter, value: Double, text: String)] {
        let numbers: [(HyperParameter, Float?)] = [(.clip, clip), (.beta, beta), (.beta2, beta2), (.eta, eta), (.b0, b0), (.weightDecay, weightDecay)]
        let flags: [(HyperParameter, Bool?)] = [(.coordinateWise, coordinateWise), (.clipPerTensor, clipPerTensor), (.delayed, delayed)]
        return numbers.compactMap { key, v in v.map { (key, Double($0), "\($0)") } }
            + (radius.map { [(HyperParameter.radius, $0, "\($0)")] } ?? [])
            + flags.compactMap { key, v in v.map { (key, $0 ? 1 : 0, "\($0)") } }
    }

    /// The optimizer this spec names in `registry` and the options its name and fields ask for,
    /// after checking the hyper-parameters against what that optimizer reads.
    public func resolved(in registry: OptimizerRegistry = .standard) throws -> (definition: OptimizerDefinition, clipped: Bool, delayed: Bool) {
        let name = try registry.resolve(method)
        let definition = name.definition
        let clipped = name.clipped || (clip != nil && definition.clippable)
        let delayed = name.delayed || (delayed == true && definition.delayable)
        var required = definition.required, reads = definition.required.union(definition.optional)
        if clipped {
            required.insert(.clip)
            reads.formUnion([.clip, .clipPerTensor])
        }
        if definition.delayable { reads.insert(.delayed) }
        if delayed {
            required.insert(.b0)
            reads.insert(.b0)
        }
        func invalid(_ message: String) -> Invalid { Invalid(description: "optimizer '\(method)'\(message)") }
        guard lr > 0 && lr.isFinite else { throw invalid(": lr must be a positive number, got \(lr)") }
        for (key, value, text) in given {
            guard reads.contains(key) else {
                throw invalid(" does not read '\(key.rawValue)' (it reads lr\(reads.sorted().map { ", \($0.rawValue)" }.joined()))")
            }
            if let range = key.problem(with: value) { throw invalid(": \(key.rawValue) must be \(range), got \(text)") }
        }
        let present = Set(given.map(\.key))
        if let missing = required.sorted().first(where: { !present.contains($0) }) {
            throw invalid(" needs '\(missing.rawValue)'" + (missing == .radius ? " (D), a positive number" : ""))
        }
        return (definition, clipped, delayed)
    }

    /// Builds the optimizer; throws when the name resolves to none in `registry`, or a
    /// hyper-parameter is missing, not read by it, or out of range.
    public func make(in registry: OptimizerRegistry = .standard) throws -> any Optimizer {
        let (definition, clipped, delayed) = try resolved(in: registry)
        let optimizer = try definition.build(self, delayed)
        guard clipped, let clip else { return optimizer }
        func clippedForm<O: Optimizer>(_ base: O) -> any Optimizer {
            Clipped(base, clipping: clipPerTensor == true ? .normPerTensor(clip) : .norm(clip))
        }
        return clippedForm(optimizer)
    }

    /// Bits a worker sends per coordinate and step: 1 for a sign method, 32 for a float gradient.
    public func bitsPerCoordinate() throws -> Int { try resolved().definition.bitsPerCoordinate }

    /// Whether workers running it can send what a majority vote combines (a sign method).
    public var canVote: Bool { (try? resolved().definition.vote) != nil }

    /// The majority vote over workers of this sign method.
    public func majorityVote() throws -> MajorityVoteSignSGD {
        guard let vote = try resolved().definition.vote else {
            let voters = OptimizerRegistry.standard.definitions.filter { $0.vote != nil }.map(\.name.rawValue)
            throw Invalid(description: "optimizer '\(method)' cannot vote: only sign methods (\(voters.joined(separator: ", "))) send what a majority combines")
        }
        return vote(self)
    }
}
