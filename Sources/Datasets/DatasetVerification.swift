import Foundation

/// The result of rechecking one dataset: each raw file's hash and the cache entry's full payload.
public struct DatasetVerification {
    public enum FileResult {
        case ok(URL, origin: String)
        case missing
        case failed(DatasetError)
    }

    public let name: String
    public let files: [(name: String, result: FileResult)]
    public let cache: DatasetStatus.Cache

    /// True when nothing present is wrong (missing files and a missing cache are not failures).
    public var passed: Bool {
        let filesOK = files.allSatisfy { if case .failed = $0.result { return false } else { return true } }
        switch cache {
        case .valid, .missing: return filesOK
        case .stale, .corrupt: return false
        }
    }
}

extension DatasetCache {
    /// Rehashes every raw file present and decompresses the whole cache entry, checking its SHA-256.
    public func verify(_ name: String) throws -> DatasetVerification {
        let spec = try registry.spec(name)
        let (found, _) = locateRawFiles(spec)
        var files: [(String, DatasetVerification.FileResult)] = []
        for file in spec.files {
            guard let url = found[file.name] else { files.append((file.name, .missing)); continue }
            do {
                let digest = try verifyRawFile(url, as: file, of: spec)
                files.append((file.name, .ok(url, origin: file.sha256.first { $0.digest == digest }!.origin)))
            } catch let e as DatasetError {
                files.append((file.name, .failed(e)))
            }
        }
        let entry = entryURL(spec)
        var cache = DatasetStatus.Cache.missing
        if FileManager.default.fileExists(atPath: entry.path) {
            do {
                let (header, _) = try CacheFile.read(entry, dataset: spec.name)
                cache = staleness(header, spec).map { .stale($0) } ?? .valid
            } catch let e as DatasetError {
                cache = .corrupt(e.message)
            }
        }
        return DatasetVerification(name: spec.name, files: files, cache: cache)
    }
}
