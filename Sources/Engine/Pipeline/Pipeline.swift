/// A model split into sequential stages (model parallelism, emulated in one process): the S − 1
/// boundaries between them, each a `PipelineBoundary` with its own compression state.
public final class Pipeline {
    public let boundaries: [PipelineBoundary]

    /// `stages` S ≥ 1; every boundary follows `spec`.
    public init(stages: Int, spec: BoundarySpec) throws {
        guard stages >= 1 else { throw PipelineConfigError("a pipeline needs at least one stage, got \(stages)") }
        boundaries = try (0..<(stages - 1)).map { _ in try PipelineBoundary(spec) }
    }

    /// The function a model calls at its cuts: boundary i applied to the activation.
    public func cut(_ pass: BoundaryPass) -> (Int, Var) -> Var {
        { [boundaries] i, x in boundaries[i](x, pass) }
    }

    /// Every boundary's state between steps, by "b<i>.<name>" (`PipelineBoundary.saved`).
    public var saved: [String: [Float]] {
        var state: [String: [Float]] = [:]
        for (i, boundary) in boundaries.enumerated() { for (name, values) in boundary.saved { state["b\(i).\(name)"] = values } }
        return state
    }

    /// Continues every boundary from what `saved` returned.
    public func restore(_ state: [String: [Float]]) throws {
        for (i, boundary) in boundaries.enumerated() {
            let prefix = "b\(i)."
            try boundary.restore(Dictionary(uniqueKeysWithValues: state.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value) }))
        }
    }

    /// Bytes of state all boundaries keep between steps (`PipelineBoundary.stateBytes`), with
    /// `widths[i]` the floats per sample crossing boundary i.
    public func stateBytes(widths: [Int], batch: Int, samples: Int) -> Int {
        zip(boundaries, widths).reduce(0) { $0 + $1.0.stateBytes(width: $1.1, batch: batch, samples: samples) }
    }

    /// Bits all boundaries sent forward and backward since the last call.
    public func takeBits() -> (forward: Int, backward: Int) {
        boundaries.reduce((0, 0)) { total, b in
            let bits = b.takeBits()
            return (total.0 + bits.forward, total.1 + bits.backward)
        }
    }
}
