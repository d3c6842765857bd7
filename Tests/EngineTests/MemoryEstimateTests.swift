import Foundation
import XCTest
@testable import Engine

final class MemoryEstimateTests: XCTestCase {
    /// A model's training step on `n` samples, from a fresh tape.
    typealias Step = (_ samples: Int) -> Void

    /// Probes at 8 and 16 samples give the peak at 64 samples, as `MemoryMeter` measures it, for
    /// each kind of model the experiments train.
    func testTheStepEstimateIsTheMeasuredPeakAtALargerBatch() {
        for (name, store, step) in models() {
            let estimate = MemoryEstimate.measured(parameters: store, optimizer: SGD(learningRate: 0.1), batch: 64, step: step)
            let measured = MemoryMeter.measure { step(64) }.peakBytes
            let error = abs(Double(estimate.stepBytes - measured)) / Double(measured)
            XCTAssertLessThan(error, 0.01, "\(name): estimated \(estimate.stepBytes) bytes for a step at batch 64, measured \(measured)")
            XCTAssertEqual(estimate.parameterBytes, 8 * store.count, name)
        }
    }

    /// Traces that pair up give each point's line; the peak at a batch is the highest line there,
    /// not the line through the two peaks. Unpaired traces give the line through their peaks.
    func testThePeakAtABatchIsTheHighestLineOfThePairedTraces() {
        // Probes at 8 and 16 samples. Point 0: 100 + 10·B (the peak at both); point 1: 15·B.
        XCTAssertEqual(MemoryEstimate.peak(at: 64, traces: [180, 120], [260, 240]), 960)
        // Unpaired: 180 + (64 − 8)·(260 − 180)/8.
        XCTAssertEqual(MemoryEstimate.peak(at: 64, traces: [180, 120, 1], [260, 240]), 740)
    }

    func testTheEstimateLeavesNoGradientBehind() {
        let (_, store, step) = models()[0]
        _ = MemoryEstimate.measured(parameters: store, optimizer: nil, batch: 4, step: step)
        XCTAssertTrue(store.grads.scalars.allSatisfy { $0 == 0 })
    }

    /// Hand-counted state: plain SGD and SignSGD keep none, momentum one vector, AdaGrad one
    /// accumulator, Adam two moments, each a float per parameter.
    func testOptimizerStateIsCountedPerParameter() {
        let cases: [(String, any Optimizer, Double)] = [
            ("sgd", SGD(learningRate: 0.1), 0), ("signsgd", SignSGD(learningRate: 0.1), 0), ("momentum", SGD(learningRate: 0.1, momentum: 0.9), 4),
            ("adagrad", AdaGrad(learningRate: 0.1), 4), ("adam", Adam(learningRate: 0.1), 8),
        ]
        for (name, optimizer, bytes) in cases {
            XCTAssertEqual(MemoryEstimate.optimizerStateBytesPerParameter(optimizer), bytes, accuracy: 0.01, name)
        }
    }

    func testEstimatingLeavesTheOptimizerUnstarted() throws {
        let adam: any Optimizer = Adam(learningRate: 0.1)
        func state() throws -> NSDictionary { try JSONSerialization.jsonObject(with: try adam.encodedState()) as! NSDictionary }
        let before = try state()
        _ = MemoryEstimate.optimizerStateBytesPerParameter(adam)
        XCTAssertEqual(try state(), before)
    }

    func testTotalIsTheSumOfItsParts() {
        let estimate = MemoryEstimate(parameterBytes: 10, optimizerBytes: 20, stepBytes: 300, batch: 4, other: ["memory": 4000])
        XCTAssertEqual(estimate.totalBytes, 4330)
        XCTAssertEqual(estimate.breakdown, "parameters and gradients 10 B, optimizer state 20 B, one step at batch 4 300 B, memory 3.91 KiB")
    }

    func testFormatUsesBinaryUnitsAndThreeDigits() {
        XCTAssertEqual(MemoryEstimate.format(512), "512 B")
        XCTAssertEqual(MemoryEstimate.format(1536), "1.50 KiB")
        XCTAssertEqual(MemoryEstimate.format(25 << 20), "25.0 MiB")
        XCTAssertEqual(MemoryEstimate.format(300 << 30), "300 GiB")
    }

    private func models() -> [(String, ParameterStore, Step)] {
        var result: [(String, ParameterStore, Step)] = []
        var rng = RNG(seed: 5)
        func ids(_ n: Int, length: Int, below: Int) -> [Int] { (0..<(n * length)).map { _ in 1 + rng.int(below: below - 1) } }

        var builder = ParameterBuilder(rng: RNG(seed: 1))
        let gpt = GPTDecoder(.init(vocabulary: 11, context: 12, layers: 2, block: .init(width: 16, heads: 2)), builder: &builder)
        let gptStore = builder.build()
        let text = ids(64, length: 12, below: 11)
        result.append(("gpt", gptStore, { n in
            let tape = Tape(parameters: gptStore)
            tape.backward(softmaxCrossEntropy(gpt(Array(text.prefix(n * 12)), batch: n, mode: .evaluation, on: tape), targets: Array(text.prefix(n * 12))))
        }))

        // 40 positions a sequence: 8 of them are past the 256 rows the all-items softmax takes at a time.
        let recommenders: [(String, (inout ParameterBuilder) -> any SequentialRecommender)] = [
            ("sasrec", { SASRecEncoder(.init(items: 2000, maxLength: 40, layers: 2, block: .init(width: 16, heads: 2)), builder: &$0) }),
            ("mamba4rec", { Mamba4Rec(.init(items: 2000, layers: 2, width: 8, stateSize: 4, convWidth: 3), builder: &$0) }),
        ]
        for (name, make) in recommenders {
            var builder = ParameterBuilder(rng: RNG(seed: 2))
            let model = make(&builder)
            let store = builder.build()
            let sequences = ids(64, length: 40, below: 2000)
            result.append((name, store, { n in
                let tape = Tape(parameters: store)
                let hidden = model(Array(sequences.prefix(n * 40)), batch: n, mode: .training(rng: RNG(seed: 3)), on: tape)
                let loss = projectedSoftmaxCrossEntropy(hidden.reshaped([n * 40, -1]), table: tape.param(model.itemTable),
                                                        targets: Array(sequences.prefix(n * 40)))
                tape.backward(loss)
            }))
        }

        var resnetBuilder = ParameterBuilder(rng: RNG(seed: 4))
        let resnet = ResNet(.init(inputChannels: 1, height: 8, width: 8, classes: 3, baseWidth: 4, blocks: [1, 1, 1, 1]), builder: &resnetBuilder)
        let resnetStore = resnetBuilder.build()
        let images = Tensor(shape: [64, 1, 8, 8], (0..<(64 * 64)).map { _ in Float(rng.normal()) })
        result.append(("resnet", resnetStore, { n in
            let tape = Tape(parameters: resnetStore)
            let x = images.reshaped([64, 64]).window(offset: 0, shape: [n, 1, 8, 8])
            tape.backward(softmaxCrossEntropy(resnet(tape.input(x), mode: .training(rng: RNG(seed: 6))), targets: Array(repeating: 1, count: n)))
        }))
        return result
    }
}
