/// A distribution of i.i.d. zero-median, symmetric noise added to stochastic gradients.
///
/// `tailIndex` is the α of the tail P(|ξ| > x) ~ c·x^{−α}: moments of order below α are finite,
/// those of order α and above are not (∞ for light tails). The papers' assumption "bounded
/// κ-th / α-th moment, κ ∈ (1, 2]" holds for every κ < tailIndex.
public protocol NoiseModel: Sendable {
    var name: String { get }
    var tailIndex: Double { get }
    func sample(_ rng: inout RNG) -> Double
}

extension NoiseModel {
    public func fill(_ buffer: UnsafeMutableBufferPointer<Float>, rng: inout RNG) {
        for i in 0..<buffer.count { buffer[i] = Float(sample(&rng)) }
    }

    /// g_i += ξ_i: turns an exact gradient into a noisy oracle ∇f(x) + ξ.
    public func add(to gradient: UnsafeMutableBufferPointer<Float>, rng: inout RNG) {
        for i in 0..<gradient.count { gradient[i] += Float(sample(&rng)) }
    }
}
