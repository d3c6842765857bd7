import Crypto
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

    public init(paper: String, experiment: String, group: String, seed: Int, parameters: [String: ConfigValue]) {
        self.paper = paper
        self.experiment = experiment
        self.group = group
        self.seed = seed
        self.parameters = parameters
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
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try! encoder.encode(Keyed(config: self, resultFormatVersion: SuiteInfo.resultFormatVersion))
    }

    /// "experiment/group seed s", how progress lines and reports name the run.
    public var label: String { "\(experiment)/\(group) seed \(seed)" }

    /// First 16 hex digits of the SHA-256 of the canonical JSON: short enough for a folder name,
    /// collision-free for any sweep size this suite will see.
    public var key: String {
        SHA256.hash(data: canonicalJSON()).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    public subscript(_ name: String) -> ConfigValue? { parameters[name] }

    /// A required numeric parameter, with an error naming the run when it is missing.
    public func double(_ name: String) throws -> Double {
        guard let v = parameters[name]?.doubleValue else {
            throw SuiteError("run \(label): parameter '\(name)' is missing or not a number")
        }
        return v
    }

    public func int(_ name: String) throws -> Int {
        guard case .int(let v)? = parameters[name] else {
            throw SuiteError("run \(label): parameter '\(name)' is missing or not an integer")
        }
        return v
    }

    /// A required list of integers (e.g. the sequence lengths of a sweep).
    public func ints(_ name: String) throws -> [Int] {
        guard case .list(let values)? = parameters[name] else {
            throw SuiteError("run \(label): parameter '\(name)' is missing or not a list")
        }
        return try values.map { v in
            guard case .int(let i) = v else {
                throw SuiteError("run \(label): parameter '\(name)' has a non-integer entry \(v)")
            }
            return i
        }
    }

    public func string(_ name: String) throws -> String {
        guard case .string(let v)? = parameters[name] else {
            throw SuiteError("run \(label): parameter '\(name)' is missing or not a string")
        }
        return v
    }

    /// A parameter naming one case of `T`, with an error listing the cases when it names none.
    /// `absent`, when given, is the value of a run without the parameter: a sweep sets such a
    /// parameter only when it chooses something else, so the runs of the others keep their keys.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type = T.self, absent: T? = nil) throws -> T
        where T.RawValue == String {
        if parameters[name] == nil, let absent { return absent }
        let value = try string(name)
        guard let chosen = T(rawValue: value) else {
            throw SuiteError("run \(label): parameter '\(name)' is '\(value)', not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return chosen
    }

    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let v)? = parameters[name] else {
            throw SuiteError("run \(label): parameter '\(name)' is missing or not true/false")
        }
        return v
    }

    /// A structured parameter (an optimizer, a noise, a model shape) stored with `ConfigValue.json`.
    public func decoded<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(try string(name).utf8))
        } catch let error as DecodingError {
            throw SuiteError("run \(label): parameter '\(name)' is not a valid \(T.self): \(error)")
        }
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
    public let description: String
    public init(_ description: String) { self.description = description }
}
