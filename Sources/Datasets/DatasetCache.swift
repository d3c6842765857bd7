import Engine
import Foundation

/// The on-disk home of datasets: raw files fetched or imported under `<root>/raw/<name>/`, and one
/// parsed, zstd-compressed entry per dataset and preprocessing version under
/// `<root>/datasets/<name>.p<version>.rpds`. Every load checks the entry; a damaged or stale one is
/// reported and rebuilt from the raw files.
public struct DatasetCache {
    public let root: URL
    public let registry: DatasetRegistry
    /// Receives messages a user should see (rebuilding a damaged entry, falling back to a sample).
    public let report: (String) -> Void

    public init(root: URL, registry: DatasetRegistry = .standard,
                report: @escaping (String) -> Void = { StandardStreams.diagnostic("repro: " + $0 + "\n") }) {
        self.root = root
        self.registry = registry
        self.report = report
    }

    /// `$REPRO_CACHE`, or `~/.cache/repro`.
    /// `$REPRO_CACHE`, else `$XDG_CACHE_HOME/repro`, else `$HOME/.cache/repro` (the XDG base
    /// directory rule; an empty variable counts as unset).
    public static var defaultRoot: URL { root(environment: ProcessInfo.processInfo.environment) }

    static func root(environment env: [String: String]) -> URL {
        func value(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let cache = value("REPRO_CACHE") { return URL(fileURLWithPath: cache, isDirectory: true) }
        if let xdg = value("XDG_CACHE_HOME") { return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("repro", isDirectory: true) }
        let home = value("HOME").map { URL(fileURLWithPath: $0, isDirectory: true) } ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".cache/repro", isDirectory: true)
    }

    public func rawDirectory(_ name: String) -> URL {
        root.appendingPathComponent("raw", isDirectory: true).appendingPathComponent(name, isDirectory: true)
    }

    var entriesDirectory: URL { root.appendingPathComponent("datasets", isDirectory: true) }

    public func entryURL(_ spec: DatasetSpec) -> URL {
        entriesDirectory.appendingPathComponent("\(spec.name).p\(spec.preprocessingVersion).rpds")
    }

    // MARK: Finding and checking raw files

    /// Each raw file's path, looked for in the cache's raw directory and then in the spec's system
    /// directories; the names of the files found nowhere.
    func locateRawFiles(_ spec: DatasetSpec) -> (found: [String: URL], missing: [String]) {
        let fm = FileManager.default
        var found: [String: URL] = [:], missing: [String] = []
        let directories = [rawDirectory(spec.name)] + spec.systemDirectories.map { URL(fileURLWithPath: $0, isDirectory: true) }
        for file in spec.files {
            if let url = directories.map({ $0.appendingPathComponent(file.name) }).first(where: { fm.fileExists(atPath: $0.path) }) {
                found[file.name] = url
            } else {
                missing.append(file.name)
            }
        }
        return (found, missing)
    }

    /// Hashes `url` and checks it against the registry's accepted digests for `file`.
    /// Returns the digest.
    @discardableResult
    func verifyRawFile(_ url: URL, as file: RawFile, of spec: DatasetSpec) throws -> String {
        let digest = try SHA256Digest.ofFile(url, dataset: spec.name)
        guard file.sha256.contains(where: { $0.digest == digest }) else {
            let expected = file.sha256.map { "\($0.digest) (\($0.origin))" }.joined(separator: " or ")
            let source = file.urls.first.map { "re-download it from \($0)" } ?? "obtain it again"
            throw DatasetError(spec.name, .hashMismatch,
                               "\(file.name) at \(url.path) has SHA-256 \(digest), expected \(expected); \(source) or run `\(spec.importHint)`")
        }
        return digest
    }

    // MARK: Status

    /// What is present for `name`, from file existence and the entry's header only (cheap; `verify`
    /// decodes the whole entry).
    public func status(_ name: String) throws -> DatasetStatus {
        let spec = try registry.spec(name)
        let (found, missing) = locateRawFiles(spec)
        let cache: DatasetStatus.Cache
        var header: CacheHeader?
        let entry = entryURL(spec)
        if !FileManager.default.fileExists(atPath: entry.path) {
            cache = .missing
        } else {
            do {
                header = try CacheFile.readHeader(entry, dataset: spec.name)
                cache = staleness(header!, spec).map { .stale($0) } ?? .valid
            } catch let e as DatasetError {
                cache = .corrupt(e.message)
            }
        }
        return DatasetStatus(name: name, raw: missing.isEmpty ? .present(found) : .missing(missing),
                             cache: cache, hasSample: sampleFiles(spec) != nil, header: header)
    }

