import XCTest
@testable import Engine

final class ResNetTests: XCTestCase {
    func makeModel(_ config: ResNet.Config, seed: UInt64) -> (ResNet, ParameterStore) {
        var builder = ParameterBuilder(rng: RNG(seed: seed))
        let model = ResNet(config, builder: &builder)
        return (model, builder.build())
    }

    func testTinyResNetGradientMatchesFiniteDifferencesInTraining() {
        // Spatial sizes 8 → 8 → 4 → 2 → 1: layer 1 has the identity shortcut, layers 2–4 the
        // projection, and layer 4's batch norm sees only N·1·1 = 3 values per channel.
        let (model, store) = makeModel(.init(inputChannels: 1, height: 8, width: 8, classes: 3, baseWidth: 2, blocks: [1, 1, 1, 1]),
                                       seed: 130)
        randomize(store, seed: 131)
        var rng = RNG(seed: 132)
        let x = Tensor.normal([3, 1, 8, 8], rng: &rng)
        let mode = ForwardMode.training(rng: RNG(seed: 133))
        // ReLU has kinks, so the step is small; but layer 4's batch norm divides by the spread of 3
        // values, which makes float32 rounding of the loss large: measured max errors 8.3e-3, 3.6e-3,
        // 1.4e-3 and 6.0e-3 for steps 5e-4, 1e-3, 2e-3 and 4e-3 (rounding below 2e-3, kinks above).
        // 256 coordinates instead of 64 so that the small early layers are probed too.
        let r = GradientCheck(step: 2e-3, maxCoordinates: 256).check(inputs: [x], parameters: store) { _, v in
            softmaxCrossEntropy(model(v[0], mode: mode), targets: [0, 2, 1]) * 3
        }
        assertGradientsMatch(r, store: store)
    }

    func testCutSeesTheThreeLayerBoundariesOfAFashionMNISTImage() {
        let (model, store) = makeModel(.init(inputChannels: 1, height: 28, width: 28, classes: 10, baseWidth: 2, blocks: [1, 1, 1, 1]),
                                       seed: 134)
        var rng = RNG(seed: 135)
        let tape = Tape(parameters: store, recording: false)
        var seen: [(Int, [Int])] = []
        let logits = model(tape.input(Tensor.normal([2, 1, 28, 28], rng: &rng)), mode: .evaluation) { boundary, a in
            seen.append((boundary, a.shape))
            return a
        }
        XCTAssertEqual(seen.map(\.0), [0, 1, 2])
        XCTAssertEqual(seen.map(\.1), [[2, 2, 28, 28], [2, 4, 14, 14], [2, 8, 7, 7]])
        XCTAssertEqual(logits.shape, [2, 10])
    }

    func testIdentityCutGivesBitIdenticalLogitsAndGradients() {
        // The cut is a recorded identity op (as an uncompressed pipeline boundary is), so the test
        // also shows that the network continues from what `cut` returns.
        let (model, store) = makeModel(.init(inputChannels: 1, height: 12, width: 12, classes: 4, baseWidth: 2, blocks: [2, 1, 1, 1]),
                                       seed: 136)
        var rng = RNG(seed: 137)
        let x = Tensor.normal([3, 1, 12, 12], rng: &rng)
        let identity = { (_: Int, a: Var) -> Var in a.tape.record(a.value, inputs: [a]) { tape, g in tape.accumulate(a, g) } }
        for mode in [ForwardMode.training(rng: RNG(seed: 0)), .evaluation] {
            var runs: [(logits: Tensor, grads: Tensor)] = []
            for useCut in [false, true] {
                store.zeroGrads()
                let tape = Tape(parameters: store)
                let input = tape.input(x)
                let logits = useCut ? model(input, mode: mode, cut: identity) : model(input, mode: mode)
                tape.backward(softmaxCrossEntropy(logits, targets: [1, 3, 0]))
                runs.append((logits.value, store.grads))
            }
            XCTAssertEqual(runs[0].logits, runs[1].logits)
            XCTAssertEqual(runs[0].grads, runs[1].grads)
        }
    }

    func testCutOutputReplacesTheActivation() {
        let (model, store) = makeModel(.init(inputChannels: 1, height: 8, width: 8, classes: 3, baseWidth: 2, blocks: [1, 1, 1, 1]),
                                       seed: 138)
        var rng = RNG(seed: 139)
        let tape = Tape(parameters: store, recording: false)
        let x = tape.input(Tensor.normal([2, 1, 8, 8], rng: &rng))
        let plain = model(x, mode: .evaluation).value
        let zeroed = model(x, mode: .evaluation) { b, a in b == 2 ? a * 0 : a }.value
        XCTAssertNotEqual(plain, zeroed)
        // With layer 3's output zeroed, layer 4 sees only its running statistics and biases, so
        // every image gets the same logits.
        for c in 0..<3 { XCTAssertEqual(zeroed[0, c], zeroed[1, c]) }
    }

    func testTrainingUpdatesEveryRunningStatisticAndEvaluationNone() {
        let (model, store) = makeModel(.init(inputChannels: 1, height: 8, width: 8, classes: 3, baseWidth: 2, blocks: [1, 1, 1, 1]),
                                       seed: 140)
        // Stem, two per block, and the projections of layers 2–4.
        XCTAssertEqual(model.statistics.count, 1 + 2 * 4 + 3)
        XCTAssertEqual(Set(model.statistics.map(\.name)).count, model.statistics.count)
        var rng = RNG(seed: 141)
        let x = Tensor.normal([2, 1, 8, 8], rng: &rng)
        let before = model.statistics.map { ($0.mean, $0.variance) }
        let tape = Tape(parameters: store, recording: false)
        _ = model(tape.input(x), mode: .evaluation)
        for (s, b) in zip(model.statistics, before) { XCTAssertTrue(s.mean == b.0 && s.variance == b.1, s.name) }
        _ = model(tape.input(x), mode: .training(rng: RNG(seed: 0)))
        for (s, b) in zip(model.statistics, before) { XCTAssertTrue(s.mean != b.0 && s.variance != b.1, s.name) }
    }

    func testResNet18HasThePyTorchCIFARParameterCount() {
        // kuangliu/pytorch-cifar's ResNet18() has 11,173,962 parameters on 3×32×32 CIFAR-10
        // (running statistics are buffers, not parameters, there as here).
        let (_, store) = makeModel(.init(inputChannels: 3, height: 32, width: 32, classes: 10), seed: 142)
        XCTAssertEqual(store.count, 11_173_962)
    }
}
