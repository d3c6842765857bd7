import Foundation

/// The Mamba mixer (Gu & Dao 2023, §3.4 and Fig. 3), following the reference `Mamba` module:
///
///   x, z = split(in_proj(u))                      width E = expand·d each
///   x = SiLU(causal depthwise conv1d(x))          kernel d_conv
///   Δ̃, B, C = split(x_proj(x))                    widths R (dt_rank), N, N
///   Δ = softplus(dt_proj(Δ̃))                      R → E, bias sets the initial step size
///   y = S6(x, Δ, A = −exp(A_log), B, C, D)         `selectiveScan`
///   out = out_proj(y ⊙ SiLU(z))
public struct MambaBlock {
    public struct Config: Sendable {
        public var width: Int
        public var stateSize: Int
        public var convWidth: Int
        public var expand: Int
        public var dtRank: Int
        public var dtMin: Float
        public var dtMax: Float
        public var dtFloor: Float

        /// Defaults are the reference's: N = 16, d_conv = 4, expand 2, dt_rank = ⌈d/16⌉,
        /// Δ at initialisation log-uniform in [1e-3, 1e-1], floored at 1e-4.
        public init(width: Int, stateSize: Int = 16, convWidth: Int = 4, expand: Int = 2, dtRank: Int? = nil,
                    dtMin: Float = 1e-3, dtMax: Float = 1e-1, dtFloor: Float = 1e-4) {
            self.width = width
            self.stateSize = stateSize
            self.convWidth = convWidth
            self.expand = expand
            self.dtRank = dtRank ?? (width + 15) / 16
            self.dtMin = dtMin
            self.dtMax = dtMax
            self.dtFloor = dtFloor
        }

        public var inner: Int { expand * width }
    }

    public let config: Config
    public let inProj: Linear, xProj: Linear, dtProj: Linear, outProj: Linear
    public let convWeight: ParamRef, convBias: ParamRef
    public let aLog: ParamRef, skip: ParamRef

    /// `linearInit`, when given, replaces the initialisation of every projection's weight and sets
    /// the Δ bias to 0, as a model that re-initialises all its `nn.Linear` layers after building
    /// them does (Mamba4Rec's `_init_weights`: N(0, 0.02) weights, zero biases, Δ = softplus(0) at
    /// the start); the convolution, A and D keep the reference's initialisation.
    public init(_ name: String, _ config: Config, linearInit: Initializer? = nil, builder: inout ParameterBuilder) {
        self.config = config
        let (e, n, r, k) = (config.inner, config.stateSize, config.dtRank, config.convWidth)
        inProj = Linear("\(name).in_proj", config.width, 2 * e, bias: false, weightInit: linearInit, builder: &builder)
        // Depthwise: each channel's fan-in is its K taps (PyTorch's default init for groups = channels).
        convWeight = builder.add("\(name).conv.weight", shape: [e, k], .fanInUniform(fanIn: k))
        convBias = builder.add("\(name).conv.bias", shape: [e], .fanInUniform(fanIn: k))
        xProj = Linear("\(name).x_proj", e, r + 2 * n, bias: false, weightInit: linearInit, builder: &builder)
        let dtStd = 1 / Float(r).squareRoot()
        // Δ = softplus(bias) at init: draw Δ log-uniformly in [dtMin, dtMax], floor it, and store its
        // inverse softplus Δ + log(1 − e^{−Δ}).
        let (lo, hi, floor) = (Foundation.log(Double(config.dtMin)), Foundation.log(Double(config.dtMax)), Double(config.dtFloor))
        dtProj = Linear("\(name).dt_proj", r, e,
                        weightInit: linearInit ?? .uniform(low: -dtStd, high: dtStd),
                        biasInit: linearInit != nil ? .zeros : .elementwise { _, rng in
                            let dt = max(Foundation.exp(rng.uniform(lo, hi)), floor)
                            return Float(dt + Foundation.log(-Foundation.expm1(-dt)))
                        },
                        builder: &builder)
        // A = −exp(A_log) with A_log[d, n] = log(n + 1): the S4D-Real initialisation, same for every channel.
        aLog = builder.add("\(name).A_log", shape: [e, n], .elementwise { i, _ in Float(Foundation.log(Double(i % n + 1))) })
        skip = builder.add("\(name).D", shape: [e], .ones)
        outProj = Linear("\(name).out_proj", e, config.width, bias: false, weightInit: linearInit, builder: &builder)
    }

    /// `u` is `[B, T, d]`; the output is `[B, T, d]`, or `[B, d]` with `positions`: row b's output
    /// at step `positions[b]` only. The state still runs through every step up to it, but the gate z,
    /// y and out_proj are formed only there (the scan skips the steps after it).
    public func callAsFunction(_ u: Var, at positions: [Int]? = nil) -> Var {
        let tape = u.tape
        let (e, n, r) = (config.inner, config.stateSize, config.dtRank)
        let xz = inProj(u)
        let x = causalDepthwiseConv1d(xz.slice(lastAxis: 0..<e), weight: tape.param(convWeight),
                                      bias: tape.param(convBias)).silu()
        let projected = xProj(x)
        let delta = dtProj(projected.slice(lastAxis: 0..<r)).softplus()
        let A = tape.param(aLog).exp() * -1
        let y = selectiveScan(u: x, delta: delta, A: A,
                              B: projected.slice(lastAxis: r..<(r + n)), C: projected.slice(lastAxis: (r + n)..<(r + 2 * n)),
                              D: tape.param(skip), positions: positions)
        let z: Var
        if let positions {
            let (batch, length) = (u.shape[0], u.shape[1])
            z = gatherRows(xz.reshaped([batch * length, 2 * e]), ids: positions.enumerated().map { $0 * length + $1 }, shape: [batch])
                .slice(lastAxis: e..<(2 * e))
        } else {
            z = xz.slice(lastAxis: e..<(2 * e))
        }
        return outProj(y * z.silu())
    }
}
