import Engine
import Foundation
import Suite

/// The paper's findings as predicates over the runs; each reports the numbers it compared.
enum SignClaims {
    static let all: [Claim] = [
        Claim(id: "signsgd-bounded-tails", source: "§3 (high-probability bound of SignSGD); §6",
              statement: "under every heavy-tailed noise, q0.99 of SignSGD's final |grad f| is below SGD's") { results in
            try perHeavyNoise(results, SignSyntheticExperiment.id, metric: "grad_norm") { noise, value in
                let (sign, sgd) = (try value("SignSGD", 0.99), try value("SGD", 0.99))
                return (sign < sgd, String(format: "%@: %.3g vs %.3g", noise, sign, sgd))
            }
        },
        Claim(id: "majority-vote-helps", source: "§4 (SignSGD with majority voting, symmetric noise)",
              statement: "under every heavy-tailed noise, q0.95 of the final |grad f| with 11 voting workers is below that of one worker") { results in
            try perHeavyNoise(results, SignSyntheticExperiment.id, metric: "grad_norm") { noise, value in
                let (voted, single) = (try value("MV-SignSGD M=11", 0.95), try value("SignSGD", 0.95))
                return (voted < single, String(format: "%@: %.3g vs %.3g", noise, voted, single))
            }
        },
        Claim(id: "majority-vote-comparisons", source: "§5 (MajorityVote-CompsSGD)",
              statement: "under heavy-tailed function noise, at equal comparisons, q0.95 of the final gap of MajorityVote-CompsSGD (M=5) is below CompsSGD's") { results in
            try perHeavyNoise(results, ComparisonExperiment.id, metric: "gap") { noise, value in
                let (voted, single) = (try value("MV-CompsSGD M=5", 0.95), try value("CompsSGD", 0.95))
                return (voted < single, String(format: "%@: %.3g vs %.3g", noise, voted, single))
            }
        },
        Claim(id: "sign-lm-matches-adamw", source: "§6 (LLaMA pre-training on C4)",
              statement: "on the language model, majority-vote M-SignSGD (4 workers, 1 bit per parameter) ends within 5% of AdamW's median validation loss") { results in
            func median(_ method: String) throws -> Double {
                Quantiles.of(try results.finalValues(LanguageModelExperiment.id, group: LanguageModelExperiment.group(method: method), metric: "val_loss"), 0.5)
            }
            let (voted, adamw) = (try median("MV-M-SignSGD M=4"), try median("AdamW"))
            return .init(passed: voted <= 1.05 * adamw, measured: String(format: "median %.4f vs %.4f (ratio %.3f)", voted, adamw, voted / adamw))
        },
    ]

    /// Evaluates `check` under every noise whose name is not "gaussian…", with `value(method, p)`
    /// the p-quantile of the final `metric` of that method.
    static func perHeavyNoise(_ results: ResultSet, _ experiment: String, metric: String,
                              _ check: (String, (String, Double) throws -> Double) throws -> (Bool, String)) throws -> Claim.Outcome {
        let heavy = try results.groups(experiment, outer: "noise", inner: "method").filter { !$0.outer.hasPrefix("gaussian") }
        guard !heavy.isEmpty else { return .init(passed: false, measured: "no heavy-tailed noise in the \(experiment) sweep") }
        var passed = true, parts: [String] = []
        for (noise, groups) in heavy {
            let (holds, text) = try check(noise) { method, p in
                guard let group = groups.first(where: { $0.inner == method })?.group else {
                    throw SuiteError("the \(experiment) sweep has no method named '\(method)' (has: \(groups.map(\.inner).joined(separator: ", ")))")
                }
                return Quantiles.of(try results.finalValues(experiment, group: group, metric: metric), p)
            }
            passed = passed && holds
            parts.append(text + (holds ? "" : " (fails)"))
        }
        return .init(passed: passed, measured: parts.joined(separator: "; "))
    }
}