    /// Why an entry no longer matches the registry, or nil when it does.
    func staleness(_ header: CacheHeader, _ spec: DatasetSpec) -> String? {
        if header.preprocessingVersion != spec.preprocessingVersion {
            return "built by preprocessing version \(header.preprocessingVersion), current is \(spec.preprocessingVersion)"
        }
        if header.isSample { return "built from the sample, not the full data" }
        for file in spec.files {
            guard let digest = header.rawSHA256[file.name], file.sha256.contains(where: { $0.digest == digest }) else {
                return "built from a \(file.name) the registry no longer accepts"
            }
        }
        return nil
    }

    // MARK: Loading

    /// The dataset, from a valid cache entry, else parsed from verified raw files (and cached), else
    /// (when `allowSample`) from the sample shipped in the repository, flagged `isSample`.
    public func load(_ name: String, allowSample: Bool = true) throws -> LoadedDataset {
        let spec = try registry.spec(name)
        AtomicFileWriter.removeAbandonedTempFiles(in: entriesDirectory)
        let entry = entryURL(spec)
        if FileManager.default.fileExists(atPath: entry.path) {
            do {
                let header = try CacheFile.readHeader(entry, dataset: spec.name)
                if let reason = staleness(header, spec) {
                    report("\(spec.name): cache entry \(entry.path) is stale (\(reason)); rebuilding it from the raw files")
                } else {
                    let (_, data) = try CacheFile.read(entry, dataset: spec.name)
                    return LoadedDataset(name: spec.name, data: data, isSample: false,
                                         provenance: "\(spec.name): full data from the cache \(entry.path)")
                }
            } catch let e as DatasetError where e.kind == .cacheCorrupt {
                report("\(e.description); rebuilding it from the raw files")
            }
            try? FileManager.default.removeItem(at: entry)
        }
        let (found, missing) = locateRawFiles(spec)
        if missing.isEmpty { return try build(spec, from: found) }
        if allowSample, let sample = sampleFiles(spec) {
            let data = try spec.parser.parse(files: sample, dataset: spec.name)
            let locations = Set(sample.values.map { $0.path }).sorted().joined(separator: ", ")
            let provenance = "\(spec.name): running on the SAMPLE shipped in the repository (\(locations)), not the full data; "
                + "missing \(missing.joined(separator: ", ")). For the full data run `repro datasets fetch \(spec.name)` or `\(spec.importHint)`"
            report(provenance)
            return LoadedDataset(name: spec.name, data: data, isSample: true, provenance: provenance)
        }
        throw DatasetError(spec.name, .missingRawFile,
                           "raw file\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) not found in \(rawDirectory(spec.name).path)"
                           + (spec.systemDirectories.isEmpty ? "" : " or \(spec.systemDirectories.joined(separator: ", "))")
                           + "; run `repro datasets fetch \(spec.name)` or `\(spec.importHint)`")
    }

    /// The sample shipped in the repository, whatever the cache holds: quick-scale runs read it so
    /// that their numbers (and the baselines written from them) do not depend on whether this
    /// machine has the full data.
    public func loadSample(_ name: String) throws -> LoadedDataset {
        let spec = try registry.spec(name)
        guard let sample = sampleFiles(spec) else {
            throw DatasetError(spec.name, .missingRawFile, "no sample of \(spec.name) is shipped (expected under \(registry.samplesDirectory?.path ?? "datasets/samples"))")
        }
        let locations = Set(sample.values.map { $0.path }).sorted().joined(separator: ", ")
        return LoadedDataset(name: spec.name, data: try spec.parser.parse(files: sample, dataset: spec.name), isSample: true,
                             provenance: "\(spec.name): the sample shipped in the repository (\(locations))")
    }

    /// Verifies the raw files, parses them, writes the cache entry, and returns the dataset.
    func build(_ spec: DatasetSpec, from files: [String: URL]) throws -> LoadedDataset {
        var digests: [String: String] = [:]
        for file in spec.files { digests[file.name] = try verifyRawFile(files[file.name]!, as: file, of: spec) }
        let data = try spec.parser.parse(files: files, dataset: spec.name)
        let entry = entryURL(spec)
        try CacheFile.write(data, dataset: spec.name, preprocessingVersion: spec.preprocessingVersion,
                            rawSHA256: digests, isSample: false, to: entry)
        let sources = Set(files.values.map { $0.deletingLastPathComponent().path }).sorted().joined(separator: ", ")
        return LoadedDataset(name: spec.name, data: data, isSample: false,
                             provenance: "\(spec.name): full data parsed from \(sources), cached in \(entry.path)")
    }

    /// The shipped sample's files by the raw file name they stand in for, when all exist.
    func sampleFiles(_ spec: DatasetSpec) -> [String: URL]? {
        guard !spec.sampleFiles.isEmpty, let dir = registry.samplesDirectory else { return nil }
        var files: [String: URL] = [:]
        for (raw, relative) in spec.sampleFiles {
            let url = dir.appendingPathComponent(relative)
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            files[raw] = url
        }
        return files
    }
}
