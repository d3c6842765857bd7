import XCTest
@testable import Engine

/// Training gives the same bits whatever `BLAS.threads` is: GEMM pieces and row blocks are fixed by
/// the shapes, and OpenBLAS runs single-threaded inside each piece. Shapes are chosen so that the
/// work does split (GEMMs of ≥ 2²¹ multiply-adds, row blocks of ≥ 2¹⁶ elements) and so that inner
/// dimensions fall between OpenBLAS's block size and twice it (768 tokens), where OpenBLAS's own
/// threading changed the last bits.
final class ThreadIndependenceTests: XCTestCase {
    /// The parameters after `steps` Adam steps of `loss`, trained with `threads` threads.
    func trained(threads: Int, steps: Int = 3, seed: UInt64,
                 model: (inout ParameterBuilder) -> (Tape, inout RNG) -> Var) -> [Float] {
        let saved = BLAS.threads
        BLAS.threads = threads
        defer { BLAS.threads = saved }
        var builder = ParameterBuilder(rng: RNG(seed: seed))
        let loss = model(&builder)
        let store = builder.build()
        var adam = Adam(learningRate: 1e-2)
        var rng = RNG(seed: seed &+ 1)
        for _ in 0..<steps {
            store.zeroGrads()
            let tape = Tape(parameters: store)
            tape.backward(loss(tape, &rng))
            adam.step(store)
        }
        return store.values.scalars
    }

    func assertSameBitsForOneAndTwoThreads(seed: UInt64, file: StaticString = #filePath, line: UInt = #line,
                                           _ model: (inout ParameterBuilder) -> (Tape, inout RNG) -> Var) {
        let one = trained(threads: 1, seed: seed, model: model), two = trained(threads: 2, seed: seed, model: model)
        XCTAssertEqual(one.count, two.count, file: file, line: line)
        let differing = zip(one, two).filter { $0.bitPattern != $1.bitPattern }.count
        XCTAssertEqual(differing, 0, "\(differing) of \(one.count) parameters differ between 1 and 2 threads", file: file, line: line)
    }

    func testGPTDecoderTrainsBitIdenticallyOnOneAndTwoThreads() {
        assertSameBitsForOneAndTwoThreads(seed: 1) { builder in
            let block = TransformerBlock.Config(width: 64, heads: 4, dropout: 0.1)
            let model = GPTDecoder(.init(vocabulary: 65, context: 64, layers: 1, block: block), builder: &builder)
            return { tape, rng in
                let ids = (0..<(12 * 64)).map { _ in rng.int(below: 65) }, targets = (0..<(12 * 64)).map { _ in rng.int(below: 65) }
                return softmaxCrossEntropy(model(ids, batch: 12, mode: .training(rng: rng.stream("dropout")), on: tape), targets: targets)
            }
        }
    }

    func testMamba4RecTrainsBitIdenticallyOnOneAndTwoThreads() {
        assertSameBitsForOneAndTwoThreads(seed: 2) { builder in
            let model = Mamba4Rec(.init(items: 500, width: 32, stateSize: 8, dropout: 0.1), builder: &builder)
            return { tape, rng in
                let (batch, length) = (24, 32)
                let ids = (0..<(batch * length)).map { _ in 1 + rng.int(below: 500) }
                let targets = (0..<(batch * length)).map { _ in 1 + rng.int(below: 500) }
                let hidden = model(ids, batch: batch, mode: .training(rng: rng.stream("dropout")), on: tape)
                return projectedSoftmaxCrossEntropy(hidden.reshaped([batch * length, 32]), table: tape.param(model.itemTable), targets: targets)
            }
        }
    }

    func testResNetTrainsBitIdenticallyOnOneAndTwoThreads() {
        assertSameBitsForOneAndTwoThreads(seed: 3) { builder in
            let model = ResNet(.init(inputChannels: 1, height: 16, width: 16, classes: 10, baseWidth: 8, blocks: [1, 1, 1, 1]), builder: &builder)
            return { tape, rng in
                let x = Tensor.normal([48, 1, 16, 16], rng: &rng), y = (0..<48).map { _ in rng.int(below: 10) }
                return softmaxCrossEntropy(model(tape.input(x), mode: .training(rng: rng.stream("dropout"))), targets: y)
            }
        }
    }

    func testMLPTrainsBitIdenticallyOnOneAndTwoThreads() {
        assertSameBitsForOneAndTwoThreads(seed: 4) { builder in
            let model = MLP(.init(sizes: [784, 256, 10]), builder: &builder)
            return { tape, rng in
                let x = Tensor.normal([768, 784], rng: &rng), y = (0..<768).map { _ in rng.int(below: 10) }
                return softmaxCrossEntropy(model(tape.input(x)), targets: y)
            }
        }
    }
}
