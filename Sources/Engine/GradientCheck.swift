/// Finite-difference check of tape gradients.
///
/// Central differences (f(x+h) − f(x−h))/2h evaluated in float32 carry an error of order
/// ε_mach·|f|/h + h²·|f'''|; with h ≈ 1e-2 to 1e-3 and smooth ops that is around 1e-3 relative,
/// so checks compare with a tolerance of that order, relative to the larger of the two gradients.
public struct GradientCheck {
    public struct Result: CustomStringConvertible {
        /// Worst |analytic − numeric| / max(1, |analytic|, |numeric|) over the checked coordinates.
        public let maxError: Double
        public let worst: String
        public var description: String { "max error \(maxError) at \(worst)" }
    }

    public var step: Float
    /// Coordinates probed per tensor; all of them when a tensor is at most this large.
    public var maxCoordinates: Int

    public init(step: Float = 1e-2, maxCoordinates: Int = 64) {
        self.step = step
        self.maxCoordinates = maxCoordinates
    }

    /// Checks d loss / d inputs (and d loss / d parameters when `parameters` is given).
    /// `loss` builds a scalar from the input variables on the given tape.
    public func check(
        inputs: [Tensor], parameters: ParameterStore? = nil, rng: RNG = RNG(seed: 0),
        _ loss: (Tape, [Var]) -> Var
    ) -> Result {
        let tape = Tape(parameters: parameters)
        parameters?.zeroGrads()
        let vars = inputs.map { tape.input($0, requiresGrad: true) }
        tape.backward(loss(tape, vars))
        let analytic = vars.map { $0.grad ?? Tensor(zeros: $0.shape) }
        let paramGrads = parameters?.grads

        func evaluate(_ xs: [Tensor]) -> Double {
            let t = Tape(parameters: parameters, recording: false)
            return Double(loss(t, xs.map { t.input($0) }).value.item)
        }

        var worst = (0.0, "nothing")
        var pick = rng.stream("gradient-check")
        func probe(count: Int) -> [Int] {
            count <= maxCoordinates ? Array(0..<count) : (0..<maxCoordinates).map { _ in pick.int(below: count) }
        }
        func compare(_ a: Float, _ plus: Double, _ minus: Double, _ label: @autoclosure () -> String) {
            let numeric = (plus - minus) / (2 * Double(step))
            let err = abs(Double(a) - numeric) / max(1, abs(Double(a)), abs(numeric))
            if err > worst.0 { worst = (err, "\(label()): analytic \(a), numeric \(numeric)") }
        }

        for (k, x) in inputs.enumerated() {
            for i in probe(count: x.count) {
                var xs = inputs
                let x0 = x[flat: i]
                xs[k][flat: i] = x0 + step; let fp = evaluate(xs)
                xs[k][flat: i] = x0 - step; let fm = evaluate(xs)
                compare(analytic[k][flat: i], fp, fm, "input \(k)[\(i)]")
            }
        }
        if let store = parameters, let grads = paramGrads {
            for i in probe(count: store.count) {
                let x0 = store.values[flat: i]
                store.values[flat: i] = x0 + step; let fp = evaluate(inputs)
                store.values[flat: i] = x0 - step; let fm = evaluate(inputs)
                store.values[flat: i] = x0
                compare(grads[flat: i], fp, fm, "parameter \(store.views.first { $0.range.contains(i) }!.name)[\(i)]")
            }
        }
        return Result(maxError: worst.0, worst: worst.1)
    }
}
