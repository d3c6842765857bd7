import Engine
import Suite

/// One optimizer of the benchmark as its YAML entry writes it: a name for tables and legends, the
/// method, and every hyper-parameter except the step size, which the tuning protocol chooses
/// (`{name: Clip-Adam, method: adam, clip: 1}`). The hyper-parameters are the keys of
/// `OptimizerSpec`; an `lr` is refused, since writing one would look like it is used.
public struct TunableOptimizer: Decodable, Hashable, Sendable {
    public var name: String
    /// The spec at lr = 1; `spec(lr:)` gives it the tuned step size.
    var untuned: OptimizerSpec

    public init(name: String, untuned: OptimizerSpec) {
        self.name = name
        self.untuned = untuned
    }

    public func spec(lr: Double) -> OptimizerSpec {
        var spec = untuned
        spec.lr = Float(lr)
        return spec
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let method = try container.decode(OptimizerName.self, forKey: Key("method"))
        name = try container.decodeIfPresent(String.self, forKey: Key("name")) ?? method.rawValue
        untuned = OptimizerSpec(method: method, lr: 1)
        for key in container.allKeys where key.stringValue != "method" && key.stringValue != "name" {
            guard let parameter = HyperParameter(rawValue: key.stringValue) else {
                let known = ["name", "method"] + HyperParameter.allCases.map(\.rawValue)
                let why = key.stringValue == "lr" ? "the step size is what the benchmark tunes (each workload's lrGrid); remove it"
                                                  : "it is none of \(known.joined(separator: ", "))"
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "optimizer '\(name)': \(why)")
            }
            untuned.set(parameter, parameter.isFlag ? (try container.decode(Bool.self, forKey: key) ? 1 : 0)
                                                     : try container.decode(Double.self, forKey: key))
        }
    }

    /// Builds it once at a small step size, so a hyper-parameter out of range or not read by the
    /// method stops the config before any run, with a message naming the entry.
    func validate(in registry: OptimizerRegistry) throws {
        try ConfigCheck("optimizer-benchmark optimizers '\(name)'") { _ = try spec(lr: 1e-3).make(in: registry) }
    }
}
