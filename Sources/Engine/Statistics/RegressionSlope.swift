import Foundation

/// The least-squares slope of y on x with its t interval (ν = n − 2): exact when y scatters
/// normally around a line. Used for growth exponents, the slope of log cost against log length.
public enum RegressionSlope {
    public static func estimate(x: [Double], y: [Double]) -> Estimate {
        precondition(x.count == y.count && x.count >= 2, "a slope needs at least two (x, y) points")
        let n = Double(x.count)
        let (mx, my) = (x.reduce(0, +) / n, y.reduce(0, +) / n)
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let slope = sxy / sxx
        guard x.count > 2 else { return .unbounded(slope, "no interval: two points fit any line") }
        let residuals = zip(x, y).reduce(0) { $0 + pow($1.1 - my - slope * ($1.0 - mx), 2) }
        let se = (residuals / (n - 2) / sxx).squareRoot()
        let half = Estimate.tQuantile(n - 2) * se
        return Estimate(value: slope, lower: slope - half, upper: slope + half, method: "least-squares slope, t with ν = \(x.count - 2)")
    }
}
