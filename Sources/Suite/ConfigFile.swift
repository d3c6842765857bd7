import Foundation
import Yams

/// Reads a paper's YAML config into a Codable type, with errors that name the file, the key path
/// and what was expected, e.g. `reproductions/x/experiments.yaml: at quick.steps: expected an
/// integer, found "ten"`.
public enum ConfigFile {
    /// Decodes `file`; returns nil when it does not exist (the paper then uses built-in defaults).
    public static func load<T: Decodable>(_ type: T.Type, from file: URL) throws -> T? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        return try decode(type, yaml: text, file: file.path)
    }

    public static func decode<T: Decodable>(_ type: T.Type, yaml: String, file: String) throws -> T {
        do {
            return try YAMLDecoder().decode(type, from: yaml)
        } catch let error as DecodingError {
            throw SuiteError("\(file): " + describe(error))
        } catch let error as YamlError {
            throw SuiteError("\(file): not valid YAML: \(error)")
        }
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
        default: return "\(type)"
        }
    }
}
