import Foundation
import XCTest
@testable import Datasets

final class LeaveOneOutParserTests: XCTestCase {
    /// Users' lines interleave and user 4 never appears; order within a user is time order.
    private let file = """
    1 10
    2 20
    1 11
    3 30
    1 12
    2 21
    1 13
    3 31
    3 32
    5 50\t
    5 51

    5 52
    5 53
    """

    private func parse(_ text: String) throws -> ParsedDataset {
        let url = try makeTemporaryDirectory(self).appendingPathComponent("Video.txt")
        try write(Array(text.utf8), to: url)
        return try LeaveOneOutParser().parse(files: ["Video.txt": url], dataset: "toy")
    }

    func testLastItemIsTestSecondLastValidationRestTrain() throws {
        let data = try parse(file)
        XCTAssertEqual(data.attributes, ["users": 5, "items": 53, "interactions": 13])
        XCTAssertEqual(data["train.offsets"]!.integers, [0, 2, 4, 5, 5, 7])
        XCTAssertEqual(data["train.items"]!.integers, [10, 11, 20, 21, 30, 50, 51])
        XCTAssertEqual(data["validation.items"]!.integers, [12, 0, 31, 0, 52])
        XCTAssertEqual(data["test.items"]!.integers, [13, 0, 32, 0, 53])
    }

    func testMalformedLineNamesFileAndLine() throws {
        XCTAssertThrowsError(try parse("1 2\n3 x\n")) {
            XCTAssertTrue("\($0)".contains("Video.txt line 2"), "\($0)")
        }
        XCTAssertThrowsError(try parse("1 2 3\n")) {
            XCTAssertTrue("\($0)".contains("line 1") && "\($0)".contains("extra text"), "\($0)")
        }
    }

    func testShippedSyntheticSampleLoadsAndIsFlagged() throws {
        let registry = DatasetRegistry.standard
        guard registry.samplesDirectory != nil else { throw XCTSkip("the repository's datasets/ folder was not found") }
        let cache = DatasetCache(root: try makeTemporaryDirectory(self), registry: registry) { _ in }
        let loaded = try cache.load("amazon-video-games")
        XCTAssertTrue(loaded.isSample)
        XCTAssertEqual(loaded.attributes["users"], 300)
        // Every sample user has at least 8 interactions, so everyone has a validation and a test item.
        XCTAssertFalse(try loaded.array("test.items").integers.contains(0))
        XCTAssertEqual(try loaded.array("train.items").elementCount + 2 * 300, loaded.attributes["interactions"])
    }
}
