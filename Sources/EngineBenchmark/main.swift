import Engine
import Foundation

// Engine speed, release build: `swift run -c release EngineBenchmark [--threads N] [--steps N] [--no-torch]`.
// 1. sgemm through `Tensor.matmul` against `cblas_sgemm` on preallocated buffers (the engine's overhead);
// 2. training steps/s of an MLP 784-256-256-10 (batch 128, Adam), a 2-layer GPT decoder
//    (d 128, 4 heads, T 64, batch 32, vocabulary 65, Adam) and the model-parallel reproduction's
//    ResNet (width 16, one BasicBlock per layer, 1×28×28, batch 128, SGD momentum), and two sequential
//    recommenders over 23,715 items (batch 256 of full-length L 50 sequences, cross-entropy over all
//    23,716 ids at every position, tied item embeddings, Adam): SASRec (2 blocks, d 64, 2 heads, MLP 256,
//    dropout 0.2) and Mamba4Rec (1 layer, d 64, d_state 32, d_conv 4, expand 2, dropout 0.2);
// 3. inference batches/s of the two recommenders (no tape, evaluation mode, scores of each sequence's
//    last position only, [256, 23716]);
// 4. the same models in PyTorch (scripts/pytorch_reference.py) when python3 can import torch
//    (Mamba4Rec also needs `pip install mambapy`, else its PyTorch numbers are left out).

struct Options {
    var threads = 2
    var steps = 50
    var torch = true

    init(_ args: [String]) {
        var it = args.makeIterator()
        while let a = it.next() {
            switch a {
            case "--threads": threads = it.next().flatMap(Int.init) ?? threads
            case "--steps": steps = it.next().flatMap(Int.init) ?? steps
            case "--no-torch": torch = false
            default:
                FileHandle.standardError.write("usage: EngineBenchmark [--threads N] [--steps N] [--no-torch]\n".data(using: .utf8)!)
                exit(2)
            }
        }
    }
}

/// Steps per second over `steps` calls after `warmup` untimed ones.
func rate(steps: Int, warmup: Int = 3, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<steps { body() }
    return Double(steps) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
BLAS.threads = options.threads
AllocatorTuning.keepFreedMemoryForReuse()
print("engine benchmark: \(options.steps) timed steps per model")
print("BLAS: \(BLAS.library.description); \(BLAS.threads) threads")

var rng = RNG(seed: 0)
var gemm: [(String, Double, Double)] = []
for (m, n, k) in [(128, 256, 784), (512, 512, 512), (1024, 1024, 1024)] {
    let a = Tensor.normal([m, k], rng: &rng), b = Tensor.normal([k, n], rng: &rng)
    var c = Tensor(zeros: [m, n])
    let reps = max(5, options.steps)
    let engine = rate(steps: reps) { _ = Tensor.matmul(a, b) }
    let direct = rate(steps: reps) {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            BLAS.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k,
                      a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n)
        }}}
    }
    let flops = 2.0 * Double(m * n * k) / 1e9
    gemm.append(("\(m)x\(n)x\(k)", engine * flops, direct * flops))
}

func mlpRate() -> Double {
    var builder = ParameterBuilder(rng: RNG(seed: 1))
    let model = MLP(.init(sizes: [784, 256, 256, 10]), builder: &builder)
    let store = builder.build()
    var data = RNG(seed: 2)
    let x = Tensor.normal([128, 784], rng: &data)
    let y = (0..<128).map { _ in data.int(below: 10) }
    var adam = Adam(learningRate: 1e-3)
    return rate(steps: options.steps * 4) {
        store.zeroGrads()
        do {
            let tape = Tape(parameters: store)
            tape.backward(softmaxCrossEntropy(model(tape.input(x)), targets: y))
        }
        adam.step(store)
    }
}

