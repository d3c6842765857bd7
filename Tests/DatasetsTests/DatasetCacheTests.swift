import Foundation
import XCTest
@testable import Datasets

final class DatasetCacheTests: XCTestCase {
    private let text = "to be, or not to be: that is the question.\nwhether 'tis nobler in the mind to suffer\n"

    /// A toy dataset imported into a fresh cache; returns the cache, its reports and the dataset.
    private func importedToy() throws -> (DatasetCache, ReportLog, ToyTextDataset) {
        let dir = try makeTemporaryDirectory(self)
        let toy = try ToyTextDataset(in: dir, text: text)
        let log = ReportLog()
        let cache = log.cache(root: dir.appendingPathComponent("cache"), registry: toy.registry)
        try cache.importFiles("toy-text", from: toy.rawFile)
        return (cache, log, toy)
    }

    func testCacheFolderFollowsReproCacheThenXDGThenHome() {
        XCTAssertEqual(DatasetCache.root(environment: ["REPRO_CACHE": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"]).path, "/c")
        XCTAssertEqual(DatasetCache.root(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]).path, "/x/repro")
        XCTAssertEqual(DatasetCache.root(environment: ["REPRO_CACHE": "", "XDG_CACHE_HOME": "", "HOME": "/h"]).path, "/h/.cache/repro",
                       "an empty variable counts as unset")
    }

    func testImportCopiesRawFileAndBuildsEntryThatLoadsFromCache() throws {
        let (cache, _, toy) = try importedToy()
        let copied = cache.rawDirectory("toy-text").appendingPathComponent("toy.txt")
        XCTAssertEqual(try Data(contentsOf: copied), try Data(contentsOf: toy.rawFile))
        XCTAssertEqual(try cache.status("toy-text").cache, .valid)
        // The raw file is no longer needed once the entry exists: loading must come from the cache.
        try FileManager.default.removeItem(at: copied)
        let loaded = try cache.load("toy-text", allowSample: false)
        XCTAssertFalse(loaded.isSample)
        XCTAssertTrue(loaded.provenance.contains("from the cache"), loaded.provenance)
        XCTAssertEqual(loaded.attributes["characters"], text.unicodeScalars.count)
    }

    func testCorruptedEntryIsReportedAndRebuiltFromRawFiles() throws {
        let (cache, log, toy) = try importedToy()
        let entry = cache.entryURL(toy.spec)
        let expected = try cache.load("toy-text").tensor("train.ids").scalars
        var bytes = try [UInt8](Data(contentsOf: entry))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: entry)
        if case .corrupt = try cache.verify("toy-text").cache {} else { XCTFail("verify did not see the damage") }

        let reloaded = try cache.load("toy-text")
        XCTAssertEqual(try reloaded.tensor("train.ids").scalars, expected)
        XCTAssertTrue(log.messages.contains { $0.contains("damaged") && $0.contains("rebuilding") }, "\(log.messages)")
        XCTAssertNoThrow(try CacheFile.read(entry, dataset: "toy-text"), "the rebuilt entry should be valid")
    }

    func testEntryBuiltFromRawFileTheRegistryNoLongerAcceptsIsStale() throws {
        let (cache, log, toy) = try importedToy()
        let entry = cache.entryURL(toy.spec)
        let (header, data) = try CacheFile.read(entry, dataset: "toy-text")
        try CacheFile.write(data, dataset: "toy-text", preprocessingVersion: header.preprocessingVersion,
                            rawSHA256: ["toy.txt": String(repeating: "0", count: 64)], isSample: false, to: entry)
        guard case .stale = try cache.status("toy-text").cache else { return XCTFail("status should say stale") }
        _ = try cache.load("toy-text")
        XCTAssertTrue(log.messages.contains { $0.contains("stale") }, "\(log.messages)")
        XCTAssertEqual(try cache.status("toy-text").cache, .valid)
    }

    func testInterruptedWriteIsInvisibleAndCleanedUp() throws {
        let (cache, _, toy) = try importedToy()
        let entry = cache.entryURL(toy.spec)
        try FileManager.default.removeItem(at: entry)
        // What a writer killed mid-way leaves: a partial temp file named for a process that is gone
        // (pid_max on Linux is at most 2^22, so this pid cannot exist).
        let orphan = entry.deletingLastPathComponent()
            .appendingPathComponent(entry.lastPathComponent + ".tmp-99999999-123")
        try Data([0x52, 0x50, 0x52, 0x4F]).write(to: orphan)
        XCTAssertEqual(try cache.status("toy-text").cache, .missing, "a temp file must not read as an entry")

        let loaded = try cache.load("toy-text")
        XCTAssertFalse(loaded.isSample)
        XCTAssertFalse(FileManager.default.fileExists(atPath: orphan.path), "the abandoned temp file should be removed")
        XCTAssertEqual(try cache.status("toy-text").cache, .valid)
    }

    func testTempFileOfLiveWriterIsKept() throws {
        let dir = try makeTemporaryDirectory(self)
        let live = dir.appendingPathComponent("x.rpds.tmp-\(getpid())-1")
        try Data([1]).write(to: live)
        XCTAssertEqual(AtomicFileWriter.removeAbandonedTempFiles(in: dir), [])
        XCTAssertTrue(FileManager.default.fileExists(atPath: live.path))
    }

    func testImportOfWrongFileNamesFileDigestsAndRemedy() throws {
        let dir = try makeTemporaryDirectory(self)
        let toy = try ToyTextDataset(in: dir, text: text)
        let wrong = dir.appendingPathComponent("elsewhere/toy.txt")
        try write(Array("a different text".utf8), to: wrong)
        let cache = ReportLog().cache(root: dir.appendingPathComponent("cache"), registry: toy.registry)
        XCTAssertThrowsError(try cache.importFiles("toy-text", from: wrong)) { error in
            guard let e = error as? DatasetError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.kind, .hashMismatch)
            let actual = try! sha256(of: wrong), expected = toy.spec.files[0].sha256[0].digest
            for part in ["toy-text", "toy.txt", wrong.path, actual, expected, "https://repro-test.invalid/toy.txt",
                         "repro datasets import toy-text"] {
                XCTAssertTrue(e.description.contains(part), "missing '\(part)' in: \(e.description)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.rawDirectory("toy-text").appendingPathComponent("toy.txt").path),
                       "a file that fails its check must not enter the cache")
    }

    func testMissingDataFallsBackToShippedSampleAndSaysSo() throws {
        let dir = try makeTemporaryDirectory(self)
        let toy = try ToyTextDataset(in: dir, text: text, sampleText: "to be or not")
        let log = ReportLog()
        let cache = log.cache(root: dir.appendingPathComponent("cache"), registry: toy.registry)
        let loaded = try cache.load("toy-text")
        XCTAssertTrue(loaded.isSample)
        XCTAssertEqual(loaded.attributes["characters"], 12)
        XCTAssertTrue(loaded.provenance.contains("SAMPLE"), loaded.provenance)
        XCTAssertTrue(loaded.provenance.contains("repro datasets import toy-text"), loaded.provenance)
        XCTAssertEqual(log.messages, [loaded.provenance])
        XCTAssertEqual(try cache.status("toy-text").cache, .missing, "a sample is never cached as the dataset")

        XCTAssertThrowsError(try cache.load("toy-text", allowSample: false)) {
            XCTAssertEqual(($0 as? DatasetError)?.kind, .missingRawFile)
            XCTAssertTrue("\($0)".contains("repro datasets fetch toy-text"), "\($0)")
        }
    }

    func testFetchWithoutReachableHostSaysSoAndPointsToImport() throws {
        let dir = try makeTemporaryDirectory(self)
        let toy = try ToyTextDataset(in: dir, text: text)
        let cache = ReportLog().cache(root: dir.appendingPathComponent("cache"), registry: toy.registry)
        // `.invalid` is reserved (RFC 2606): it never resolves, with or without network.
        XCTAssertThrowsError(try cache.fetch("toy-text", showProgress: false)) {
            guard let e = $0 as? DatasetError else { return XCTFail("\($0)") }
            XCTAssertEqual(e.kind, .network)
            XCTAssertTrue(e.message.contains("repro datasets import toy-text"), e.message)
        }
    }

    func testUnknownDatasetListsKnownNames() {
        let cache = DatasetCache(root: URL(fileURLWithPath: "/nonexistent"), registry: .standard) { _ in }
        XCTAssertThrowsError(try cache.load("mnist")) {
            XCTAssertEqual(($0 as? DatasetError)?.kind, .unknownDataset)
            XCTAssertTrue("\($0)".contains("fashion-mnist"), "\($0)")
        }
    }
}
