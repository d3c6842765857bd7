import Crypto
import Engine
import Foundation

/// One run: an experiment's settings for one method, hyper-parameter choice and seed.
///
/// `group` names the run's settings without the seed ("method=adagrad noise=student-t(1.5)"):
/// runs of a group differ only in their seed, and baselines, quantile bands and claims are per
/// group. The key is the SHA-256 of the canonical JSON of everything that determines the result
/// plus the result-format version; the scale is not part of it, so a run shared by the quick and
/// full sweeps is computed once.
public struct RunConfig: Hashable, Sendable, Codable {
    public let paper: String
    public let experiment: String
    public let group: String
    public let seed: Int
    public let parameters: [String: ConfigValue]
    /// The group's fields, when the run was built from its experiment's YAML; not part of the key
    /// (the name `group` is) and not stored, so figures and claims read them from the experiments.
    public let groupFields: RunGroup?

    enum CodingKeys: String, CodingKey { case paper, experiment, group, seed, parameters }

    /// Equal when the key's fields are: a run read back from the store (no group fields) is the
    /// same run as the one its experiment built.
    public static func == (a: RunConfig, b: RunConfig) -> Bool {
        (a.paper, a.experiment, a.group, a.seed, a.parameters) == (b.paper, b.experiment, b.group, b.seed, b.parameters)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(paper)
        hasher.combine(experiment)
        hasher.combine(group)
        hasher.combine(seed)
        hasher.combine(parameters)
    }

    public init(paper: String, experiment: String, group: String, seed: Int, parameters: [String: ConfigValue]) {
        self.init(paper: paper, experiment: experiment, group: group, fields: nil, seed: seed, parameters: parameters)
    }

    init(paper: String, experiment: String, group: String, fields: RunGroup?, seed: Int, parameters: [String: ConfigValue]) {
        self.paper = paper
        self.experiment = experiment
        self.group = group
        self.groupFields = fields
        self.seed = seed
        self.parameters = parameters
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(paper: try c.decode(String.self, forKey: .paper), experiment: try c.decode(String.self, forKey: .experiment),
                  group: try c.decode(String.self, forKey: .group), seed: try c.decode(Int.self, forKey: .seed),
                  parameters: try c.decode([String: ConfigValue].self, forKey: .parameters))
    }

    public func canonicalJSON() -> Data {
        struct Keyed: Encodable {
            let config: RunConfig
            let resultFormatVersion: Int
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Non-finite numbers as strings, as the stores write them: with these, encoding plain values
        // cannot fail (finite values encode as before, so no existing key moves).
        encoder.nonConformingFloatEncodingStrategy = .asText
        return try! encoder.encode(Keyed(config: self, resultFormatVersion: SuiteInfo.resultFormatVersion))
    }

    /// "experiment/group seed s", how progress lines and reports name the run.
    public var label: String { "\(experiment)/\(group) seed \(seed)" }

    /// First 16 hex digits of the SHA-256 of the canonical JSON: short enough for a folder name,
    /// collision-free for any sweep size this suite will see.
    public var key: String {
        SHA256.hash(data: canonicalJSON()).prefix(8).hexString
    }
}

extension ConfigValue {
    /// A structured setting as canonical JSON (sorted keys), so equal settings give equal run keys.
    public static func json<T: Encodable>(_ value: T) throws -> ConfigValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return .string(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// An error with a message meant for the user.
public struct SuiteError: Error, CustomStringConvertible {
    /// What went wrong, for the exit status (README, "Exit statuses").
    public enum Kind: Sendable, Equatable {
        /// A bad option, path, config or input file: the user can fix the command.
        case input
        /// Work that was attempted failed (a run raised an error).
        case failed
        /// A write failed: disk full, read-only or vanished folder, closed output.
        case io
        /// Stopped by this signal (SIGINT, SIGTERM) at a safe point.
        case interrupted(Int32)
    }

    public let description: String
    public let kind: Kind
    public init(_ description: String, kind: Kind = .input) {
        self.description = description
        self.kind = kind
    }
}
