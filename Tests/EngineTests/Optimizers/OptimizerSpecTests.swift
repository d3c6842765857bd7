import Foundation
import XCTest
@testable import Engine

/// Every YAML name builds the optimizer it always built. For each name, a spec that sets every
/// hyper-parameter the name reads takes eight steps on fixed gradients (large enough that clipping
/// acts, with two parameter tensors so per-tensor clipping differs from whole-vector clipping), and
/// the parameters' exact bits are compared with `optimizer-steps-<core>.txt`, first recorded from
/// the enum-based `OptimizerSpec` before it became a registry. The norms of the norm-based methods
/// (normalized SGD, AdaGrad-Norm, clipping) come from OpenBLAS, whose kernels round differently, so
/// the bits are pinned per OpenBLAS core: Cooperlake (the AVX-512 machines), Zen, Haswell and
/// Sandybridge (the AVX2 ones, the last what `scripts/check-kernels` runs there). Re-record only for
/// a deliberate change of an update rule, or to pin another core:
/// `REPRO_RECORD_OPTIMIZER_STEPS=1 [OPENBLAS_CORETYPE=…] swift test --filter OptimizerSpecTests`.
final class OptimizerSpecTests: XCTestCase {
    static var pinned: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("optimizer-steps-\(BLAS.library.core).txt")
    }

    /// As a YAML sweep writes them (JSON here, since the engine does not read YAML).
    static let specs = [
        #"{"method": "sgd", "lr": 0.1, "beta": 0.9, "weightDecay": 0.01}"#,
        #"{"method": "clip-sgd", "lr": 0.1, "clip": 1, "beta": 0.5}"#,
        #"{"method": "clip-sgd", "lr": 0.1, "clip": 1, "clipPerTensor": true}"#,
        #"{"method": "normalized-sgd", "lr": 0.1, "beta": 0.9}"#,
        #"{"method": "adagrad", "lr": 0.1, "b0": 0.5}"#,
        #"{"method": "adagradd", "lr": 0.1, "b0": 0.5}"#,
        #"{"method": "clip-adagrad", "lr": 0.1, "clip": 1, "b0": 0.5, "clipPerTensor": true}"#,
        #"{"method": "clip-radagradd", "lr": 0.1, "clip": 1, "eta": 0.5, "b0": 0.5}"#,
        #"{"method": "clip-radagradd", "lr": 0.1, "clip": 1, "eta": 0.5, "b0": 0.5, "coordinateWise": true, "clipPerTensor": true}"#,
        #"{"method": "adagrad-norm", "lr": 0.1, "b0": 0.5, "eta": 0.5}"#,
        #"{"method": "adagrad-normd", "lr": 0.1, "b0": 0.5, "eta": 0.5}"#,
        #"{"method": "clip-adagrad-norm", "lr": 0.1, "clip": 1, "b0": 0.5, "eta": 0.5}"#,
        #"{"method": "clip-adagrad-normd", "lr": 0.1, "clip": 1, "b0": 0.5, "eta": 0.5}"#,
        #"{"method": "adam", "lr": 0.1, "beta": 0.8, "beta2": 0.99}"#,
        #"{"method": "adamd", "lr": 0.1, "beta": 0.8, "beta2": 0.99, "b0": 0.5}"#,
        #"{"method": "clip-adam", "lr": 0.1, "clip": 1}"#,
        #"{"method": "clip-adamd", "lr": 0.1, "clip": 1, "b0": 0.5, "clipPerTensor": true}"#,
        #"{"method": "adamw", "lr": 0.1, "beta": 0.8, "beta2": 0.99, "weightDecay": 0.1}"#,
        #"{"method": "rmsprop", "lr": 0.1, "beta": 0.9}"#,
        #"{"method": "signsgd", "lr": 0.1}"#,
        #"{"method": "m-signsgd", "lr": 0.1, "beta": 0.9, "weightDecay": 0.01}"#,
        #"{"method": "usgm", "lr": 1, "radius": 1}"#,
        #"{"method": "usgm", "lr": 0.5, "radius": 2}"#,
    ]

    /// The parameters after eight steps, as hex bit patterns.
    static func trajectory(_ json: String) throws -> String {
        var optimizer = try JSONDecoder().decode(OptimizerSpec.self, from: Data(json.utf8)).make()
        var builder = ParameterBuilder(rng: RNG(seed: 0))
        _ = builder.add("a", shape: [3], .constant(1))
        _ = builder.add("b", shape: [2], .constant(-0.5))
        let store = builder.build()
        var rng = RNG(seed: 11)
        for _ in 0..<8 {
            // A gradient of the quadratic ½‖x‖² plus noise of norm ~3: clipping at 1 acts.
            store.grads = Tensor(shape: [5], store.values.scalars.map { $0 + Float(1.5 * rng.normal()) })
            optimizer.step(store)
        }
        return store.values.scalars.map { String($0.bitPattern, radix: 16) }.joined(separator: " ")
    }

    func testEveryNameBuildsTheOptimizerItAlwaysBuilt() throws {
        let lines = try Self.specs.map { "\($0)\t\(try Self.trajectory($0))" }
        if ProcessInfo.processInfo.environment["REPRO_RECORD_OPTIMIZER_STEPS"] == "1" {
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: Self.pinned, options: .atomic)
            return
        }
        guard FileManager.default.fileExists(atPath: Self.pinned.path) else {
            throw XCTSkip("no trajectories pinned for OpenBLAS core \(BLAS.library.core) (\(Self.pinned.lastPathComponent)); "
                          + "record them with REPRO_RECORD_OPTIMIZER_STEPS=1 swift test --filter OptimizerSpecTests")
        }
        let pinned = try String(contentsOf: Self.pinned, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(pinned.count, lines.count, "\(Self.pinned.lastPathComponent) has another list of specs")
        for (now, was) in zip(lines, pinned) { XCTAssertEqual(now, was) }
    }
}
