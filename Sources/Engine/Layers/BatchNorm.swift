/// The running mean and variance of one batch-normalisation layer.
///
/// They are state, not parameters: they live outside the `ParameterStore`, so no optimizer,
/// compressor or gradient norm ever sees them. A reference type because a layer updates them in
/// the forward pass while the model (a value type of `ParamRef`s) stays immutable; a caller saves
/// and restores them by copying `mean` and `variance` (tensors are values).
public final class BatchNormStatistics {
    /// The layer's parameter name prefix, to tell the statistics of a model's layers apart.
    public let name: String
    /// Weight of the newest batch in the exponential moving average.
    public let momentum: Float
    /// Running mean per channel, initially 0.
    public var mean: Tensor
    /// Running unbiased variance per channel, initially 1.
    public var variance: Tensor

    public init(_ name: String, channels: Int, momentum: Float = 0.1) {
        precondition(momentum > 0 && momentum <= 1, "BatchNormStatistics \(name): momentum \(momentum) must lie in (0, 1]")
        self.name = name
        self.momentum = momentum
        mean = Tensor(zeros: [channels])
        variance = Tensor(shape: [channels], repeating: 1)
    }

    /// PyTorch's update: r ← (1 − m)·r + m·b, with the batch variance made unbiased first
    /// (× M/(M − 1) for M values per channel) although the batch was normalised with the biased one.
    public func update(batchMean: Tensor, batchVariance: Tensor, valuesPerChannel m: Int) {
        precondition(batchMean.shape == mean.shape && batchVariance.shape == variance.shape,
                     "BatchNormStatistics \(name): batch statistics \(batchMean.shape), \(batchVariance.shape) for \(mean.shape)")
        precondition(m > 1, "BatchNormStatistics \(name): an unbiased variance needs more than one value per channel")
        let (keep, take) = (1 - momentum, momentum)
        let correction = Float(m) / Float(m - 1)
        mean.withUnsafeMutableBufferPointer { rm in variance.withUnsafeMutableBufferPointer { rv in
            batchMean.withUnsafeBufferPointer { bm in batchVariance.withUnsafeBufferPointer { bv in
                for c in 0..<rm.count {
                    rm[c] = keep * rm[c] + take * bm[c]
                    rv[c] = keep * rv[c] + take * bv[c] * correction
                }
            }}
        }}
    }
}

/// Batch normalisation over the channels of `[N, C, H, W]` (or `[N, C]`), as `torch.nn.BatchNorm2d`:
/// learned gain (init 1) and bias (init 0), ε = 1e-5, running statistics with momentum 0.1.
/// Training normalises with the batch's statistics and folds them into the running ones;
/// evaluation normalises with the running ones and changes nothing.
public struct BatchNorm2d {
    public let gain: ParamRef, bias: ParamRef
    public let statistics: BatchNormStatistics
    public let eps: Float

    public init(_ name: String, _ channels: Int, eps: Float = 1e-5, momentum: Float = 0.1, builder: inout ParameterBuilder) {
        gain = builder.add("\(name).gain", shape: [channels], .ones)
        bias = builder.add("\(name).bias", shape: [channels], .zeros)
        statistics = BatchNormStatistics(name, channels: channels, momentum: momentum)
        self.eps = eps
    }

    /// Normalises x, adds `residual` when given, then applies ReLU when `relu` (in training, inside
    /// the batch-norm op's sweeps).
    public func callAsFunction(_ x: Var, mode: ForwardMode, adding residual: Var? = nil, relu: Bool = false) -> Var {
        let (gainVar, biasVar) = (x.tape.param(gain), x.tape.param(bias))
        guard mode.isTraining else {
            let y = batchNorm(x, gain: gainVar, bias: biasVar, mean: statistics.mean, variance: statistics.variance, eps: eps)
            return y.adding(residual, relu: relu)
        }
        let (y, mean, variance) = batchNorm(x, gain: gainVar, bias: biasVar, eps: eps, adding: residual, relu: relu)
        statistics.update(batchMean: mean, batchVariance: variance, valuesPerChannel: x.value.count / x.shape[1])
        return y
    }
}

extension Var {
    /// self + residual (when given), then ReLU when `relu`, as separate ops: the end of a residual
    /// block where batch norm cannot take the residual into its own sweeps (evaluation mode, or
    /// after a convolution that applied batch norm as it wrote its output).
    func adding(_ residual: Var?, relu: Bool) -> Var {
        let sum = residual.map { self + $0 } ?? self
        return relu ? sum.relu() : sum
    }
}
