import Foundation

/// The settings of one run as the paper's own type: built and validated once when the experiments
/// are read from YAML, handed as they are to the experiment's body.
///
/// The store still addresses a run by the canonical JSON of its parameters (`RunConfig.key`): the
/// type's coding keys are the parameter names and its values encode as the parameters always did,
/// so moving an experiment to a typed form moves none of its keys (`RunKeyDigestTests` pins every
/// key of every paper). Two rules keep it so: a nested setting that was stored as JSON text is a
/// `@JSONEncoded` property, and a number keeps the Swift type it was stored with (a `Float` setting
/// stored as `Double(x)` stays a `Double`, since 0.1 as a Float prints as 0.1 and as its Double
/// 0.10000000149011612). An optional that is nil is left out, as the sweeps leave out a parameter
/// a run does not choose.
public protocol RunParameters: Codable, Hashable, Sendable {}

/// A nested setting (an optimizer, a noise, a model) kept in the run's key as canonical JSON text,
/// which is how the store has always hashed structured settings.
@propertyWrapper
public struct JSONEncoded<Value: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    public var wrappedValue: Value

    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        wrappedValue = try JSONDecoder().decode(Value.self, from: Data(text.utf8))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        guard case .string(let text) = try ConfigValue.json(wrappedValue) else { preconditionFailure("ConfigValue.json makes a string") }
        try container.encode(text)
    }
}

extension RunConfig {
    /// A run whose parameters are `typed`, stored as the name → value map its key is computed from.
    public init<P: RunParameters>(paper: String, experiment: String, group: RunGroup, seed: Int, typed: P) throws {
        let json = try JSONEncoder().encode(typed)
        let parameters: [String: ConfigValue]
        do {
            parameters = try JSONDecoder().decode([String: ConfigValue].self, from: json)
        } catch {
            preconditionFailure("\(P.self) must encode as an object of plain values and lists: \(error)")
        }
        self.init(paper: paper, experiment: experiment, group: group.name, fields: group, seed: seed, parameters: parameters)
    }

    /// The parameters as the type the experiment built them with.
    public func typed<P: RunParameters>(_ type: P.Type) throws -> P {
        let json = try JSONEncoder().encode(parameters)
        do {
            return try JSONDecoder().decode(P.self, from: json)
        } catch let error as DecodingError {
            throw SuiteError("run \(label): its parameters are not a valid \(P.self) (\(error)); a stored config.json "
                + "of another version of this experiment? Recompute the run with --force")
        }
    }
}

extension Experiment {
    /// An experiment whose runs carry parameters of type `P`; `execute` receives them typed.
    public init<P: RunParameters>(id: String, title: String, runs: [RunConfig], parameters: P.Type, after: [String] = [],
                                  analysis: [String: ConfigValue] = [:], exclusive: Bool = false, exactMetrics: Set<String> = [],
                                  execute: @escaping @Sendable (P, RunContext) throws -> Void) {
        self.init(id: id, title: title, runs: runs, after: after, analysis: analysis, exclusive: exclusive, exactMetrics: exactMetrics) {
            run, context in try execute(try run.typed(P.self), context)
        }
        parameterType = P.self
    }
}
