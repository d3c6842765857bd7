import Foundation

/// Intervals for the difference and the ratio of two groups' means, from Student's t: exact for
/// normally distributed runs, and the usual choice for the few seeds a trained model affords.
///
/// `paired`: the two groups are the same seeds in the same order, so the comparison is made seed by
/// seed (x_i − y_i, or x_i − ρ·y_i), which removes what a seed does to both sides alike (the same
/// initialization, data order or noise draws). Otherwise Welch's unequal-variance form.
public enum MeanInterval {
    /// mean(x) with its t interval over the runs (a table's "mean [95 % interval]" of one group).
    public static func mean(of x: [Double]) -> Estimate {
        precondition(!x.isEmpty, "a mean needs at least one run")
        let value = mean(x)
        if !x.allSatisfy(\.isFinite) { return Estimate(value: value, lower: .nan, upper: .nan, method: "no interval: a run diverged") }
        if x.count < 2 { return .unbounded(value, "no interval: one run") }
        let se = (variance(x) / Double(x.count)).squareRoot()
        if se == 0 { return .exact(value, "no spread between runs") }
        let half = Estimate.tQuantile(Double(x.count - 1)) * se
        return Estimate(value: value, lower: value - half, upper: value + half, method: "t, ν = \(x.count - 1)")
    }

    /// mean(x) − mean(y).
    public static func difference(_ x: [Double], _ y: [Double], paired: Bool) -> Estimate {
        let value = mean(x) - mean(y)
        if let undefined = undefined(x, y, value) { return undefined }
        if paired {
            precondition(x.count == y.count, "a paired comparison needs as many runs on both sides")
            let d = zip(x, y).map { $0 - $1 }
            let n = Double(d.count)
            let se = (variance(d) / n).squareRoot()
            if se == 0 { return .exact(value, "no spread between the seeds' differences") }
            let half = Estimate.tQuantile(n - 1) * se
            return Estimate(value: value, lower: value - half, upper: value + half, method: "paired t, ν = \(d.count - 1)")
        }
        let (vx, vy) = (variance(x) / Double(x.count), variance(y) / Double(y.count))
        let se = (vx + vy).squareRoot()
        if se == 0 { return .exact(value, "no spread between runs") }
        let nu = welchDegrees(vx, x.count, vy, y.count)
        let half = Estimate.tQuantile(nu) * se
        return Estimate(value: value, lower: value - half, upper: value + half, method: String(format: "Welch t, ν = %.1f", nu))
    }

    /// mean(x) / mean(y), by Fieller's theorem: the ratios ρ for which the t interval of
    /// mean(x) − ρ·mean(y) contains 0. It is what the t test of "x ≥ c·y" decides, and it is
    /// unbounded when mean(y) is not clearly away from 0.
    public static func ratio(_ x: [Double], _ y: [Double], paired: Bool) -> Estimate {
        let (mx, my) = (mean(x), mean(y))
        let value = mx / my
        if let undefined = undefined(x, y, value) { return undefined }
        // Var(mean(x) − ρ·mean(y)) = vx − 2ρ·cxy + ρ²·vy.
        let vx = variance(x) / Double(x.count), vy = variance(y) / Double(y.count)
        var cxy = 0.0, nu: Double, method: String
        if paired {
            precondition(x.count == y.count, "a paired comparison needs as many runs on both sides")
            cxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / Double(x.count - 1) / Double(x.count)
            nu = Double(x.count - 1)
            method = "Fieller, paired t, ν = \(x.count - 1)"
        } else {
            nu = welchDegrees(vx, x.count, value * value * vy, y.count)
            method = String(format: "Fieller, Welch t, ν = %.1f", nu)
        }
        if vx == 0 && vy == 0 { return .exact(value, "no spread between runs") }
        let t2 = pow(Estimate.tQuantile(nu), 2)
        // (mx − ρ·my)² ≤ t²·(vx − 2ρ·cxy + ρ²·vy)  ⇔  a·ρ² − 2b·ρ + c ≤ 0.
        let a = my * my - t2 * vy, b = mx * my - t2 * cxy, c = mx * mx - t2 * vx
        let discriminant = b * b - a * c
        guard a > 0, discriminant >= 0 else { return .unbounded(value, method + "; unbounded, the denominator's mean is not clearly away from 0") }
        let root = discriminant.squareRoot()
        return Estimate(value: value, lower: (b - root) / a, upper: (b + root) / a, method: method)
    }

    /// Welch–Satterthwaite degrees of freedom of a sum of two variances of means.
    static func welchDegrees(_ vx: Double, _ nx: Int, _ vy: Double, _ ny: Int) -> Double {
        let numerator = (vx + vy) * (vx + vy)
        let denominator = vx * vx / Double(nx - 1) + vy * vy / Double(ny - 1)
        return numerator / denominator
    }

    /// The estimate when no interval can be had: a side with a single run, or a non-finite value.
    static func undefined(_ x: [Double], _ y: [Double], _ value: Double) -> Estimate? {
        precondition(!x.isEmpty && !y.isEmpty, "a comparison of means needs runs on both sides")
        if x.count < 2 || y.count < 2 { return .unbounded(value, "no interval: one run on a side") }
        if !(x + y).allSatisfy(\.isFinite) {
            return Estimate(value: value, lower: .nan, upper: .nan, method: "no interval: a run diverged or is undefined")
        }
        return nil
    }

    static func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

    static func variance(_ v: [Double]) -> Double {
        let m = mean(v)
        return v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)
    }
}