func decoderRate() -> Double {
    var builder = ParameterBuilder(rng: RNG(seed: 3))
    let block = TransformerBlock.Config(width: 128, heads: 4, dropout: 0, style: .gpt)
    let model = GPTDecoder(.init(vocabulary: 65, context: 64, layers: 2, block: block, tiedHead: false), builder: &builder)
    let store = builder.build()
    var data = RNG(seed: 4)
    let ids = (0..<(32 * 64)).map { _ in data.int(below: 65) }
    let targets = (0..<(32 * 64)).map { _ in data.int(below: 65) }
    var adam = Adam(learningRate: 1e-3)
    return rate(steps: options.steps) {
        store.zeroGrads()
        do {
            let tape = Tape(parameters: store)
            let logits = model(ids, batch: 32, mode: .training(rng: data.stream("dropout")), on: tape)
            tape.backward(softmaxCrossEntropy(logits, targets: targets))
        }
        adam.step(store)
    }
}

/// The image model of the model-parallel reproduction: ResNet (width 16, one BasicBlock per layer)
/// on 1×28×28, batch 128, SGD with momentum and weight decay.
func resnetRate() -> Double {
    var builder = ParameterBuilder(rng: RNG(seed: 5))
    let model = ResNet(.init(inputChannels: 1, height: 28, width: 28, classes: 10, baseWidth: 16, blocks: [1, 1, 1, 1]), builder: &builder)
    let store = builder.build()
    var data = RNG(seed: 6)
    let x = Tensor.normal([128, 1, 28, 28], rng: &data)
    let y = (0..<128).map { _ in data.int(below: 10) }
    var sgd = SGD(learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4)
    return rate(steps: max(5, options.steps / 5), warmup: 2) {
        store.zeroGrads()
        do {
            let tape = Tape(parameters: store)
            tape.backward(softmaxCrossEntropy(model(tape.input(x), mode: .training(rng: data.stream("dropout"))), targets: y))
        }
        sgd.step(store)
    }
}

/// Training steps/s and inference batches/s of a sequential recommender on batch 256 of full-length
/// (L 50, no padding) random item sequences. Training: cross-entropy over every item id at every
/// position, Adam. Inference: no tape, evaluation mode, scores `[256, items + 1]` of the last position.
func recommenderRates<Model: SequentialRecommender>(_ model: Model, _ store: ParameterStore, seed: UInt64) -> (train: Double, inference: Double) {
    let (batch, length) = (256, 50)
    var data = RNG(seed: seed)
    let ids = (0..<(batch * length)).map { _ in 1 + data.int(below: model.items) }
    let targets = (0..<(batch * length)).map { _ in 1 + data.int(below: model.items) }
    var adam = Adam(learningRate: 1e-3)
    let train = rate(steps: max(3, options.steps / 10), warmup: 1) {
        store.zeroGrads()
        do {
            let tape = Tape(parameters: store)
            let hidden = model(ids, batch: batch, mode: .training(rng: data.stream("dropout")), on: tape)
            // The engine's recommender loss: the same cross-entropy over all items as PyTorch's
            // F.cross_entropy(h @ Eᵀ), fused so the [12800, 23716] logits are never stored.
            let flat = hidden.reshaped([batch * length, hidden.shape[2]])
            tape.backward(projectedSoftmaxCrossEntropy(flat, table: tape.param(model.itemTable), targets: targets))
        }
        adam.step(store)
    }
    let last = (0..<batch).map { $0 * length + length - 1 }
    let inference = rate(steps: max(3, options.steps / 5), warmup: 2) {
        let tape = Tape(parameters: store, recording: false)
        let hidden = model(ids, batch: batch, mode: .evaluation, on: tape)
        let d = hidden.shape[2]
        _ = model.scores(gatherRows(hidden.reshaped([batch * length, d]), ids: last, shape: [batch])).value
    }
    return (train, inference)
}

func sasrecRates() -> (train: Double, inference: Double) {
    var builder = ParameterBuilder(rng: RNG(seed: 7))
    let block = TransformerBlock.Config(width: 64, heads: 2, hidden: 256, dropout: 0.2)
    let model = SASRecEncoder(.init(items: 23715, maxLength: 50, layers: 2, block: block), builder: &builder)
    return recommenderRates(model, builder.build(), seed: 8)
}

