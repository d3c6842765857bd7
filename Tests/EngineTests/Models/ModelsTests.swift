import XCTest
@testable import Engine

final class ModelsTests: XCTestCase {
    func testMLPGradientMatchesFiniteDifferences() {
        var builder = ParameterBuilder(rng: RNG(seed: 70))
        let model = MLP(.init(sizes: [5, 7, 6, 3], activation: .tanh), builder: &builder)
        let store = builder.build()
        randomize(store, seed: 71)
        var rng = RNG(seed: 72)
        let x = Tensor.normal([4, 5], rng: &rng)
        let r = GradientCheck().check(inputs: [x], parameters: store) { _, v in
            softmaxCrossEntropy(model(v[0]), targets: [0, 2, 1, 2]) * 4
        }
        assertGradientsMatch(r, store: store)
    }

    func testSmallCNNGradientMatchesFiniteDifferences() {
        var builder = ParameterBuilder(rng: RNG(seed: 73))
        let model = SmallCNN(.init(channels: 2, height: 8, width: 8, filters: (3, 4), classes: 3), builder: &builder)
        let store = builder.build()
        randomize(store, std: 0.3, seed: 74)
        var rng = RNG(seed: 75)
        let x = Tensor.normal([2, 2, 8, 8], rng: &rng)
        // ReLU and max-pooling have kinks; the smaller step 1e-3 makes crossing one during a probe
        // unlikely, at the cost of a rounding error ε·|f|/h ≈ 1e-4·|f| that is still far below 1e-2.
        let r = GradientCheck(step: 1e-3).check(inputs: [x], parameters: store) { _, v in
            softmaxCrossEntropy(model(v[0]), targets: [2, 0]) * 2
        }
        assertGradientsMatch(r, store: store)
    }

    func checkDecoder(style: TransformerBlock.Style, tied: Bool, seed: UInt64) {
        var builder = ParameterBuilder(rng: RNG(seed: seed))
        let config = GPTDecoder.Config(vocabulary: 7, context: 6, layers: 2,
                                       block: .init(width: 8, heads: 2, hidden: 12, style: style), tiedHead: tied)
        let model = GPTDecoder(config, builder: &builder)
        let store = builder.build()
        randomize(store, seed: seed + 1)
        let ids = [1, 4, 2, 6, 0, 3, 3, 5, 1, 2], targets = [4, 2, 6, 0, 1, 3, 5, 1, 2, 6]
        let r = GradientCheck().check(inputs: [], parameters: store) { tape, _ in
            softmaxCrossEntropy(model(ids, batch: 2, mode: .evaluation, on: tape), targets: targets) * 10
        }
        assertGradientsMatch(r, store: store)
    }

    func testTwoLayerGPTDecoderGradientMatchesFiniteDifferences() { checkDecoder(style: .gpt, tied: true, seed: 76) }
    func testTwoLayerLLaMADecoderGradientMatchesFiniteDifferences() { checkDecoder(style: .llama, tied: false, seed: 78) }

    func testDecoderLogitsIgnoreLaterTokens() {
        var builder = ParameterBuilder(rng: RNG(seed: 80))
        let model = GPTDecoder(.init(vocabulary: 9, context: 8, layers: 2, block: .init(width: 8, heads: 2)), builder: &builder)
        let store = builder.build()
        randomize(store, seed: 81)
        let tape = Tape(parameters: store, recording: false)
        let a = model([1, 2, 3, 4, 5], batch: 1, mode: .evaluation, on: tape).value
        let b = model([1, 2, 3, 8, 0], batch: 1, mode: .evaluation, on: tape).value
        for t in 0..<3 { for v in 0..<9 { XCTAssertEqual(a[0, t, v], b[0, t, v], accuracy: 1e-5) } }
        XCTAssertNotEqual(a[0, 3, 0], b[0, 3, 0])
    }

