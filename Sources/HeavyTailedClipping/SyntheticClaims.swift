import Engine
import Foundation
import Suite

/// The paper's findings on the quadratic problems as predicates over the runs. Factors are stated
/// in the claim, and each claim reports the numbers it compared, whether it holds or not.
enum SyntheticClaims {
    static let all: [Claim] = [
        paperClaim,
        tailClaim(id: "clip-radagradd-tails", clipped: "Clip-RAdaGradD", plain: "AdaGradD", factor: 2, source: "§2 failure of AdaGradD; §3 bounds; §4"),
        tailClaim(id: "clip-adagrad-tails", clipped: "Clip-AdaGrad", plain: "AdaGrad", factor: 2, source: "§2 failure of AdaGrad; §4"),
        tailClaim(id: "clip-adam-tails", clipped: "Clip-Adam", plain: "Adam", factor: 1, source: "§2 failure of Adam; §4"),
        Claim(id: "gaussian-close", source: "§4 (light-tailed control)",
              statement: "with Gaussian noise, median final gaps of Clip-RAdaGradD and AdaGradD are within a factor 3") { results in
            let groups = try SyntheticFigures.byNoise(results, SyntheticExperiment.id).filter { $0.noise.hasPrefix("gaussian") }
            guard let gaussian = groups.first else { return .init(passed: false, measured: "no Gaussian noise in the sweep") }
            let clipped = try quantile(results, SyntheticExperiment.id, gaussian.groups, "Clip-RAdaGradD", 0.5)
            let plain = try quantile(results, SyntheticExperiment.id, gaussian.groups, "AdaGradD", 0.5)
            let ratio = clipped / plain
            return .init(passed: ratio > 1.0 / 3 && ratio < 3, measured: String(format: "median %.3g vs %.3g (ratio %.2f)", clipped, plain, ratio))
        },
    ]

    /// The paper's quadratic (official code: f = x²/2, Pareto-tailed noise with α = 1.5): each of
    /// AdaGrad, AdaGradD and their reweighted versions against the same method with clipping, at
    /// the upper percentile the paper's figure draws (q0.9) of the final gap.
    static let paperClaim = Claim(
        id: "paper-clipping-upper-quantile", source: "§4, Fig. 1 (quadratic; official code's setting)",
        statement: "on the paper's 1-d quadratic, q0.9 of the final gap is lower with clipping for AdaGrad, AdaGradD, RAdaGrad and RAdaGradD"
    ) { results in
        guard let (noise, groups) = try SyntheticFigures.byNoise(results, SyntheticExperiment.paperID).first else {
            return .init(passed: false, measured: "the paper-quadratic experiment has no runs")
        }
        var passed = true, parts: [String] = []
        for plain in ["AdaGrad", "AdaGradD", "RAdaGrad", "RAdaGradD"] {
            let c = try quantile(results, SyntheticExperiment.paperID, groups, "Clip-" + plain, 0.9)
            let p = try quantile(results, SyntheticExperiment.paperID, groups, plain, 0.9)
            passed = passed && c < p
            parts.append(String(format: "%@ %.3g vs %.3g%@", plain, c, p, c < p ? "" : " (fails)"))
        }
        return .init(passed: passed, measured: "\(noise): clipped vs plain " + parts.joined(separator: "; "))
    }

    /// Under every heavy-tailed noise of the sweep: q_{0.95} of the final gap of `clipped` is below
    /// q_{0.95} of `plain` divided by `factor`.
    static func tailClaim(id: String, clipped: String, plain: String, factor: Double, source: String) -> Claim {
        let bound = factor == 1 ? "below" : "at least \(Int(factor))x below"
        return Claim(id: id, source: source,
                     statement: "under heavy-tailed noise, q0.95 of the final gap of \(clipped) is \(bound) that of \(plain)") { results in
            let heavy = try SyntheticFigures.byNoise(results, SyntheticExperiment.id).filter { !$0.noise.hasPrefix("gaussian") }
            guard !heavy.isEmpty else { return .init(passed: false, measured: "no heavy-tailed noise in the sweep") }
            var passed = true, parts: [String] = []
            for (noise, groups) in heavy {
                let c = try quantile(results, SyntheticExperiment.id, groups, clipped, 0.95)
                let p = try quantile(results, SyntheticExperiment.id, groups, plain, 0.95)
                let holds = c * factor < p
                passed = passed && holds
                parts.append(String(format: "%@: %.3g vs %.3g%@", noise, c, p, holds ? "" : " (fails)"))
            }
            return .init(passed: passed, measured: parts.joined(separator: "; "))
        }
    }

    static func values(_ results: ResultSet, _ experiment: String, _ groups: [(group: String, method: String)], _ method: String) throws -> [Double] {
        guard let g = groups.first(where: { $0.method == method }) else {
            throw SuiteError("the sweep has no method named '\(method)' (has: \(groups.map(\.method).joined(separator: ", ")))")
        }
        return try results.finalValues(experiment, group: g.group, metric: "gap")
    }

    static func quantile(_ results: ResultSet, _ experiment: String, _ groups: [(group: String, method: String)], _ method: String,
                         _ p: Double) throws -> Double {
        Quantiles.of(try values(results, experiment, groups, method), p)
    }
}