func mamba4recRates() -> (train: Double, inference: Double) {
    var builder = ParameterBuilder(rng: RNG(seed: 9))
    let model = Mamba4Rec(.init(items: 23715, layers: 1, width: 64, stateSize: 32, convWidth: 4, expand: 2, dropout: 0.2),
                          builder: &builder)
    return recommenderRates(model, builder.build(), seed: 10)
}

let mlp = mlpRate()
let decoder = decoderRate()
let resnet = resnetRate()
let sasrec = sasrecRates()
let mamba4rec = mamba4recRates()

struct TorchNumbers: Decodable {
    let torch: String
    let threads: Int
    let mlp_steps_per_s: Double
    let decoder_steps_per_s: Double
    let resnet_steps_per_s: Double
    let sasrec_steps_per_s: Double
    let mamba4rec_steps_per_s: Double?
    let sasrec_inference_per_s: Double
    let mamba4rec_inference_per_s: Double?
    let sgemm_gflops: [String: Double]
}

func torchNumbers() -> TorchNumbers? {
    guard options.torch else { return nil }
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scripts/pytorch_reference.py").standardized.path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script, "--threads", "\(options.threads)", "--steps", "\(options.steps)"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    do { try process.run() } catch { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        print("PyTorch reference not run (python3 cannot import torch; `pip install torch` to compare)")
        return nil
    }
    return try? JSONDecoder().decode(TorchNumbers.self, from: data)
}

let torch = torchNumbers()
/// Two decimals below 10 so that the slow recommender steps (well under one per second) stay readable.
func f(_ x: Double) -> String { String(format: x < 10 ? "%8.2f" : "%8.1f", x) }
/// One model's line: engine rate, then PyTorch's and the ratio ("-" when PyTorch ran without that model).
func row(_ name: String, _ ours: Double, _ theirs: Double?) {
    var line = "  \(name.padding(toLength: 32, withPad: " ", startingAt: 0))\(f(ours))"
    if let t = theirs { line += "  \(f(t))  \(String(format: "%12.2f", ours / t))" }
    else if torch != nil { line += "         -  (pip install mambapy)" }
    print(line)
}

print("\nsgemm GFLOP/s          engine    direct  engine/direct" + (torch != nil ? "   torch  engine/torch" : ""))
for (shape, engine, direct) in gemm {
    var line = "  \(shape.padding(toLength: 18, withPad: " ", startingAt: 0))\(f(engine))  \(f(direct))  \(String(format: "%12.2f", engine / direct))"
    if let t = torch?.sgemm_gflops[shape] { line += "  \(f(t))  \(String(format: "%12.2f", engine / t))" }
    print(line)
}
print("\ntraining steps/s                    engine" + (torch != nil ? "     torch  engine/torch" : ""))
for (name, ours, theirs) in [("MLP 784-256-256-10, b128, Adam", mlp, torch?.mlp_steps_per_s),
                             ("GPT 2x(d128,h4), T64, b32, Adam", decoder, torch?.decoder_steps_per_s),
                             ("ResNet c16 1x28x28, b128, SGD", resnet, torch?.resnet_steps_per_s),
                             ("SASRec 2x(d64,h2), L50, b256", sasrec.train, torch?.sasrec_steps_per_s),
                             ("Mamba4Rec d64 N32, L50, b256", mamba4rec.train, torch?.mamba4rec_steps_per_s)] {
    row(name, ours, theirs)
}
print("\ninference batches/s (last position) engine" + (torch != nil ? "     torch  engine/torch" : ""))
for (name, ours, theirs) in [("SASRec, L50, b256", sasrec.inference, torch?.sasrec_inference_per_s),
                             ("Mamba4Rec, L50, b256", mamba4rec.inference, torch?.mamba4rec_inference_per_s)] {
    row(name, ours, theirs)
}
if let t = torch { print("\nPyTorch \(t.torch) with \(t.threads) threads") }
