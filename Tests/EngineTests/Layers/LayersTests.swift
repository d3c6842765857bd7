import XCTest
import Foundation
@testable import Engine

final class LayersTests: XCTestCase {
    func testLinearComputesAffineMap() {
        var builder = ParameterBuilder(rng: RNG(seed: 50))
        let layer = Linear("l", 2, 3, builder: &builder)
        let store = builder.build()
        store.values = Tensor(shape: [9], [1, 2, 3, 4, 5, 6, 0.5, -1, 2])
        let tape = Tape(parameters: store)
        let y = layer(tape.input(Tensor(shape: [1, 2], [1, -1])))
        // x W + b with W = [[1, 2, 3], [4, 5, 6]], b = [0.5, −1, 2].
        XCTAssertEqual(y.value.scalars, [-2.5, -4, -1])
    }

    func testMambaInitialisationFollowsReference() {
        var builder = ParameterBuilder(rng: RNG(seed: 51))
        let config = MambaBlock.Config(width: 8, stateSize: 4)
        let block = MambaBlock("m", config, builder: &builder)
        let store = builder.build()
        XCTAssertEqual(config.inner, 16)
        XCTAssertEqual(config.dtRank, 1)
        let aLog = store.value(block.aLog)
        for d in 0..<16 { for n in 0..<4 { XCTAssertEqual(aLog[d, n], Float(Foundation.log(Double(n + 1))), accuracy: 1e-6) } }
        XCTAssertEqual(store.value(block.skip).scalars, [Float](repeating: 1, count: 16))
        let steps = store.value(block.dtProj.bias!).scalars.map(Activation.softplus)
        for dt in steps { XCTAssertTrue(dt >= 1e-3 * 0.999 && dt <= 0.1 * 1.001, "softplus(dt bias) = \(dt) outside [1e-3, 1e-1]") }
        XCTAssertGreaterThan(Set(steps).count, 8, "Δ should be drawn per channel, not constant")
    }

    func checkBlock(style: TransformerBlock.Style, seed: UInt64) {
        var builder = ParameterBuilder(rng: RNG(seed: seed))
        let block = TransformerBlock("b", .init(width: 8, heads: 2, hidden: 12, style: style), builder: &builder)
        let store = builder.build()
        randomize(store, seed: seed + 1)
        var rng = RNG(seed: seed + 2)
        let x = Tensor.normal([2, 4, 8], rng: &rng)
        let r = GradientCheck().check(inputs: [x], parameters: store) { _, v in probeLoss(block(v[0], mode: .evaluation)) }
        assertGradientsMatch(r, store: store)
    }

    func testGPTStyleBlockGradientMatchesFiniteDifferences() { checkBlock(style: .gpt, seed: 52) }
    func testLLaMAStyleBlockGradientMatchesFiniteDifferences() { checkBlock(style: .llama, seed: 55) }

    func testMambaBlockGradientMatchesFiniteDifferences() {
        var builder = ParameterBuilder(rng: RNG(seed: 58))
        let block = MambaBlock("m", .init(width: 4, stateSize: 3, convWidth: 3), builder: &builder)
        let store = builder.build()
        randomize(store, seed: 59)
        var rng = RNG(seed: 60)
        let x = Tensor.normal([2, 5, 4], rng: &rng)
        let r = GradientCheck().check(inputs: [x], parameters: store) { _, v in probeLoss(block(v[0])) }
        assertGradientsMatch(r, store: store)
    }

    func testConvAndPoolLayersChainShapes() {
        var builder = ParameterBuilder(rng: RNG(seed: 61))
        let conv = Conv2d("c", inChannels: 3, outChannels: 5, kernel: 3, stride: 2, padding: 1, builder: &builder)
        let store = builder.build()
        let tape = Tape(parameters: store)
        let y = AvgPool2d(2)(conv(tape.input(Tensor(zeros: [2, 3, 8, 8]))))
        XCTAssertEqual(y.shape, [2, 5, 2, 2])
    }
}
