import Foundation

/// Every finished run of a sweep as one tidy table: a row per run; columns for where it belongs
/// (paper, experiment, group, seed, key), one per config field (`config.…`, JSON objects such as an
/// optimizer spec spread into `config.optimizer.lr`, `config.optimizer.method`, …), one per final
/// metric (`final.…`) and machine measurement (`measurement.…`), then how it ran. Written as CSV
/// (RFC 4180: one header, fields quoted when they hold a comma, quote or line break) so that pandas
/// and R read it without glue; a cell is empty where a run has no such field.
public struct RunExport: Sendable {
    public static let leadingColumns = ["paper", "experiment", "group", "seed", "key"]
    public static let trailingColumns = ["diverged", "divergence", "wall_seconds", "git_commit", "engine_version",
                                         "blas_version", "blas_core", "blas_threads", "host", "finished_at"]

    public let columns: [String]
    public let rows: [[String]]
    /// Runs of the sweep that are not finished in the store, left out.
    public let missing: Int

    /// The finished runs of `experiments`, in sweep order.
    public init(_ experiments: [Experiment], store: RunStore) throws {
        var records: [[String: String]] = [], missing = 0
        var configColumns = Set<String>(), finalColumns = Set<String>(), measurementColumns = Set<String>()
        for experiment in experiments {
            for run in experiment.runs {
                guard let summary = try store.summary(run) else {
                    missing += 1
                    continue
                }
                var record: [String: String] = [
                    "paper": run.paper, "experiment": run.experiment, "group": run.group, "seed": String(run.seed), "key": summary.key,
                    "diverged": String(summary.diverged), "divergence": summary.divergence ?? "",
                    "wall_seconds": Self.cell(summary.wallSeconds), "git_commit": summary.gitCommit ?? "",
                    "engine_version": summary.engineVersion, "blas_version": summary.blasVersion ?? "", "blas_core": summary.blasCore ?? "",
                    "blas_threads": String(summary.blasThreads), "host": summary.host, "finished_at": summary.finishedAt,
                ]
                for (name, value) in run.parameters {
                    for (field, text) in Self.fields(of: value, named: "config.\(name)") {
                        record[field] = text
                        configColumns.insert(field)
                    }
                }
                for (name, value) in summary.final {
                    record["final.\(name)"] = Self.cell(value)
                    finalColumns.insert("final.\(name)")
                }
                for (name, value) in summary.measurements ?? [:] {
                    record["measurement.\(name)"] = Self.cell(value)
                    measurementColumns.insert("measurement.\(name)")
                }
                records.append(record)
            }
        }
        self.missing = missing
        let header = Self.leadingColumns + configColumns.sorted() + finalColumns.sorted() + measurementColumns.sorted() + Self.trailingColumns
        columns = header
        rows = records.map { record in header.map { record[$0] ?? "" } }
    }

    /// The table as RFC 4180 CSV, CRLF line ends.
    public func csv() -> String {
        ([columns] + rows).map { $0.map(Self.quoted).joined(separator: ",") + "\r\n" }.joined()
    }

    /// Writes `csv()` to `url` through a temporary file, so an interrupted export leaves no half a table. An existing file there is replaced only when it is an export
    /// itself (its header starts with this one's leading columns) or with `force`: the user's own
    /// files are never overwritten by mistake.
    public func write(to url: URL, force: Bool = false) throws {
        try Self.refuseForeignOutput(url, force: force)
        try Data(csv().utf8).writeAtomically(to: url)
    }

    /// The check of `write`, for callers that want it before any work.
    public static func refuseForeignOutput(_ url: URL, force: Bool) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return }
        guard !isDirectory.boolValue else { throw SuiteError("--output \(url.path) is a folder; give the path of the CSV file to write") }
        guard !force else { return }
        let start = (try? FileHandle(forReadingFrom: url).read(upToCount: 256)).flatMap { $0.map { String(decoding: $0, as: UTF8.self) } } ?? ""
        guard start.hasPrefix(leadingColumns.joined(separator: ",")) else {
            throw SuiteError("\(url.path) exists and is not an export of `repro export`; choose another --output, or add --force to replace it")
        }
    }

    static func quoted(_ field: String) -> String {
        // By scalars: Swift reads "\r\n" as one Character, equal to neither "\r" nor "\n".
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The shortest text that reads back as the same double; "nan", "inf" and "-inf" as pandas and R
    /// read them.
    static func cell(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// A config value's columns: itself, or, for the JSON object of a spec, one column per leaf.
    static func fields(of value: ConfigValue, named name: String) -> [(String, String)] {
        switch value {
        case .int(let v): return [(name, String(v))]
        case .double(let v): return [(name, cell(v))]
        case .bool(let v): return [(name, String(v))]
        case .list: return [(name, json(value))]
        case .string(let text):
            guard text.hasPrefix("{"), let object = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return [(name, text)] }
            return object.leaves(named: name)
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .asText
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// The JSON the config stores specs as (`ConfigValue.json`), to spread an object into columns.
    enum JSONValue: Codable {
        case bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue]), null

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let v = try? c.decode(Bool.self) { self = .bool(v) }
            else if let v = try? c.decode(Double.self) { self = .number(v) }
            else if let v = try? c.decode(String.self) { self = .string(v) }
            else if let v = try? c.decode([JSONValue].self) { self = .array(v) }
            else { self = .object(try c.decode([String: JSONValue].self)) }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .bool(let v): try c.encode(v)
            case .number(let v): try c.encode(v)
            case .string(let v): try c.encode(v)
            case .array(let v): try c.encode(v)
            case .object(let v): try c.encode(v)
            case .null: try c.encodeNil()
            }
        }

        func leaves(named name: String) -> [(String, String)] {
            switch self {
            case .object(let members): return members.sorted { $0.key < $1.key }.flatMap { $0.value.leaves(named: "\(name).\($0.key)") }
            case .bool(let v): return [(name, String(v))]
            case .number(let v): return [(name, RunExport.cell(v))]
            case .string(let v): return [(name, v)]
            case .array: return [(name, RunExport.json(self))]
            case .null: return [(name, "")]
            }
        }
    }
}
