import Engine
import Foundation
import Suite

/// The paper's findings on the quadratic problems, each a ratio of quantiles of the final gap
/// (clipped over plain) with its bootstrap interval, paired by seed: every method of a noise sees
/// the same noise draws for a given seed.
enum SyntheticClaims {
    static let all: [Claim] = [
        paperClaim,
        tailClaim(id: "clip-radagradd-tails", clipped: "Clip-RAdaGradD", plain: "AdaGradD", factor: 2, source: "§2 failure of AdaGradD; §3 bounds; §4"),
        tailClaim(id: "clip-adagrad-tails", clipped: "Clip-AdaGrad", plain: "AdaGrad", factor: 2, source: "§2 failure of AdaGrad; §4"),
        tailClaim(id: "clip-adam-tails", clipped: "Clip-Adam", plain: "Adam", factor: 1, source: "§2 failure of Adam; §4"),
        Claim(id: "gaussian-close", source: "§4 (light-tailed control)",
              statement: "with Gaussian noise, median final gaps of Clip-RAdaGradD and AdaGradD are within a factor 3",
              experiments: [SyntheticExperiment.id]) { results in
            guard let gaussian = try SyntheticFigures.byNoise(results, SyntheticExperiment.id)
                .first(where: { try SyntheticFigures.isGaussian(results, SyntheticExperiment.id, $0.groups) }) else {
                throw SuiteError("the synthetic sweep has no Gaussian noise")
            }
            let clipped = try values(results, SyntheticExperiment.id, gaussian.groups, "Clip-RAdaGradD")
            let plain = try values(results, SyntheticExperiment.id, gaussian.groups, "AdaGradD")
            let quantity = "\(gaussian.noise): median ratio Clip-RAdaGradD / AdaGradD"
            return .init([.quantileRatio(quantity, 0.5, clipped, plain, .above, 1.0 / 3),
                          .quantileRatio(quantity, 0.5, clipped, plain, .below, 3)])
        },
    ]

    /// The paper's quadratic (official code: f = x²/2, Pareto-tailed noise with α = 1.5): each of
    /// AdaGrad, AdaGradD and their reweighted versions against the same method with clipping, at
    /// the upper percentile the paper's figure draws (q0.9) of the final gap.
    static let paperClaim = Claim(
        id: "paper-clipping-upper-quantile", source: "§4, Fig. 1 (quadratic; official code's setting)",
        statement: "on the paper's 1-d quadratic, q0.9 of the final gap is lower with clipping for AdaGrad, AdaGradD, RAdaGrad and RAdaGradD",
        experiments: [SyntheticExperiment.paperID]
    ) { results in
        guard let (noise, groups) = try SyntheticFigures.byNoise(results, SyntheticExperiment.paperID).first else {
            throw SuiteError("the paper-quadratic experiment has no runs")
        }
        return .init(try ["AdaGrad", "AdaGradD", "RAdaGrad", "RAdaGradD"].map { plain in
            .quantileRatio("\(noise): q0.9 ratio Clip-\(plain) / \(plain)", 0.9,
                           try values(results, SyntheticExperiment.paperID, groups, "Clip-" + plain),
                           try values(results, SyntheticExperiment.paperID, groups, plain), .below, 1)
        })
    }

    /// Under every heavy-tailed noise of the sweep: q_{0.95} of the final gap of `clipped` is below
    /// q_{0.95} of `plain` divided by `factor`.
    static func tailClaim(id: String, clipped: String, plain: String, factor: Double, source: String) -> Claim {
        let bound = factor == 1 ? "below" : "at least \(Int(factor))x below"
        return Claim(id: id, source: source,
                     statement: "under heavy-tailed noise, q0.95 of the final gap of \(clipped) is \(bound) that of \(plain)",
                     experiments: [SyntheticExperiment.id]) { results in
            let heavy = try SyntheticFigures.byNoise(results, SyntheticExperiment.id)
                .filter { try !SyntheticFigures.isGaussian(results, SyntheticExperiment.id, $0.groups) }
            guard !heavy.isEmpty else { throw SuiteError("the synthetic sweep has no heavy-tailed noise") }
            return .init(try heavy.map { noise, groups in
                .quantileRatio("\(noise): q0.95 ratio \(clipped) / \(plain)", 0.95,
                               try values(results, SyntheticExperiment.id, groups, clipped),
                               try values(results, SyntheticExperiment.id, groups, plain), .below, 1 / factor)
            })
        }
    }

    static func values(_ results: ResultSet, _ experiment: String, _ groups: [(group: String, method: String)], _ method: String) throws -> RunValues {
        guard let g = groups.first(where: { $0.method == method }) else {
            throw SuiteError("the sweep has no method named '\(method)' (has: \(groups.map(\.method).joined(separator: ", ")))")
        }
        return try results.runValues(experiment, group: g.group, metric: "gap")
    }
}
