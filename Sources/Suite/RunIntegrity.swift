import Crypto
import Engine
import Foundation

/// What a run's folder in the store holds.
public enum RunState: Sendable, Equatable {
    case missing
    case finished(RunSummary)
    /// A folder that cannot be trusted as the run it is named for, and why. It is not a finished
    /// run: `Runner` moves it into quarantine and computes the run again.
    case damaged(String)

    public var summary: RunSummary? {
        if case .finished(let s) = self { return s }
        return nil
    }

    public var problem: String? {
        if case .damaged(let why) = self { return why }
        return nil
    }
}

/// The seal of a finished run: `summary.json` records the SHA-256 of every other file of the run's
/// folder and of itself, and a read checks the folder against it. A run folder is only trusted
/// when its name is the key its summary records, that key is the key of the config it records,
/// and no byte of any file changed since the run finished: a folder renamed or swapped with
/// another, a cut `metrics.csv`, a deleted `config.json` or an edited final metric would otherwise
/// read as a valid result.
enum RunIntegrity {
    static let summaryName = "summary.json"

    /// How `summary.json` and `config.json` are written: sorted keys, so the digest of a summary can
    /// be recomputed from its decoded value.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }

    /// The bytes of `summary.json` for `summary`, sealed: with the digests of the other files in
    /// `folder` and of these bytes without their own digest line.
    static func sealed(_ summary: RunSummary, folder: URL) throws -> (summary: RunSummary, bytes: Data) {
        var sealed = summary
        sealed.files = try digests(of: folder)
        sealed.digest = nil
        let unsealed = try encoder().encode(sealed)
        sealed.digest = SHA256.hash(data: unsealed).hexString
        let bytes = try encoder().encode(sealed)
        guard recordedDigest(bytes)?.unsealed == unsealed else {
            throw SuiteError("summary.json of \(folder.path): its digest line is not where the sealing expects it")
        }
        return (sealed, bytes)
    }

    /// The line `  "digest" : "<64 hex>",` of a sealed summary.json: the digest it records, and the
    /// bytes without that line, which are what was hashed (the summary as written before sealing;
    /// `sealed` checks that this holds). Reading it from the bytes spares a JSON encoding per read.
    static func recordedDigest(_ bytes: Data) -> (digest: String, unsealed: Data)? {
        let marker = Data("\n  \"digest\" : \"".utf8)
        guard let start = bytes.range(of: marker) else { return nil }
        let hexStart = start.upperBound, hexEnd = hexStart + 64
        guard hexEnd + 2 <= bytes.endIndex, bytes[hexEnd] == UInt8(ascii: "\""), bytes[hexEnd + 1] == UInt8(ascii: ",") else { return nil }
        let digest = String(decoding: bytes[hexStart..<hexEnd], as: UTF8.self)
        var unsealed = Data(bytes[bytes.startIndex..<start.lowerBound])
        unsealed.append(bytes[(hexEnd + 2)...])
        return (digest, unsealed)
    }

    /// Every regular file under `folder` but `summary.json`, by path relative to `folder`.
    static func digests(of folder: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        for path in try files(in: folder) where path != summaryName {
            guard let digest = digest(ofFile: folder.appendingPathComponent(path)) else {
                throw SuiteError("cannot read \(folder.appendingPathComponent(path).path)")
            }
            result[path] = digest
        }
        return result
    }

    /// The SHA-256 of a file; nil when it cannot be read.
    static func digest(ofFile url: URL) -> String? {
        FileManager.default.contents(atPath: url.path).map { SHA256.hash(data: $0).hexString }
    }

