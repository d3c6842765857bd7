import XCTest
@testable import Engine

final class Transpose8x8Tests: XCTestCase {
    func testColumnsAreTheBlocksColumnsReadWithTheRowStride() {
        // An 8 × 8 block inside a wider matrix (row stride 11), every value distinct.
        let source = (0..<(8 * 11)).map(Float.init)
        var seen = Set<Int>()
        source.withUnsafeBufferPointer { sp in
            transpose8x8(sp.baseAddress! + 2, 11) { j, column in
                seen.insert(j)
                XCTAssertEqual((0..<8).map { column[$0] }, (0..<8).map { Float($0 * 11 + 2 + j) }, "column \(j)")
            }
        }
        XCTAssertEqual(seen, Set(0..<8))
    }
}
