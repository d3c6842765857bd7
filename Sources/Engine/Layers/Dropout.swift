/// Inverted dropout at one site of a model; identity in evaluation mode.
public struct Dropout {
    public let rate: Float
    /// Names the site's random stream within a forward pass (see `ForwardMode`).
    public let site: String

    public init(_ site: String, rate: Float) {
        precondition(rate >= 0 && rate < 1, "Dropout \(site): rate \(rate) must lie in [0, 1)")
        self.site = site
        self.rate = rate
    }

    public func callAsFunction(_ x: Var, mode: ForwardMode) -> Var {
        guard mode.isTraining && rate > 0 else { return x }
        var rng = mode.rng.stream(site)
        return dropout(x, rate: rate, rng: &rng)
    }
}
