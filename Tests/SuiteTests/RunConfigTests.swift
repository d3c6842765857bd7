import XCTest
@testable import Suite

final class RunConfigTests: XCTestCase {
    enum Shape: String, CaseIterable { case round, square }

    func run(_ parameters: [String: ConfigValue]) -> RunConfig {
        RunConfig(paper: "p", experiment: "e", group: "g", seed: 0, parameters: parameters)
    }

    func testChoiceReadsANamedCaseAndTheAbsentValueOnlyWhenMissing() throws {
        XCTAssertEqual(try run(["shape": .string("square")]).choice("shape", absent: Shape.round), .square)
        XCTAssertEqual(try run([:]).choice("shape", absent: Shape.square), .square)
        XCTAssertThrowsError(try run([:]).choice("shape", as: Shape.self)) { XCTAssertTrue("\($0)".contains("'shape' is missing"), "\($0)") }
    }

    func testChoiceOfAnUnknownNameListsTheCases() {
        XCTAssertThrowsError(try run(["shape": .string("oval")]).choice("shape", absent: Shape.round)) {
            XCTAssertTrue("\($0)".contains("'shape' is 'oval', not one of round, square"), "\($0)")
        }
        XCTAssertThrowsError(try run(["shape": .int(1)]).choice("shape", as: Shape.self)) { XCTAssertTrue("\($0)".contains("not a string"), "\($0)") }
    }
}
