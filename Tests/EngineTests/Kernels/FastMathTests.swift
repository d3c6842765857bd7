import Foundation
import XCTest
@testable import Engine

final class FastMathTests: XCTestCase {
    func testExpMatchesLibmAcrossFloatRange() {
        // A correctly rounded float has relative error ≤ 6e-8; the polynomial and the 2ⁿ scaling add
        // about as much again, so 3e-7 leaves margin while catching any wrong coefficient (≥ 1e-5).
        var worst: Double = 0
        var x: Float = -87
        while x < 88 {
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(FastMath.exp(x)) - exact) / exact)
            x += 0.0137
        }
        XCTAssertLessThan(worst, 3e-7)
    }

    func testVectorExpIsBitIdenticalToScalarExp() {
        var x: Float = -100
        while x < 100 {
            let lanes = SIMD8<Float>((0..<8).map { x + Float($0) * 0.0913 })
            let vector = FastMath.exp(lanes)
            for i in 0..<8 { XCTAssertEqual(vector[i].bitPattern, FastMath.exp(lanes[i]).bitPattern, "x = \(lanes[i])") }
            x += 0.731
        }
    }

    func testLog1pKeepsRelativeAccuracyOnTheUnitInterval() {
        var worst: Double = 0
        for y in stride(from: 0.0, through: 1.0, by: 0.000731) + [1e-30, 1e-12, 3e-8, 1e-5, 1] {
            let exact = Foundation.log1p(y)
            if exact > 0 { worst = max(worst, abs(Double(FastMath.log1p(unitInterval: Float(y))) - exact) / exact) }
        }
        XCTAssertLessThan(worst, 3e-7)
        XCTAssertEqual(FastMath.log1p(unitInterval: 0), 0)
    }

    func testSoftplusMatchesLibmWithoutOverflowOrUnderflowToZero() {
        let xs: [Float] = [-85, -30, -5, -0.5, 0, 0.3, 4, 19, 25, 80, 1000]
        let tape = Tape(recording: false)
        let y = tape.input(Tensor(shape: [xs.count], xs)).softplus().value
        for (i, x) in xs.enumerated() {
            let exact = x > 30 ? Double(x) : Foundation.log1p(Foundation.exp(Double(x)))
            XCTAssertEqual(Double(y[flat: i]), exact, accuracy: 4e-7 * exact, "softplus(\(x))")
        }
        // Below −87.3 it saturates with exp at about 1.2e-38 instead of reaching 0.
        let far = tape.input(Tensor(shape: [1], [-200])).softplus().value[flat: 0]
        XCTAssertTrue(far > 0 && far < 1.2e-38)
    }

    func testExpSaturatesAtTheEndsOfTheFloatRange() {
        XCTAssertEqual(FastMath.exp(0), 1)
        XCTAssertLessThan(FastMath.exp(-1000), 1e-37)
        XCTAssertGreaterThan(FastMath.exp(1000), 1e38)
        XCTAssertTrue(FastMath.exp(1000).isFinite)
        XCTAssertEqual(FastMath.sigmoid(-200), 0, accuracy: 1e-37)
        XCTAssertEqual(FastMath.sigmoid(200), 1)
    }

    func testGeluMatchesTanhFormula() {
        let xs: [Float] = [-9, -4, -1.5, -0.3, 0, 0.2, 1, 3.5, 7]
        let tape = Tape(recording: false)
        let y = tape.input(Tensor(shape: [xs.count], xs)).gelu().value
        for (i, x) in xs.enumerated() {
            let u = (2 / Double.pi).squareRoot() * (Double(x) + 0.044715 * pow(Double(x), 3))
            XCTAssertEqual(Double(y[flat: i]), 0.5 * Double(x) * (1 + Foundation.tanh(u)), accuracy: 2e-6)
        }
    }

    func testNormalCDFMatchesErfAcrossBothTails() {
        // A&S 7.1.26 bounds erf's error by 1.5e-7, so Φ's by 7.5e-8; exp's relative 3e-7 on a tail of at
        // most ½ adds up to 1.5e-7, float rounding ~6e-8. A wrong coefficient shows as ≥ 1e-5.
        var worst: Double = 0
        var x: Float = -12
        while x < 12 {
            let exact = 0.5 * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            worst = max(worst, abs(Double(FastMath.normalCDF(x)) - exact))
            x += 0.0071
        }
        XCTAssertLessThan(worst, 3e-7)
        XCTAssertEqual(FastMath.normalCDF(-30), 0, accuracy: 1e-30)
        XCTAssertEqual(FastMath.normalCDF(30), 1)
    }

    func testExactGeluMatchesErfFormulaAndDiffersFromTanhForm() {
        let xs: [Float] = [-9, -4, -1.5, -0.3, 0, 0.2, 1, 3.5, 7]
        let tape = Tape(recording: false)
        let input = tape.input(Tensor(shape: [xs.count], xs))
        let (exact, approximate) = (input.exactGELU().value, input.gelu().value)
        var largestGap: Float = 0
        for (i, x) in xs.enumerated() {
            let reference = Double(x) * 0.5 * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            XCTAssertEqual(Double(exact[flat: i]), reference, accuracy: 1e-6)
            largestGap = max(largestGap, abs(exact[flat: i] - approximate[flat: i]))
        }
        XCTAssertGreaterThan(largestGap, 1e-4, "the exact form must not fall back to the tanh approximation")
    }
}
