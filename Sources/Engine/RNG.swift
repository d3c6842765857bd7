import Foundation

/// The engine's only source of randomness: xoshiro256** seeded through SplitMix64.
///
/// Streams are *derived*, not drawn: `rng.stream("noise", worker)` hashes the parent's key with the
/// labels, so a stream's numbers depend only on the seed and the path of labels, never on how many
/// numbers the parent has produced or on how many sibling streams exist. Adding a worker therefore
/// never changes another worker's samples. Label hashing is FNV-1a, stable across processes and
/// platforms (Swift's `Hasher` is randomly seeded per process and must not be used here).
public struct RNG: RandomNumberGenerator, Codable {
    /// Identifies the stream; children derive from it.
    public let key: UInt64
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        self.init(key: RNG.mix(seed ^ 0x5EED_5EED_5EED_5EED))
    }

    private init(key: UInt64) {
        self.key = key
        var sm = key
        s0 = RNG.splitMix(&sm); s1 = RNG.splitMix(&sm); s2 = RNG.splitMix(&sm); s3 = RNG.splitMix(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// An independent stream for a purpose (and optionally an index such as a worker or seed number).
    public func stream(_ purpose: String, _ index: Int = 0) -> RNG {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in purpose.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        h = (h ^ UInt64(bitPattern: Int64(index))) &* 0x0000_0100_0000_01B3
        return RNG(key: RNG.mix(key ^ RNG.mix(h)))
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in (0, 1): safe to take the logarithm of.
    public mutating func uniformOpen() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }

    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// Standard normal by the Box–Muller transform (one draw per call, so a stream's n-th normal
    /// does not depend on whether an odd number was taken before).
    public mutating func normal() -> Double {
        let u1 = uniformOpen(), u2 = uniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Uniform integer in 0..<n without modulo bias.
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0, "int(below:) needs n > 0")
        return Int(next(upperBound: UInt64(n)))
    }

    /// Fills `buffer` with N(mean, std²) draws.
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float = 0, std: Float = 1) {
        for i in buffer.indices { buffer[i] = mean + std * Float(normal()) }
    }

    public mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, _ low: Float, _ high: Float) {
        for i in buffer.indices { buffer[i] = low + (high - low) * Float(uniform()) }
    }

    /// A random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, int(below: i + 1)) }
        return p
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Tensor {
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, rng: inout RNG) -> Tensor {
        var t = Tensor(zeros: shape)
        t.withUnsafeMutableBufferPointer { rng.fillNormal($0, mean: mean, std: std) }
        return t
    }

    public static func uniform(_ shape: [Int], _ low: Float, _ high: Float, rng: inout RNG) -> Tensor {
        var t = Tensor(zeros: shape)
        t.withUnsafeMutableBufferPointer { rng.fillUniform($0, low, high) }
        return t
    }
}
