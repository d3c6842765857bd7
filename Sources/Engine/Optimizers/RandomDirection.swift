/// Directions for zeroth-order methods (CompsSGD, TwoPointZeroOrder).
public enum RandomDirection {
    /// e uniform on the unit sphere of ℝᵈ: a standard normal vector divided by its norm.
    public static func onUnitSphere(_ d: Int, rng: inout RNG) -> Tensor {
        var e = Tensor(zeros: [d])
        e.withUnsafeMutableBufferPointer { e in
            rng.fillNormal(e)
            let norm = BLAS.norm2(d, e.baseAddress!)
            for i in 0..<d { e[i] /= norm }
        }
        return e
    }
}
