import Datasets
import Foundation
import Suite
import XCTest
@testable import Tasks

final class InteractionSequencesTests: XCTestCase {
    /// Parses a hand-made `user item` file the way the dataset registry does.
    func sequences(_ text: String) throws -> InteractionSequences {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recsys-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let parsed = try LeaveOneOutParser().parse(files: ["Video.txt": url], dataset: "test")
        func ints(_ name: String) throws -> [Int] { try XCTUnwrap(parsed.arrays.first { $0.name == name }).integers }
        return try InteractionSequences(offsets: try ints("train.offsets"), items: try ints("train.items"),
                                        validation: try ints("validation.items"), test: try ints("test.items"),
                                        itemCount: parsed.attributes["items"] ?? 0, provenance: "hand-made")
    }

    func testLeaveOneOutInTimeOrder() throws {
        // User 1: 5 → 3 → 7 → 2 → 4; user 2: 1 → 6 (too short to hold out); user 3: 2 → 2 → 5.
        let data = try sequences("1 5\n1 3\n2 1\n1 7\n3 2\n1 2\n2 6\n3 2\n1 4\n3 5\n")
        XCTAssertEqual(Array(data.history(0)), [5, 3, 7])
        XCTAssertEqual([data.validation[0], data.test[0]], [2, 4])
        XCTAssertEqual(Array(data.history(1)), [1, 6])
        XCTAssertEqual([data.validation[1], data.test[1]], [0, 0])
        XCTAssertEqual(Array(data.history(2)), [2])
        XCTAssertEqual(data.evaluatedUsers(.test), [0, 2])
        // The test input includes the validation item; both keep the last maxLength items.
        XCTAssertEqual(Array(data.input(0, .validation, maxLength: 2)), [3, 7])
        XCTAssertEqual(Array(data.input(0, .test, maxLength: 3)), [3, 7, 2])
        XCTAssertEqual(data.items, 7)
    }

    func testShortHistoriesTrainOnEveryNextItem() throws {
        let data = try sequences("1 5\n1 3\n1 7\n1 2\n1 4\n")
        XCTAssertEqual(data.trainingWindows(maxLength: 50), [.init(inputs: [5, 3], targets: [3, 7])])
    }

    func testLongHistoriesGiveOverlappingWindowsThatCountEachTargetOnce() throws {
        // 12 training items (14 interactions), maxLength 4: targets are positions 1...11.
        let lines = (1...14).map { "1 \($0)" }.joined(separator: "\n") + "\n"
        let windows = try sequences(lines).trainingWindows(maxLength: 4)
        XCTAssertEqual(windows, [
            .init(inputs: [1, 2, 3, 4], targets: [2, 3, 4, 5]),
            .init(inputs: [3, 4, 5, 6], targets: [-1, -1, 6, 7]),
            .init(inputs: [5, 6, 7, 8], targets: [-1, -1, 8, 9]),
            .init(inputs: [7, 8, 9, 10], targets: [-1, -1, 10, 11]),
            .init(inputs: [8, 9, 10, 11], targets: [-1, -1, -1, 12]),
        ])
        let counted = windows.flatMap(\.targets).filter { $0 > 0 }
        XCTAssertEqual(counted, Array(2...12), "every next item once, in order")
    }

    func testPrefixesGiveOneSamplePerTargetFromTheLastMaxLengthItems() throws {
        // Training items 1...5 (7 interactions), maxLength 3: targets 2...5, each from up to 3 items before it.
        let lines = (1...7).map { "1 \($0)" }.joined(separator: "\n") + "\n"
        XCTAssertEqual(try sequences(lines).trainingPrefixes(maxLength: 3), [
            .init(inputs: [1], targets: [2]),
            .init(inputs: [1, 2], targets: [-1, 3]),
            .init(inputs: [1, 2, 3], targets: [-1, -1, 4]),
            .init(inputs: [2, 3, 4], targets: [-1, -1, 5]),
        ])
        // The same (prefix, next item) targets as the windows, each once.
        let data = try sequences(lines)
        XCTAssertEqual(data.trainingPrefixes(maxLength: 3).flatMap(\.targets).filter { $0 > 0 },
                       data.trainingWindows(maxLength: 3).flatMap(\.targets).filter { $0 > 0 })
    }

    func testPaddedBatchPutsItemsFirst() {
        let batch = PaddedBatch([[4, 5][...], [7, 8, 9][...]])
        XCTAssertEqual(batch.ids, [4, 5, 0, 7, 8, 9])
        XCTAssertEqual(batch.length, 3)
    }
}
