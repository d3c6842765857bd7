import Foundation

/// What is on this machine for one dataset, found without parsing anything (for `repro list` and
/// `repro datasets list`).
public struct DatasetStatus {
    public enum Raw {
        /// Every raw file was found, at these paths (by file name).
        case present([String: URL])
        /// These raw files are missing.
        case missing([String])
    }

    public enum Cache: Equatable {
        case valid
        case missing
        case stale(String)
        case corrupt(String)
    }

    public let name: String
    public let raw: Raw
    public let cache: Cache
    public let hasSample: Bool
    /// The cache entry's header when it could be read (array shapes and attributes).
    public let header: CacheHeader?

    /// One line for a listing, e.g. "cached" or "sample only (run `repro datasets fetch …`)".
    public var summary: String {
        var problem = ""
        switch cache {
        case .valid: return "ready (cached)"
        case .missing: break
        case .stale(let why), .corrupt(let why): problem = "cache entry must be rebuilt (\(why)); "
        }
        switch raw {
        case .present(let files):
            let dirs = Set(files.values.map { $0.deletingLastPathComponent().path }).sorted()
            return problem + "raw files present (\(dirs.joined(separator: ", "))); the cache entry is built on first load"
        case .missing where hasSample:
            return problem + "full data missing, experiments use the shipped sample; run `repro datasets fetch \(name)` or `repro datasets import \(name) PATH`"
        case .missing:
            return problem + "missing; run `repro datasets fetch \(name)` or `repro datasets import \(name) PATH`"
        }
    }
}