    /// Size, inode and modification time of a file, nil when it does not exist: one stat, to tell
    /// whether a file read before may have changed since.
    static func fingerprint(ofFile path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return "\(info.st_size):\(info.st_ino):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    /// The latest modification time (seconds since 1970) of any file under `folder`, or of the
    /// folder itself; nil when it does not exist.
    static func newestChange(in folder: String) -> Double? {
        var newest: Double?
        var pending = [folder]
        while let path = pending.popLast() {
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            newest = Swift.max(newest ?? 0, Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) * 1e-9)
            if info.st_mode & S_IFMT == S_IFDIR {
                pending += ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).map { path + "/" + $0 }
            }
        }
        return newest
    }

    /// Paths of the regular files under `folder`, relative to it, in sorted order.
    static func files(in folder: URL) throws -> [String] {
        let fm = FileManager.default
        var result: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? folder : folder.appendingPathComponent(relative)
            for name in try fm.contentsOfDirectory(atPath: directory.path) {
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue { pending.append(path) } else { result.append(path) }
            }
        }
        return result.sorted()
    }

    /// The state of the run folder `folder`, named for the run `key`. `unsealed` is the summary of a
    /// sound run written before digests were recorded, sealed now, and its bytes: the caller stores
    /// them, so later reads check it.
    static func inspect(_ folder: URL, key: String) -> (state: RunState, unsealed: (summary: RunSummary, bytes: Data)?) {
        let fm = FileManager.default
        var info = stat()
        guard stat(folder.path, &info) == 0 else { return (.missing, nil) }
        guard info.st_mode & S_IFMT == S_IFDIR else { return (.damaged("\(folder.path) is a file, not a run folder"), nil) }
        let summaryPath = folder.appendingPathComponent(summaryName).path
        func file(_ name: String) -> String { folder.appendingPathComponent(name).path }
        guard let data = fm.contents(atPath: summaryPath) else {
            return (.damaged("\(summaryPath) is missing: the run never finished, or its summary was deleted"), nil)
        }
        let summary: RunSummary
        do {
            summary = try JSONDecoder().decode(RunSummary.self, from: data)
        } catch let error as DecodingError {
            return (.damaged("\(summaryPath) does not read (\(ConfigFile.describe(error)))"), nil)
        } catch {
            return (.damaged("\(summaryPath) does not read (\(error))"), nil)
        }
        guard summary.key == key else {
            return (.damaged("\(summaryPath) is of the run with key \(summary.key), not \(key): the folder was renamed or swapped with another"), nil)
        }
        guard summary.config.key == key else {
            return (.damaged("the config in \(summaryPath) has key \(summary.config.key), not \(key): the summary was edited"), nil)
        }
        do {
            if let files = summary.files, let recorded = summary.digest {
                guard let (found, unsealed) = recordedDigest(data), found == recorded,
                      SHA256.hash(data: unsealed).hexString == recorded else {
                    return (.damaged("\(summaryPath) changed after the run finished"), nil)
                }
                for (path, expected) in files.sorted(by: { $0.key < $1.key }) {
                    guard let actual = digest(ofFile: folder.appendingPathComponent(path)) else {
                        return (.damaged("\(file(path)) is missing or cannot be read"), nil)
                    }
                    guard actual == expected else { return (.damaged("\(file(path)) changed after the run finished"), nil) }
                }
                return (.finished(summary), nil)
            }
            // One seal without the other is an edited summary, not one written before digests.
            guard summary.files == nil && summary.digest == nil else {
                return (.damaged("\(summaryPath) changed after the run finished"), nil)
            }
            // Written before digests: what can still be checked is that its config and metrics are there and agree.
            guard let configData = fm.contents(atPath: folder.appendingPathComponent("config.json").path) else {
                return (.damaged("\(file("config.json")) is missing"), nil)
            }
            guard (try? JSONDecoder().decode(RunConfig.self, from: configData)) == summary.config else {
                return (.damaged("\(file("config.json")) does not match the config in \(summaryPath)"), nil)
            }
            guard fm.fileExists(atPath: file("metrics.csv")) else {
                return (.damaged("\(file("metrics.csv")) is missing"), nil)
            }
            let sealed = try self.sealed(summary, folder: folder)
            return (.finished(sealed.summary), sealed)
        } catch {
            return (.damaged("the files of \(folder.path) cannot be read (\(error))"), nil)
        }
    }
}
