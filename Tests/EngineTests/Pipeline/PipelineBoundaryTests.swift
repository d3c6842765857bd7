import XCTest
@testable import Engine

final class PipelineBoundaryTests: XCTestCase {
    func testIdentityBoundaryGradientMatchesFiniteDifferences() throws {
        let boundary = try PipelineBoundary(.identity)
        var rng = RNG(seed: 1)
        let result = GradientCheck().check(inputs: [Tensor.normal([3, 5], rng: &rng)]) { tape, xs in
            let y = boundary((xs[0] * xs[0]).tanh(), .training(epoch: 0, samples: [0, 1, 2]))
            return probeLoss(y * y)
        }
        assertGradientsMatch(result)
    }

    func testBitsAreCountedPerDirectionAndReset() throws {
        let boundary = try PipelineBoundary(BoundarySpec(forward: .topK(0.5), backward: .quantization(bits: 2)))
        let tape = Tape()
        let x = tape.input(Tensor(shape: [2, 4], [1, -3, 2, 0.5, 0, 0, 4, -1]), requiresGrad: true)
        let y = boundary(x, .training(epoch: 0, samples: [0, 1]))
        XCTAssertEqual(y.value.scalars, [0, -3, 2, 0, 0, 0, 4, -1])
        tape.backward(y, seed: Tensor(shape: [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]))
        let bits = boundary.takeBits()
        XCTAssertEqual(bits.forward, 4 * (32 + 2))
        XCTAssertEqual(bits.backward, 2 * 8 + 64)
        XCTAssertEqual(boundary.takeBits().forward, 0)
        // The gradient is quantized on its own (min 1, max 8, levels 1, 10/3, 17/3, 8), not masked.
        XCTAssertEqual(x.grad!.scalars[0], 1, accuracy: 1e-5)
        XCTAssertEqual(x.grad!.scalars[7], 8, accuracy: 1e-5)
    }

    func testSharedMaskSendsGradientsOnlyWhereTheActivationWasKept() throws {
        let boundary = try PipelineBoundary(BoundarySpec(forward: .topK(0.25), backwardMask: .shared))
        let tape = Tape()
        let x = tape.input(Tensor(shape: [2, 4], [1, -3, 2, 0.5, 0, 0.1, 4, -1]), requiresGrad: true)
        let y = boundary(x, .training(epoch: 0, samples: [0, 1]))
        tape.backward(y, seed: Tensor(shape: [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]))
        XCTAssertEqual(x.grad!.scalars, [0, 2, 0, 0, 0, 0, 7, 0])
        XCTAssertEqual(boundary.takeBits().backward, 2 * 32)
    }

    /// Two training messages through one boundary; returns what the receiver got each time.
    func send(_ spec: BoundarySpec, _ first: [Float], _ second: [Float]) throws -> ([Float], [Float]) {
        let boundary = try PipelineBoundary(spec)
        let tape = Tape(recording: false)
        let a = boundary(tape.input(Tensor(shape: [1, 4], first)), .training(epoch: 0, samples: [0])).value.scalars
        let b = boundary(tape.input(Tensor(shape: [1, 4], second)), .training(epoch: 0, samples: [0])).value.scalars
        return (a, b)
    }

    func testErrorFeedbackSendsWhatEarlierMessagesDropped() throws {
        // TopK 50 %: 4 and −3 cross, 1 and 0.5 stay as the error; then (0, 1, 1, 0) + e = (0, 2, 1, 0.5).
        let (first, second) = try send(BoundarySpec(forward: .topK(0.5), compensation: .ef), [4, 1, -3, 0.5], [0, 1, 1, 0])
        XCTAssertEqual(first, [4, 0, -3, 0])
        XCTAssertEqual(second, [0, 2, 1, 0])
    }

    func testEF21ReceiverTracksTheInputThroughCompressedCorrections() throws {
        // A = (4, 0, −3, 0) after the first message; the second sends TopK of (0, 2, 0, 1), all of it.
        let (first, second) = try send(BoundarySpec(forward: .topK(0.5), compensation: .ef21), [4, 1, -3, 0.5], [4, 2, -3, 1])
        XCTAssertEqual(first, [4, 0, -3, 0])
        XCTAssertEqual(second, [4, 2, -3, 1])
    }

