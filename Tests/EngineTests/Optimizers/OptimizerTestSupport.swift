import XCTest
@testable import Engine

/// Runs `optimizer` from x₀ over a fixed gradient sequence (one gradient per step) and returns x.
func iterate<O: Optimizer>(_ optimizer: inout O, from x0: [Float], gradients: [[Float]]) -> [Float] {
    let store = ParameterStore(vector: Tensor(shape: [x0.count], x0))
    for g in gradients {
        store.grads = Tensor(shape: [g.count], g)
        optimizer.step(store)
    }
    return store.values.scalars
}

func assertClose(_ actual: [Float], _ expected: [Float], accuracy: Float = 1e-5, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "length", file: file, line: line)
    for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: accuracy, "\(actual) vs \(expected)", file: file, line: line) }
}
