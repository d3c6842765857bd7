import Foundation
import XCTest
@testable import Datasets

final class CharacterCorpusParserTests: XCTestCase {
    func testVocabularyIsSortedDistinctCharactersAndIdsDecodeToText() throws {
        let text = "ba, c\nab!"
        let data = try CharacterCorpusParser().parse(text: text, dataset: "toy")
        let vocabulary = data["vocabulary"]!.integers
        XCTAssertEqual(vocabulary, [0x0A, 0x20, 0x21, 0x2C, 0x61, 0x62, 0x63]) // "\n", " ", "!", ",", a, b, c
        XCTAssertEqual(data.attributes["vocabularySize"], 7)
        let ids = data["train.ids"]!.integers + data["validation.ids"]!.integers
        let decoded = String(String.UnicodeScalarView(ids.map { Unicode.Scalar(UInt32(vocabulary[$0]))! }))
        XCTAssertEqual(decoded, text)
    }

    func testLastTenPercentIsValidation() throws {
        let text = String(repeating: "abcdefghij", count: 103) // 1030 characters
        let data = try CharacterCorpusParser().parse(text: text, dataset: "toy")
        // floor(0.9 · 1030) = 927, as nanoGPT's `int(n * 0.9)`.
        XCTAssertEqual(data["train.ids"]!.shape, [927])
        XCTAssertEqual(data["validation.ids"]!.shape, [103])
        XCTAssertEqual(data["validation.ids"]!.integers.first, 927 % 10) // character 927 is "h" = id 7
    }

    func testShippedShakespeareSampleLoadsAndIsFlagged() throws {
        let dir = try makeTemporaryDirectory(self)
        let registry = DatasetRegistry.standard
        guard registry.samplesDirectory != nil else { throw XCTSkip("the repository's datasets/ folder was not found") }
        let cache = DatasetCache(root: dir, registry: registry) { _ in }
        let loaded = try cache.load("tinyshakespeare")
        XCTAssertTrue(loaded.isSample)
        let characters = try XCTUnwrap(loaded.attributes["characters"])
        XCTAssertGreaterThan(characters, 10_000)
        XCTAssertLessThanOrEqual(characters, 20_000)
        XCTAssertEqual(try loaded.array("train.ids").elementCount, Int(Double(characters) * 0.9))
    }

    func testLoadSampleIgnoresTheFullDataInTheCache() throws {
        let dir = try makeTemporaryDirectory(self)
        let registry = DatasetRegistry.standard
        guard registry.samplesDirectory != nil else { throw XCTSkip("the repository's datasets/ folder was not found") }
        let cache = DatasetCache(root: dir, registry: registry) { _ in }
        let raw = cache.rawDirectory("tinyshakespeare")
        try FileManager.default.createDirectory(at: raw, withIntermediateDirectories: true)
        // A raw file that fails verification: `load` without samples must refuse it, `loadSample` never reads it.
        try Data("not the real text".utf8).write(to: raw.appendingPathComponent("input.txt"))
        XCTAssertThrowsError(try cache.load("tinyshakespeare", allowSample: false))
        let sample = try cache.loadSample("tinyshakespeare")
        XCTAssertTrue(sample.isSample)
        XCTAssertGreaterThan(try XCTUnwrap(sample.attributes["characters"]), 10_000)
    }
}
