import Foundation
import XCTest
@testable import Engine

final class OptimizerRegistryTests: XCTestCase {
    func spec(_ json: String) throws -> OptimizerSpec { try JSONDecoder().decode(OptimizerSpec.self, from: Data(json.utf8)) }

    func steps(_ spec: OptimizerSpec) throws -> [Float] {
        var optimizer = try spec.make()
        let store = ParameterStore(vector: Tensor(shape: [2], [1, 1]))
        for g: [Float] in [[3, 4], [-1, 2], [0.5, -6]] {
            store.grads = Tensor(shape: [2], g)
            optimizer.step(store)
        }
        return store.values.scalars
    }

    /// Clipping and the delayed step are options of any optimizer that takes them: the field and
    /// the name prefix/suffix say the same thing.
    func testClippingAndDelayAreOptionsNotNames() throws {
        XCTAssertEqual(try steps(spec(#"{"method": "adam", "lr": 0.1, "clip": 1}"#)), try steps(spec(#"{"method": "clip-adam", "lr": 0.1, "clip": 1}"#)))
        XCTAssertEqual(try steps(spec(#"{"method": "adagrad", "lr": 0.1, "b0": 0.5, "delayed": true}"#)),
                       try steps(spec(#"{"method": "adagradd", "lr": 0.1, "b0": 0.5}"#)))
        XCTAssertNotEqual(try steps(spec(#"{"method": "adamw", "lr": 0.1, "clip": 1}"#)), try steps(spec(#"{"method": "adamw", "lr": 0.1}"#)))
        var adamw = AdamW(learningRate: 0.1)
        var clipped = Clipped(AdamW(learningRate: 0.1), clipping: .norm(1))
        XCTAssertEqual(try steps(spec(#"{"method": "clip-adamw", "lr": 0.1, "clip": 1}"#)),
                       iterate(&clipped, from: [1, 1], gradients: [[3, 4], [-1, 2], [0.5, -6]]))
        XCTAssertNotEqual(iterate(&adamw, from: [1, 1], gradients: [[3, 4], [-1, 2], [0.5, -6]]),
                          iterate(&clipped, from: [1, 1], gradients: [[3, 4], [-1, 2], [0.5, -6]]))
    }

    func testAnUnknownNameListsEveryNameThatResolves() {
        XCTAssertThrowsError(try spec(#"{"method": "adamx", "lr": 0.1}"#).make()) { error in
            let text = "\(error)"
            for name in ["optimizer 'adamx' is not one of:", "sgd, clip-sgd, normalized-sgd", "clip-radagradd", "adagrad-normd", "clip-adamd", "usgm"] {
                XCTAssertTrue(text.contains(name), "\(name) in \(text)")
            }
        }
        // Composition applies only where the optimizer takes it.
        XCTAssertThrowsError(try spec(#"{"method": "clip-signsgd", "lr": 0.1, "clip": 1}"#).make())
        XCTAssertThrowsError(try spec(#"{"method": "sgdd", "lr": 0.1, "b0": 1}"#).make())
    }

    /// A key the optimizer does not read was ignored before; now it is an error naming what it reads.
    func testAKeyTheOptimizerDoesNotReadIsAnError() {
        XCTAssertThrowsError(try OptimizerSpec(method: .signSGD, lr: 0.1, beta: 0.9).make()) {
            XCTAssertEqual("\($0)", "optimizer 'signsgd' does not read 'beta' (it reads lr)")
        }
        XCTAssertThrowsError(try OptimizerSpec(method: .adam, lr: 0.1, b0: 1).make()) {
            XCTAssertEqual("\($0)", "optimizer 'adam' does not read 'b0' (it reads lr, beta, beta2, delayed)")
        }
        XCTAssertThrowsError(try OptimizerSpec(method: "adamd", lr: 0.1).make()) { XCTAssertEqual("\($0)", "optimizer 'adamd' needs 'b0'") }
    }

    func testOnlySignMethodsVoteAndSendOneBitPerCoordinate() throws {
        XCTAssertEqual(try OptimizerSpec(method: .mSignSGD, lr: 0.1).bitsPerCoordinate(), 1)
        XCTAssertEqual(try OptimizerSpec(method: .adam, lr: 0.1).bitsPerCoordinate(), 32)
        XCTAssertTrue(OptimizerSpec(method: .signSGD, lr: 0.1).canVote)
        XCTAssertFalse(OptimizerSpec(method: "clip-sgd", lr: 0.1, clip: 1).canVote)
        XCTAssertThrowsError(try OptimizerSpec(method: .adam, lr: 0.1).majorityVote()) {
            XCTAssertTrue("\($0)".contains("only sign methods (signsgd, m-signsgd)"), "\($0)")
        }
    }

    /// The JSON a spec encodes to is hashed into run keys: the registry must not change it.
    func testASpecEncodesAsItAlwaysDid() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(OptimizerSpec(method: "clip-adamd", lr: 0.001, clip: 1, b0: 0.0031623, clipPerTensor: true)),
                          as: UTF8.self)
        XCTAssertEqual(text, #"{"b0":0.0031623,"clip":1,"clipPerTensor":true,"lr":0.001,"method":"clip-adamd"}"#)
    }
}