    func testEFOnGradientsLeavesActivationsPlain() throws {
        let (first, second) = try send(BoundarySpec(forward: .topK(0.5), compensation: .efGradients), [4, 1, -3, 0.5], [0, 1, 1, 0])
        XCTAssertEqual(first, [4, 0, -3, 0])
        XCTAssertEqual(second, [0, 1, 1, 0])
    }

    func testWarmUpEpochsCrossUncompressed() throws {
        let boundary = try PipelineBoundary(BoundarySpec(forward: .topK(0.25), backward: .topK(0.25), compensation: .aqsgd, warmupEpochs: 1))
        let tape = Tape()
        let x = tape.input(Tensor(shape: [1, 4], [1, -3, 2, 0.5]), requiresGrad: true)
        let y = boundary(x, .training(epoch: 0, samples: [4]))
        XCTAssertEqual(y.value.scalars, [1, -3, 2, 0.5])
        tape.backward(y, seed: Tensor(shape: [1, 4], [1, 2, 3, 4]))
        XCTAssertEqual(x.grad!.scalars, [1, 2, 3, 4])
        XCTAssertEqual(boundary.takeBits().forward, 4 * 32)
        // After warm-up only the delta's largest entry crosses, and the receiver adds it to m(ξ).
        let next = Tape()
        let after = boundary(next.input(Tensor(shape: [1, 4], [1, -3, 2, 2.5])), .training(epoch: 1, samples: [4]))
        XCTAssertEqual(after.value.scalars, [1, -3, 2, 2.5])
        XCTAssertEqual(boundary.takeBits().forward, 32 + 2)
    }

    func testInferenceCompressesWithoutTouchingTrainingState() throws {
        let boundary = try PipelineBoundary(BoundarySpec(forward: .topK(0.5), compensation: .ef))
        let tape = Tape(recording: false)
        let x = tape.input(Tensor(shape: [1, 4], [4, 1, -3, 0.5]))
        XCTAssertEqual(boundary(x, .inference(compressed: true)).value.scalars, [4, 0, -3, 0])
        XCTAssertEqual(boundary(x, .inference(compressed: false)).value.scalars, [4, 1, -3, 0.5])
        XCTAssertEqual(boundary.takeBits().forward, 0)
        // EF's buffer is still empty: the first training message is C(x) itself.
        XCTAssertEqual(boundary(x, .training(epoch: 0, samples: [0])).value.scalars, [4, 0, -3, 0])
    }

    /// A four-stage split with identity boundaries is the unsplit model, bit for bit.
    func testFourStageIdentitySplitEqualsTheUnsplitModel() throws {
        var builder = ParameterBuilder(rng: RNG(seed: 3))
        let layers = (0..<4).map { Linear("l\($0)", 6, 6, builder: &builder) }
        let store = builder.build()
        var rng = RNG(seed: 4)
        let x = Tensor.normal([5, 6], rng: &rng)
        let targets = [0, 1, 2, 3, 4]
        func lossAndGrads(_ cut: (Int, Var) -> Var) -> (Float, Tensor) {
            store.zeroGrads()
            let tape = Tape(parameters: store)
            var h = tape.input(x)
            for (i, layer) in layers.enumerated() {
                h = layer(h)
                if i < 3 { h = cut(i, h.relu()) }
            }
            let loss = softmaxCrossEntropy(h, targets: targets)
            tape.backward(loss)
            return (loss.value.item, store.grads)
        }
        let pipeline = try Pipeline(stages: 4, spec: .identity)
        let (splitLoss, splitGrads) = lossAndGrads(pipeline.cut(.training(epoch: 0, samples: Array(0..<5))))
        let (loss, grads) = lossAndGrads { $1 }
        XCTAssertEqual(splitLoss.bitPattern, loss.bitPattern)
        XCTAssertEqual(splitGrads, grads)
        XCTAssertEqual(pipeline.takeBits().forward, 3 * 32 * 30)
    }
}
