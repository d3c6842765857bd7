import XCTest
@testable import Engine

/// `Conv2d.callAsFunction(_:normalizedBy:mode:relu:)`: one fused op at inference, three ops otherwise.
final class ConvBatchNormTests: XCTestCase {
    /// Fused and separate ops on one layer whose BN has non-trivial gain, bias and statistics, for
    /// the implicit GEMM (16 channels) and the im2col path (3), with and without a conv bias and ReLU.
    func testFusedInferenceHasTheBitsOfConvBatchNormAndReLU() {
        for (outputs, hasBias, relu) in [(16, false, true), (16, true, false), (3, false, true), (3, true, true)] {
            var builder = ParameterBuilder(rng: RNG(seed: 71))
            let conv = Conv2d("c", inChannels: 4, outChannels: outputs, kernel: 3, stride: 1, padding: 1, bias: hasBias, builder: &builder)
            let norm = BatchNorm2d("bn", outputs, builder: &builder)
            let store = builder.build()
            var rng = RNG(seed: 72)
            store.values = Tensor.normal(store.values.shape, rng: &rng)
            norm.statistics.mean = Tensor.normal([outputs], rng: &rng)
            norm.statistics.variance = Tensor.normal([outputs], rng: &rng).map { $0 * $0 + 0.1 }
            let x = Tensor.normal([3, 4, 9, 7], rng: &rng)

            let fusedTape = Tape(parameters: store, recording: false)
            let fused = conv(fusedTape.input(x), normalizedBy: norm, mode: .evaluation, relu: relu).value
            let separateTape = Tape(parameters: store)
            let normalized = norm(conv(separateTape.input(x)), mode: .evaluation)
            let separate = (relu ? normalized.relu() : normalized).value
            XCTAssertEqual(fused.shape, separate.shape)
            XCTAssertEqual(fused.scalars.map(\.bitPattern), separate.scalars.map(\.bitPattern),
                           "outputs \(outputs), bias \(hasBias), relu \(relu)")
            if relu { XCTAssertTrue(fused.scalars.contains(0) && fused.scalars.contains { $0 > 0 }) }
        }
    }

    /// The ResNet's inference (fused) gives the logits of its evaluation on a recording tape (separate ops).
    func testResNetInferenceMatchesEvaluationOnARecordingTape() {
        var builder = ParameterBuilder(rng: RNG(seed: 73))
        let model = ResNet(.init(inputChannels: 1, height: 12, width: 12, classes: 5, baseWidth: 16, blocks: [1, 1, 1, 1]),
                           builder: &builder)
        let store = builder.build()
        var rng = RNG(seed: 74)
        for s in model.statistics {
            s.mean = Tensor.normal(s.mean.shape, std: 0.1, rng: &rng)
            s.variance = Tensor.normal(s.variance.shape, rng: &rng).map { $0 * $0 + 0.5 }
        }
        let x = Tensor.normal([4, 1, 12, 12], rng: &rng)
        let (inference, recording) = (Tape(parameters: store, recording: false), Tape(parameters: store))
        let fused = model(inference.input(x), mode: .evaluation).value
        let separate = model(recording.input(x), mode: .evaluation).value
        XCTAssertEqual(fused.scalars.map(\.bitPattern), separate.scalars.map(\.bitPattern))
    }
}
