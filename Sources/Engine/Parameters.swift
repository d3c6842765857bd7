/// A handle to one named tensor inside a `ParameterStore`.
public struct ParamRef: Hashable, Sendable {
    public let index: Int
}

/// How a parameter tensor starts out.
public enum Initializer: Sendable {
    case zeros
    case ones
    case constant(Float)
    case normal(std: Float)
    case uniform(low: Float, high: Float)
    /// U(-1/√fanIn, 1/√fanIn), PyTorch's default for Linear and Conv layers.
    case fanInUniform(fanIn: Int)
    /// Element i (row-major) given by a caller's rule, drawing from the parameter's own stream
    /// (e.g. Mamba's A_log = log(1…N) and its log-uniform Δ bias), so special initialisations stay
    /// deterministic without a new case here for each.
    case elementwise(@Sendable (_ index: Int, _ rng: inout RNG) -> Float)
}

/// All parameters of a model in one flat buffer, with named views (as llm.c does).
///
/// Optimizers and compressors see `values` and `grads` as flat vectors, so each of them is a single
/// loop; layer-wise algorithms use `views` to find per-tensor ranges. The store is a reference type
/// because it *is* the model's mutable state: layers hold `ParamRef`s into it, tapes read its values
/// and accumulate into its gradients.
public final class ParameterStore {
    public struct View: Sendable {
        public let name: String
        public let shape: [Int]
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
        public var range: Range<Int> { offset..<(offset + count) }
    }

    public let views: [View]
    /// Flat parameter vector x.
    public var values: Tensor
    /// Flat gradient vector ∇f(x), filled by `Tape.backward` and cleared by `zeroGrads()`.
    public var grads: Tensor

    public var count: Int { values.count }

    init(views: [View], values: Tensor) {
        self.views = views
        self.values = values
        grads = Tensor(zeros: values.shape)
    }

    /// A single-tensor store, for optimization problems posed directly on a vector x ∈ ℝᵈ.
    public convenience init(vector: Tensor, name: String = "x") {
        self.init(views: [View(name: name, shape: vector.shape, offset: 0)], values: vector.reshaped([vector.count]))
    }

    public func view(_ ref: ParamRef) -> View { views[ref.index] }

    /// The current value of one parameter tensor (shares storage with `values`; no copy).
    public func value(_ ref: ParamRef) -> Tensor {
        let v = views[ref.index]
        return values.reshaped([values.count]).window(offset: v.offset, shape: v.shape)
    }

    public func grad(_ ref: ParamRef) -> Tensor {
        let v = views[ref.index]
        return grads.window(offset: v.offset, shape: v.shape)
    }

    public func ref(named name: String) -> ParamRef? {
        views.firstIndex { $0.name == name }.map(ParamRef.init(index:))
    }

    public func zeroGrads() {
        grads.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Adds into the gradient range of one parameter; the tape's route for parameter leaves.
    func accumulateGrad(_ ref: ParamRef, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let v = views[ref.index]
        grads.withUnsafeMutableBufferPointer { g in
            body(UnsafeMutableBufferPointer(rebasing: g[v.range]))
        }
    }
}

extension Tensor {
    /// A window of this tensor's elements, sharing storage.
    func window(offset start: Int, shape: [Int]) -> Tensor {
        Tensor(storage: storage, offset: offset + start, shape: shape)
    }
}

/// Collects a model's parameters while its layers are constructed, then lays them out in one buffer.
public struct ParameterBuilder {
    private var views: [ParameterStore.View] = []
    private var data: [Float] = []
    private var rng: RNG

    public init(rng: RNG) { self.rng = rng.stream("parameter-init") }

    public mutating func add(_ name: String, shape: [Int], _ initializer: Initializer) -> ParamRef {
        precondition(!views.contains { $0.name == name }, "parameter name \(name) is used twice")
        let count = shape.reduce(1, *)
        views.append(.init(name: name, shape: shape, offset: data.count))
        var local = rng.stream(name)
        for index in 0..<count {
            switch initializer {
            case .zeros: data.append(0)
            case .ones: data.append(1)
            case .constant(let c): data.append(c)
            case .normal(let std): data.append(std * Float(local.normal()))
            case .uniform(let lo, let hi): data.append(Float(local.uniform(Double(lo), Double(hi))))
            case .fanInUniform(let fanIn):
                let bound = 1 / Double(fanIn).squareRoot()
                data.append(Float(local.uniform(-bound, bound)))
            case .elementwise(let rule): data.append(rule(index, &local))
            }
        }
        return ParamRef(index: views.count - 1)
    }

    public func build() -> ParameterStore {
        ParameterStore(views: views, values: Tensor(shape: [data.count], data))
    }
}
