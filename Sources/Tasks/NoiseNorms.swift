import Engine
import Suite

/// The heavy-tailed paper's noise measurement (§4, the official code's `check_tails`): the norms
/// ‖g_b − g‖ of `samples` minibatch gradients against the reference gradient g. `draw` leaves one
/// minibatch gradient in `store.grads` (overwritten here with g_b − g); each norm is logged as
/// `noise_norm` at its sample's index.
public enum NoiseNorms {
    public static func measure(samples: Int, reference: [Float], store: ParameterStore, context: RunContext,
                               draw: () -> Void) throws -> [Double] {
        var norms: [Double] = []
        norms.reserveCapacity(samples)
        for sample in 0..<samples {
            draw()
            let distance = store.grads.withUnsafeMutableBufferPointer { g in
                reference.withUnsafeBufferPointer { BLAS.axpy(g.count, alpha: -1, x: $0.baseAddress!, y: g.baseAddress!) }
                return Double(BLAS.norm2(g.count, g.baseAddress!))
            }
            norms.append(distance)
            try context.log(step: sample, ["noise_norm": distance])
        }
        return norms
    }
}