    func testSASRecGradientMatchesFiniteDifferences() {
        var builder = ParameterBuilder(rng: RNG(seed: 82))
        let model = SASRecEncoder(.init(items: 6, maxLength: 5, layers: 2, block: .init(width: 8, heads: 2, hidden: 8)),
                                  builder: &builder)
        let store = builder.build()
        randomize(store, seed: 83)
        let ids = [0, 0, 3, 1, 5, 0, 2, 6, 4, 1]
        let targets = [-1, -1, 1, 5, 2, -1, 6, 4, 1, 3]
        let r = GradientCheck().check(inputs: [], parameters: store) { tape, _ in
            softmaxCrossEntropy(model.scores(model(ids, batch: 2, mode: .evaluation, on: tape)), targets: targets, ignoreIndex: -1) * 7
        }
        assertGradientsMatch(r, store: store)
    }

    func testSASRecLeftPaddingDoesNotChangeRealPositions() {
        // With every positional row equal, a left-padded sequence must give the real items exactly
        // the hidden states of the unpadded sequence: padded keys receive no attention weight.
        var builder = ParameterBuilder(rng: RNG(seed: 84))
        let model = SASRecEncoder(.init(items: 6, maxLength: 5, layers: 2, block: .init(width: 8, heads: 2)), builder: &builder)
        let store = builder.build()
        randomize(store, seed: 85)
        let positions = store.view(model.positions.table)
        for i in positions.range { store.values[flat: i] = store.values[flat: positions.offset + (i - positions.offset) % 8] }
        let tape = Tape(parameters: store, recording: false)
        let padded = model([0, 0, 3, 1, 5], batch: 1, mode: .evaluation, on: tape).value
        let plain = model([3, 1, 5], batch: 1, mode: .evaluation, on: tape).value
        for t in 0..<3 { for c in 0..<8 { XCTAssertEqual(padded[0, t + 2, c], plain[0, t, c], accuracy: 1e-5) } }
    }

    func testTwoLayerMambaStackGradientMatchesFiniteDifferences() {
        var builder = ParameterBuilder(rng: RNG(seed: 86))
        let model = MambaStack(.init(vocabulary: 7, layers: 2, block: .init(width: 4, stateSize: 3, convWidth: 3),
                                     paddingIndex: 0), builder: &builder)
        let store = builder.build()
        randomize(store, seed: 87)
        let ids = [0, 2, 5, 1, 3, 4, 6, 6, 2, 1], targets = [2, 5, 1, 3, 6, 6, 6, 2, 1, 4]
        let r = GradientCheck().check(inputs: [], parameters: store) { tape, _ in
            softmaxCrossEntropy(model.scores(model(ids, batch: 2, on: tape)), targets: targets) * 10
        }
        assertGradientsMatch(r, store: store)
    }

    func smallMamba4Rec(layers: Int, seed: UInt64) -> (Mamba4Rec, ParameterStore) {
        var builder = ParameterBuilder(rng: RNG(seed: seed))
        let model = Mamba4Rec(.init(items: 6, layers: layers, width: 4, stateSize: 3, convWidth: 3, expand: 2, dropout: 0.2),
                              builder: &builder)
        return (model, builder.build())
    }

    func testMamba4RecScoresEveryItemAtEveryStep() {
        let (model, store) = smallMamba4Rec(layers: 1, seed: 88)
        let tape = Tape(parameters: store, recording: false)
        let h = model([3, 1, 5, 0, 0, 2, 6, 4, 1, 0], batch: 2, mode: .evaluation, on: tape)
        XCTAssertEqual(h.shape, [2, 5, 4])
        XCTAssertEqual(model.scores(h).shape, [2, 5, 7])
        // Mamba4Rec's Δ bias starts at 0 (the official code re-initialises every Linear), so Δ = softplus(·) ≈ 0.69.
        let dtBias = store.value(model.layers[0].mamba.dtProj.bias!)
        XCTAssertEqual(dtBias.scalars, [Float](repeating: 0, count: dtBias.count))
    }

