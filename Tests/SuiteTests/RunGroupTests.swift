import XCTest
@testable import Suite

final class RunGroupTests: XCTestCase {
    /// The name is what the store keys runs by; the fields are what figures and claims read, so a
    /// value with spaces and "=" (a legend name) never needs parsing back.
    func testNameJoinsTheFieldsAndTheFieldsStayReadable() {
        let group = RunGroup(["noise": "alpha-stable(1.5)", "method": "MV-SignSGD M=3"])
        XCTAssertEqual(group.name, "noise=alpha-stable(1.5) method=MV-SignSGD M=3")
        XCTAssertEqual(group["method"], "MV-SignSGD M=3")
        XCTAssertNil(group["model"])
        XCTAssertEqual(RunGroup.named("pretrain").name, "pretrain")
        XCTAssertTrue(RunGroup.named("pretrain").fields.isEmpty)
    }

    func testTheFieldsTravelWithTheRunButNotIntoItsKeyOrItsStoredConfig() throws {
        struct P: RunParameters { var n: Int }
        let typed = try RunConfig(paper: "p", experiment: "e", group: RunGroup(["method": "a b=c"]), seed: 1, typed: P(n: 2))
        let plain = RunConfig(paper: "p", experiment: "e", group: "method=a b=c", seed: 1, parameters: ["n": .int(2)])
        XCTAssertEqual(typed.groupFields?["method"], "a b=c")
        XCTAssertEqual(typed.key, plain.key)
        XCTAssertEqual(typed.canonicalJSON(), plain.canonicalJSON())
        let stored = try JSONDecoder().decode(RunConfig.self, from: try JSONEncoder().encode(typed))
        XCTAssertNil(stored.groupFields)
        XCTAssertEqual(stored, typed, "a run read back from the store is the run its experiment built")
        XCTAssertEqual(Set([stored, typed, plain]).count, 1)
    }

    func testSlugKeepsAsciiLettersAndDigitsOnly() {
        XCTAssertEqual(RunGroup.slug("alpha-stable(1.5)"), "alpha-stable-1-5")
        XCTAssertEqual(RunGroup.slug("student-t(1.5)"), "student-t-1-5")
        XCTAssertEqual(RunGroup.slug("alpha-stable(1.5,σ=0.001)"), "alpha-stable-1-5-sigma-0-001")
        XCTAssertEqual(RunGroup.slug("κ=1.5 ü"), "kappa-1-5")
    }
}
