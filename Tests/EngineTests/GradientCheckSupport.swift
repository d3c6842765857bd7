import XCTest
@testable import Engine

/// Tolerance for float32 central differences with step h = 1e-2: the rounding term ε·|f|/h is about
/// 1e-5·|f| and the truncation term h²·|f'''|/6 about 2e-5·|f'''|, so for the O(1)–O(10) losses
/// used here a correct gradient shows errors of 1e-5 to 5e-4 (relative to max(1, |g|); the largest
/// seen across these tests is 4.7e-4). 3e-3 leaves a sixfold margin yet is tighter than the usual
/// 1e-2, because a subtly wrong backward deep inside a model can show up as an error of only 1e-2
/// (a softmax backward with its row-sum term scaled by 0.9 gave 1.3e-2 in the decoder check).
let gradientTolerance = 3e-3

/// Σ y ⊙ w for a fixed random w. A plain sum would hide mistakes that cancel across coordinates
/// (its gradient through a softmax or a normalisation is identically zero).
func probeLoss(_ y: Var, seed: UInt64 = 99) -> Var {
    var rng = RNG(seed: seed)
    return (y * y.tape.input(Tensor.normal(y.shape, rng: &rng))).sum()
}

/// A tensor of the given shape with entries of magnitude at least `gap`, so a step of size < gap
/// never crosses the kink of ReLU at zero.
func awayFromZero(_ shape: [Int], gap: Float = 0.1, rng: inout RNG) -> Tensor {
    Tensor.normal(shape, rng: &rng).map { $0 >= 0 ? $0 + gap : $0 - gap }
}

/// Redraws every parameter from N(0, std²). Model checks use it because the engine's small
/// initialisations (e.g. embeddings at 0.02) make gradients so small that the check's
/// max(1, |g|) denominator would turn it into a weak absolute test.
func randomize(_ store: ParameterStore, std: Float = 0.5, seed: UInt64) {
    var rng = RNG(seed: seed)
    store.values = Tensor.normal(store.values.shape, std: std, rng: &rng)
}

/// Asserts the finite-difference check passed and that the gradients it compared were not all
/// negligible (a check of near-zero gradients against max(1, |g|) could not fail).
func assertGradientsMatch(_ result: GradientCheck.Result, store: ParameterStore? = nil, tolerance: Double = gradientTolerance,
                          file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertLessThan(result.maxError, tolerance, result.description, file: file, line: line)
    if let store {
        let largest = store.grads.scalars.map(abs).max() ?? 0
        XCTAssertGreaterThan(largest, 0.05, "parameter gradients are all tiny; the check would not bite", file: file, line: line)
    }
}

/// Elementwise |a − b| ≤ tolerance · max(1, |b|).
func assertClose(_ a: Tensor, _ b: [Float], tolerance: Float = 1e-4, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "sizes differ", file: file, line: line)
    for (i, (x, y)) in zip(a.scalars, b).enumerated() where abs(x - y) > tolerance * max(1, abs(y)) {
        XCTFail("element \(i): \(x) vs expected \(y)", file: file, line: line)
        return
    }
}