    func testHiddenAtPositionsEqualsTheFullForwardAtThoseSteps() {
        let builds: [(inout ParameterBuilder) -> any SequentialRecommender] = [
            { Mamba4Rec(.init(items: 6, layers: 1, width: 4, stateSize: 3, convWidth: 3), builder: &$0) },
            { Mamba4Rec(.init(items: 6, layers: 2, width: 4, stateSize: 3, convWidth: 3), builder: &$0) },
            { SASRecEncoder(.init(items: 6, maxLength: 5, layers: 2, block: .init(width: 4, heads: 2)), builder: &$0) },
        ]
        let ids = [3, 1, 5, 0, 0, 2, 6, 4, 1, 0, 4, 0, 0, 0, 0], positions = [2, 3, 0]
        for build in builds {
            var builder = ParameterBuilder(rng: RNG(seed: 95))
            let model = build(&builder)
            let store = builder.build()
            randomize(store, seed: 96)
            let tape = Tape(parameters: store, recording: false)
            let full = model(ids, batch: 3, mode: .evaluation, on: tape).value
            let picked = model.hidden(ids, batch: 3, at: positions, mode: .evaluation, on: tape).value
            XCTAssertEqual(picked.shape, [3, 4])
            for (b, t) in positions.enumerated() {
                for c in 0..<4 { XCTAssertEqual(picked[b, c], full[b, t, c], accuracy: 1e-5, "\(type(of: model))") }
            }
        }
    }

    func testMamba4RecGradientMatchesFiniteDifferences() {
        for layers in [1, 2] {
            let (model, store) = smallMamba4Rec(layers: layers, seed: 89)
            randomize(store, seed: 90)
            let ids = [3, 1, 5, 0, 0, 2, 6, 4, 1, 0], targets = [1, 5, -1, -1, -1, 6, 4, 1, -1, -1]
            let r = GradientCheck().check(inputs: [], parameters: store) { tape, _ in
                softmaxCrossEntropy(model.scores(model(ids, batch: 2, mode: .evaluation, on: tape)), targets: targets, ignoreIndex: -1) * 5
            }
            assertGradientsMatch(r, store: store)
        }
    }

    func testGRU4RecGradientMatchesFiniteDifferences() {
        var builder = ParameterBuilder(rng: RNG(seed: 91))
        let model = GRU4Rec(.init(items: 6, width: 4, hidden: 5, dropout: 0.3), builder: &builder)
        let store = builder.build()
        randomize(store, seed: 92)
        let ids = [3, 1, 5, 0, 2, 6, 4, 1], targets = [1, 5, -1, -1, 6, 4, 1, -1]
        let r = GradientCheck().check(inputs: [], parameters: store) { tape, _ in
            softmaxCrossEntropy(model.scores(model(ids, batch: 2, mode: .evaluation, on: tape)), targets: targets, ignoreIndex: -1) * 5
        }
        assertGradientsMatch(r, store: store)
    }

    func testRecommendersIgnoreRightPaddingAtRealPositions() {
        var builder = ParameterBuilder(rng: RNG(seed: 93))
        let models: [any SequentialRecommender] = [
            Mamba4Rec(.init(items: 6, layers: 2, width: 4, stateSize: 3, convWidth: 3), builder: &builder),
            GRU4Rec(.init(items: 6, width: 4, hidden: 4), builder: &builder),
            SASRecEncoder(.init(items: 6, maxLength: 6, layers: 2, block: .init(width: 4, heads: 2)), builder: &builder),
        ]
        let store = builder.build()
        randomize(store, seed: 94)
        for model in models {
            let tape = Tape(parameters: store, recording: false)
            let padded = model([3, 1, 5, 0, 0, 0], batch: 1, mode: .evaluation, on: tape).value
            let plain = model([3, 1, 5], batch: 1, mode: .evaluation, on: tape).value
            for t in 0..<3 { for c in 0..<4 { XCTAssertEqual(padded[0, t, c], plain[0, t, c], accuracy: 1e-5, "\(type(of: model))") } }
        }
    }

