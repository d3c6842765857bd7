import Foundation
import Yams

/// A config whose values are checked after decoding (counts positive, probabilities in range, …);
/// `ConfigFile` runs the check, so a bad value stops the command before any run starts.
public protocol ValidatedConfig {
    func validate() throws
}

/// Reads a paper's YAML config into a Codable type, with errors that name the file, the key path
/// and what was expected, e.g. `reproductions/x/experiments.yaml: at quick.steps: expected an
/// integer, found "ten"`; YAML syntax errors give the line and column; a `ValidatedConfig` is
/// validated, its errors prefixed with the file.
public enum ConfigFile {
    /// Decodes `file`. A paper's sweep is written in its YAML only, so a missing file stops the
    /// command: run from somewhere else, `repro` would otherwise have nothing to run.
    public static func load<T: Decodable>(_ type: T.Type, from file: URL) throws -> T {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            if FileManager.default.fileExists(atPath: file.path) { throw SuiteError("\(file.path): cannot be read (is it a folder, or not readable?)") }
            throw SuiteError("\(file.path) not found: the sweeps are read from reproductions/<paper>/experiments.yaml in the "
                + "project folder. Run repro inside the checkout, or name it with --root (or REPRO_ROOT); a deleted file comes "
                + "back with `git checkout -- reproductions/`")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SuiteError("\(file.path): not UTF-8 text; fix it, or restore the shipped one with `git checkout -- \(file.path)`")
        }
        return try decode(type, yaml: text, file: file.path)
    }

    public static func decode<T: Decodable>(_ type: T.Type, yaml: String, file: String) throws -> T {
        let value: T
        do {
            value = try YAMLDecoder().decode(type, from: yaml)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, let syntax = context.underlyingError as? YamlError {
                throw SuiteError("\(file): not valid YAML: \(syntax)")
            }
            throw SuiteError("\(file): " + describe(error))
        } catch let error as YamlError {
            throw SuiteError("\(file): not valid YAML: \(error)")
        }
        if let config = value as? any ValidatedConfig {
            do { try config.validate() } catch { throw SuiteError("\(file): \(error)") }
        }
        return value
    }

    static func path(_ codingPath: [CodingKey]) -> String {
        let parts = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
        return parts.isEmpty ? "the top level" : parts.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            return "at \(path(context.codingPath)): expected \(expected(type)); \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "at \(path(context.codingPath)): expected \(expected(type)), found nothing"
        case .keyNotFound(let key, let context):
            return "at \(path(context.codingPath + [key])): required key '\(key.stringValue)' is missing"
        case .dataCorrupted(let context):
            return "at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Node.Mapping.Type: return "a mapping (key: value entries)"
        case is Node.Sequence.Type: return "a list"
        case is Node.Scalar.Type: return "a single value"
        default: return "\(type)"
        }
    }
}
