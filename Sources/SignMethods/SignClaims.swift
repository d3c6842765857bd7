import Engine
import Foundation
import Suite

/// The paper's findings as comparisons over the runs. Quantiles of the final value are compared
/// as ratios with a bootstrap interval, paired by seed (the methods of one noise share its draws).
enum SignClaims {
    static let all: [Claim] = [
        Claim(id: "signsgd-bounded-tails", source: "§3 (high-probability bound of SignSGD); §6",
              statement: "under every heavy-tailed noise, q0.99 of SignSGD's final |grad f| is below SGD's", experiments: [SignSyntheticExperiment.id]) { results in
            try perHeavyNoise(results, SignSyntheticExperiment.id, metric: "grad_norm", noise: { try $0.typed(SignSyntheticExperiment.Run.self).noise }) {
                noise, values in
                .quantileRatio("\(noise): q0.99 ratio SignSGD / SGD", 0.99, try values("SignSGD"), try values("SGD"), .below, 1)
            }
        },
        Claim(id: "majority-vote-helps", source: "§4 (SignSGD with majority voting, symmetric noise)",
              statement: "under every heavy-tailed noise, q0.95 of the final |grad f| with 11 voting workers is below that of one worker", experiments: [SignSyntheticExperiment.id]) { results in
            try perHeavyNoise(results, SignSyntheticExperiment.id, metric: "grad_norm", noise: { try $0.typed(SignSyntheticExperiment.Run.self).noise }) {
                noise, values in
                .quantileRatio("\(noise): q0.95 ratio MV-SignSGD M=11 / SignSGD", 0.95, try values("MV-SignSGD M=11"), try values("SignSGD"), .below, 1)
            }
        },
        Claim(id: "majority-vote-comparisons", source: "§5 (MajorityVote-CompsSGD)",
              statement: "under heavy-tailed function noise, at equal comparisons, q0.95 of the final gap of MajorityVote-CompsSGD (M=5) is below CompsSGD's", experiments: [ComparisonExperiment.id]) { results in
            try perHeavyNoise(results, ComparisonExperiment.id, metric: "gap", noise: { try $0.typed(ComparisonExperiment.Run.self).noise }) {
                noise, values in
                .quantileRatio("\(noise): q0.95 ratio MV-CompsSGD M=5 / CompsSGD", 0.95, try values("MV-CompsSGD M=5"), try values("CompsSGD"), .below, 1)
            }
        },
        Claim(id: "sign-lm-matches-adamw", source: "§6 (LLaMA pre-training on C4)",
              statement: "on the language model, majority-vote M-SignSGD (4 workers, 1 bit per parameter) ends within 5% of AdamW's mean validation loss", experiments: [LanguageModelExperiment.id]) { results in
            func losses(_ method: String) throws -> RunValues {
                try results.runValues(LanguageModelExperiment.id, group: LanguageModelExperiment.group(method: method).name, metric: "val_loss")
            }
            return .init(.meanRatio("mean final validation loss ratio MV-M-SignSGD M=4 / AdamW", try losses("MV-M-SignSGD M=4"), try losses("AdamW"), .atMost, 1.05))
        },
    ]

    /// One comparison per noise that is not Gaussian (`noise` reads a run's), all of which the
    /// claim states; `values(method)` is the final `metric` of that method's runs under the noise.
    static func perHeavyNoise(_ results: ResultSet, _ experiment: String, metric: String, noise: (RunConfig) throws -> NoiseSpec,
                              _ compare: (String, (String) throws -> RunValues) throws -> Comparison) throws -> Claim.Outcome {
        let heavy = try results.groups(experiment, outer: "noise", inner: "method").filter { _, groups in
            try noise(results.runs(experiment, group: groups[0].group)[0]).kind != .gaussian
        }
        guard !heavy.isEmpty else { throw SuiteError("the \(experiment) sweep has no heavy-tailed noise") }
        return .init(try heavy.map { noise, groups in
            try compare(noise) { method in
                guard let group = groups.first(where: { $0.inner == method })?.group else {
                    throw SuiteError("the \(experiment) sweep has no method named '\(method)' (has: \(groups.map(\.inner).joined(separator: ", ")))")
                }
                return try results.runValues(experiment, group: group, metric: metric)
            }
        })
    }
}
