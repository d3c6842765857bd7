import Engine
import XCTest
@testable import Suite

final class ConfigCheckTests: XCTestCase {
    func testFailedConditionsAndThrownErrorsNameTheSection() {
        let check = ConfigCheck("paper section")
        XCTAssertNoThrow(try check(true, "unused"))
        XCTAssertThrowsError(try check(false, "batch must be ≥ 1, got 0")) { error in
            XCTAssertEqual("\(error)", "paper section: batch must be ≥ 1, got 0")
        }
        XCTAssertThrowsError(try check { _ = try OptimizerSpec(method: .clipSGD, lr: 1).make() }) { error in
            XCTAssertEqual("\(error)", "paper section: optimizer 'clip-sgd' needs 'clip'")
        }
        XCTAssertNoThrow(try check { _ = try OptimizerSpec(method: .sgd, lr: 1).make() })
    }

    func testCountsNameTheFirstKeyBelowItsMinimum() {
        let check = ConfigCheck("paper section")
        XCTAssertNoThrow(try check.counts(["steps": 1, "seeds": 40], in: "quick"))
        XCTAssertThrowsError(try check.counts(["steps": 10, "seeds": 0, "batch": -1], in: "quick")) { error in
            XCTAssertEqual("\(error)", "paper section: quick.seeds must be ≥ 1, got 0")
        }
        XCTAssertThrowsError(try check.counts(["samples": 1], minimum: 2)) { error in
            XCTAssertEqual("\(error)", "paper section: samples must be ≥ 2, got 1")
        }
    }
}
