import XCTest
@testable import Suite

final class RunParametersTests: XCTestCase {
    struct Shape: Codable, Hashable, Sendable {
        var sides: Int
        var scale: Float
    }

    struct Run: RunParameters {
        @JSONEncoded var shape: Shape
        var steps: Int
        var rate: Double
        var tag: String?
    }

    /// The form the store has always hashed: nested settings as canonical JSON text, numbers as
    /// numbers, an unset optional left out.
    func testTypedParametersGiveTheNameValueMapTheKeyWasAlwaysComputedFrom() throws {
        let typed = try RunConfig(paper: "p", experiment: "e", group: .named("g"), seed: 1,
                                  typed: Run(shape: Shape(sides: 3, scale: 0.5), steps: 10, rate: 0.1, tag: nil))
        let byHand = RunConfig(paper: "p", experiment: "e", group: "g", seed: 1, parameters: [
            "shape": try .json(Shape(sides: 3, scale: 0.5)), "steps": .int(10), "rate": .double(0.1),
        ])
        XCTAssertEqual(typed.parameters["shape"], .string(#"{"scale":0.5,"sides":3}"#))
        XCTAssertNil(typed.parameters["tag"])
        XCTAssertEqual(typed.key, byHand.key)
        XCTAssertEqual(try byHand.typed(Run.self), Run(shape: Shape(sides: 3, scale: 0.5), steps: 10, rate: 0.1, tag: nil))
    }

    /// A Double setting that happens to be whole prints as an integer in JSON; it must still key as before.
    func testAWholeDoubleKeysLikeTheDoubleItWas() throws {
        let typed = try RunConfig(paper: "p", experiment: "e", group: .named("g"), seed: 0,
                                  typed: Run(shape: Shape(sides: 4, scale: 1), steps: 1, rate: 2, tag: "x"))
        let byHand = RunConfig(paper: "p", experiment: "e", group: "g", seed: 0, parameters: [
            "shape": try .json(Shape(sides: 4, scale: 1)), "steps": .int(1), "rate": .double(2), "tag": .string("x"),
        ])
        XCTAssertEqual(typed.key, byHand.key)
        XCTAssertEqual(try typed.typed(Run.self).rate, 2)
    }

    func testParametersOfAnotherShapeNameTheRunAndWhatToDo() {
        let stale = RunConfig(paper: "p", experiment: "e", group: "g", seed: 2, parameters: ["steps": .string("ten")])
        XCTAssertThrowsError(try stale.typed(Run.self)) {
            XCTAssertTrue("\($0)".contains("run e/g seed 2"), "\($0)")
            XCTAssertTrue("\($0)".contains("--force"), "\($0)")
        }
    }

    func testTheBodyReceivesTheTypedParametersOfItsRun() throws {
        let received = Received()
        let run = try RunConfig(paper: "p", experiment: "e", group: .named("g"), seed: 0,
                                typed: Run(shape: Shape(sides: 5, scale: 0.25), steps: 3, rate: 0.5, tag: "t"))
        let experiment = Experiment(id: "e", title: "t", runs: [run], parameters: Run.self) { parameters, context in
            received.set(parameters)
            try context.log(step: 0, ["x": 1])
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("typed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let report = Runner(store: RunStore(root: root), jobs: 1, interactive: false, write: { _ in }).run([experiment], paper: "p")
        XCTAssertTrue(report.failures.isEmpty, "\(report.failures)")
        XCTAssertEqual(received.value, Run(shape: Shape(sides: 5, scale: 0.25), steps: 3, rate: 0.5, tag: "t"))
        XCTAssertTrue(experiment.parameterType == Run.self)
    }

    final class Received: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Run?
        var value: Run? { lock.withLock { stored } }
        func set(_ run: Run) { lock.withLock { stored = run } }
    }
}
