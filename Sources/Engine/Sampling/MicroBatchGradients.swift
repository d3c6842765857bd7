/// The gradients of one batch's micro-batches, kept apart so the batch's gradient noise can be
/// estimated without a pass per example (what the batch-size tests need).
///
/// A batch of N examples is split into K micro-batches of n_j examples (Σ n_j = N); each gets its
/// own forward and backward pass, and its mean gradient g_j is stored here. The batch gradient is
/// the weighted mean ḡ = Σ (n_j/N)·g_j — exactly the gradient of the batch's mean loss, so a run
/// with a fixed batch computes the same step as without the split. Since a micro-batch mean has
/// covariance Σ/n_j, n_j·‖g_j − ḡ‖² estimates tr Σ, the per-example variance, and
///
///     σ̂² = Σ_j n_j‖g_j − ḡ‖² / (K − 1)
///
/// is unbiased (E Σ_j n_j‖g_j − ḡ‖² = Σ_j n_j(tr Σ/n_j − tr Σ/N) = (K − 1)·tr Σ). The same weighting
/// gives the variances of the inner-product and orthogonality tests. Memory: K gradient vectors;
/// time: a few passes over them, against K forward/backward passes.
public struct MicroBatchGradients {
    public let capacity: Int
    public private(set) var count = 0
    private var vectors: Tensor
    private var examples: [Int] = []
    /// g_j − ḡ, one micro-batch at a time (kept between steps: a step must not allocate d floats).
    private var deviation: Tensor

    /// Room for `capacity` micro-batch gradients of `dimension` parameters.
    public init(capacity: Int, dimension: Int) {
        precondition(capacity >= 1 && dimension >= 1, "MicroBatchGradients: capacity and dimension must be ≥ 1")
        self.capacity = capacity
        vectors = Tensor(zeros: [capacity, dimension])
        deviation = Tensor(zeros: [dimension])
    }

    public var dimension: Int { vectors.shape[1] }

    public mutating func reset() {
        count = 0
        examples.removeAll(keepingCapacity: true)
    }

    /// Stores the gradient currently in `parameters.grads`: the mean over `examples` examples.
    public mutating func add(_ parameters: ParameterStore, examples n: Int) {
        precondition(count < capacity, "MicroBatchGradients: more than \(capacity) micro-batches")
        precondition(parameters.count == dimension && n >= 1, "MicroBatchGradients: \(parameters.count) parameters (expected \(dimension)), \(n) examples")
        let (j, d) = (count, dimension)
        parameters.grads.withUnsafeBufferPointer { g in
            vectors.withUnsafeMutableBufferPointer { v in (v.baseAddress! + j * d).update(from: g.baseAddress!, count: d) }
        }
        examples.append(n)
        count += 1
    }

    /// Writes ḡ into `parameters.grads` and returns the noise statistics of the batch.
    public mutating func combine(into parameters: ParameterStore) -> GradientStatistics {
        precondition(count >= 1 && parameters.count == dimension, "MicroBatchGradients: nothing to combine")
        let d = dimension
        let total = examples.reduce(0, +)
        var meanNormSquared = 0.0, deviations = 0.0, innerProducts = 0.0, orthogonal = 0.0
        parameters.grads.withUnsafeMutableBufferPointer { gp in
            vectors.withUnsafeBufferPointer { vp in deviation.withUnsafeMutableBufferPointer { sp in
                let (mean, v, s) = (gp.baseAddress!, vp.baseAddress!, sp.baseAddress!)
                mean.update(repeating: 0, count: d)
                for j in 0..<count { BLAS.axpy(d, alpha: Float(examples[j]) / Float(total), x: v + j * d, y: mean) }
                meanNormSquared = RowKernels.dot(mean, mean, d)
                for j in 0..<count {
                    // δ_j = g_j − ḡ;  g_j·ḡ − ‖ḡ‖² = δ_j·ḡ;  orthogonal part: ‖δ_j‖² − (δ_j·ḡ)²/‖ḡ‖².
                    for i in 0..<d { s[i] = v[j * d + i] - mean[i] }
                    let n = Double(examples[j])
                    let deviation = RowKernels.dot(s, s, d), along = RowKernels.dot(s, mean, d)
                    deviations += n * deviation
                    innerProducts += n * along * along
                    orthogonal += n * max(0, deviation - (meanNormSquared > 0 ? along * along / meanNormSquared : 0))
                }
            }}
        }
        let k = Double(max(count - 1, 1))
        return GradientStatistics(examples: total, microBatches: count, meanNormSquared: meanNormSquared,
                                  variance: count > 1 ? deviations / k : .nan,
                                  innerProductVariance: count > 1 ? innerProducts / k : .nan,
                                  orthogonalVariance: count > 1 ? orthogonal / k : .nan)
    }
}

/// What the batch-size tests read: the batch gradient's squared norm and per-example variances
/// estimated from the micro-batches (NaN with a single micro-batch).
public struct GradientStatistics: Sendable, Equatable {
    /// N, the examples of the batch, and K, its micro-batches.
    public var examples: Int
    public var microBatches: Int
    /// ‖ḡ‖².
    public var meanNormSquared: Double
    /// E‖∇ℓ_i − ∇F‖², the trace of the per-example covariance.
    public var variance: Double
    /// Var(∇ℓ_iᵀ∇F), the variance along the batch gradient (inner-product test).
    public var innerProductVariance: Double
    /// E‖∇ℓ_i − (∇ℓ_iᵀ∇F/‖∇F‖²)∇F‖², the part orthogonal to it (orthogonality test).
    public var orthogonalVariance: Double

    public init(examples: Int, microBatches: Int, meanNormSquared: Double, variance: Double,
                innerProductVariance: Double, orthogonalVariance: Double) {
        self.examples = examples
        self.microBatches = microBatches
        self.meanNormSquared = meanNormSquared
        self.variance = variance
        self.innerProductVariance = innerProductVariance
        self.orthogonalVariance = orthogonalVariance
    }
}