    func postNormSASRec(seed: UInt64, dropout: Float = 0.5) -> (SASRecEncoder, ParameterStore) {
        var builder = ParameterBuilder(rng: RNG(seed: seed))
        let block = PostNormTransformerBlock.Config(width: 8, heads: 2, hidden: 8, dropout: dropout, attentionDropout: dropout)
        let model = SASRecEncoder(.init(items: 6, maxLength: 5, layers: 2, blocks: .postNorm(block)), builder: &builder)
        return (model, builder.build())
    }

    func testPostNormSASRecGradientMatchesFiniteDifferencesWithDropout() {
        let (model, store) = postNormSASRec(seed: 95)
        randomize(store, seed: 96)
        let ids = [0, 0, 3, 1, 5, 2, 6, 4, 1, 0]
        let targets = [-1, -1, 1, 5, 2, 6, 4, 1, 3, -1]
        // Training mode with a fixed generator: every evaluation draws the same masks.
        let mode = ForwardMode.training(rng: RNG(seed: 97))
        let r = GradientCheck().check(inputs: [], parameters: store) { tape, _ in
            softmaxCrossEntropy(model.scores(model(ids, batch: 2, mode: mode, on: tape)), targets: targets, ignoreIndex: -1) * 7
        }
        assertGradientsMatch(r, store: store)
    }

    func testPostNormSASRecIsRecBolesLayerOrder() {
        // One layer by hand from the model's own parameters, evaluation mode: LN(E + P), then
        // h = LN(x + Attn(x)), y = LN(h + W₂ GELU(W₁ h)); no √d scale, no final norm.
        var builder = ParameterBuilder(rng: RNG(seed: 98))
        let block = PostNormTransformerBlock.Config(width: 8, heads: 2, hidden: 16)
        let model = SASRecEncoder(.init(items: 6, maxLength: 4, layers: 1, blocks: .postNorm(block)), builder: &builder)
        let store = builder.build()
        randomize(store, seed: 99)
        let tape = Tape(parameters: store, recording: false)
        let ids = [3, 1, 5, 2]
        let got = model(ids, batch: 1, mode: .evaluation, on: tape).value
        let x = model.norm(model.itemEmbedding(ids, shape: [1, 4], on: tape) + model.positions([0, 1, 2, 3], shape: [4], on: tape))
        guard case .postNorm(let blocks) = model.stack else { return XCTFail("expected post-norm blocks") }
        let b = blocks[0]
        let attention = causalAttention(b.attention.qkv(x), heads: 2)
        let h = b.attentionNorm(x + b.attention.out(attention))
        let mlp = b.mlp.down(b.mlp.up(h).exactGELU())
        assertClose(got, b.mlpNorm(h + mlp).value.scalars, tolerance: 1e-5)
        XCTAssertEqual(b.attentionNorm.eps, 1e-12)
        XCTAssertEqual(b.attention.attentionDropout.rate, 0.5)
    }

    func testGRU4RecFollowsRecBoleWithoutBiases() {
        var biasedBuilder = ParameterBuilder(rng: RNG(seed: 100))
        let biased = GRU4Rec(.init(items: 6, width: 4, hidden: 5, bias: true), builder: &biasedBuilder)
        XCTAssertNotNil(biased.gru.recurrentBias)
        XCTAssertNotNil(biased.gru.input.bias)
        var builder = ParameterBuilder(rng: RNG(seed: 100))
        let plain = GRU4Rec(.init(items: 6, width: 4, hidden: 5), builder: &builder)
        XCTAssertNil(plain.gru.recurrentBias)
        XCTAssertNil(plain.gru.input.bias)
        let store = builder.build()
        XCTAssertEqual(biasedBuilder.build().count - store.count, 2 * 3 * 5, "b_i and b_h, 3H each")
        randomize(store, seed: 101)
        let ids = [3, 1, 5, 0, 2, 6, 4, 1], targets = [1, 5, -1, -1, 6, 4, 1, -1]
        let r = GradientCheck().check(inputs: [], parameters: store) { tape, _ in
            softmaxCrossEntropy(plain.scores(plain(ids, batch: 2, mode: .evaluation, on: tape)), targets: targets, ignoreIndex: -1) * 5
        }
        assertGradientsMatch(r, store: store)
    }
}
