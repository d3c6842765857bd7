import Engine
import Foundation
import Suite

/// §4's findings on a real model, checked on the character-level decoder: clipping does not hurt
/// Adam's typical run and helps its worst ones; and the gradient noise has a heavy tail. The last
/// two do not reproduce, at either scale; the README gives the numbers at both.
enum CharLMClaims {
    static let all: [Claim] = [
        Claim(id: "clip-adam-real-median", source: "§4, fine-tuning results (ALBERT on CoLA/RTE)",
              statement: "on the real model, Clip-Adam's mean final validation loss is at most 1% above Adam's", experiments: [CharLMExperiment.id]) { results in
            .init(.meanRatio("mean final validation loss ratio Clip-Adam / Adam",
                             try finalValidation(results, "Clip-Adam"), try finalValidation(results, "Adam"), .atMost, 1.01))
        },
        Claim(id: "clip-adam-real-worst", source: "§4, fine-tuning results (ALBERT on CoLA/RTE)",
              statement: "on the real model, Clip-Adam's worst-seed final validation loss is at most Adam's (the bootstrap of a maximum is optimistic: its interval is narrower than the truth)", experiments: [CharLMExperiment.id],
              knownDeviation: "Adam's seeds on this small model end close together, so there is no bad tail for clipping to remove (also at full scale)") { results in
            .init(.quantileRatio("worst-seed final validation loss ratio Clip-Adam / Adam", 1,
                                 try finalValidation(results, "Clip-Adam"), try finalValidation(results, "Adam"), .atMost, 1))
        },
        Claim(id: "gradient-noise-heavy-tailed", source: "§4, gradient-noise histograms of the fine-tuned models",
              statement: "the Hill estimate of the tail index of the minibatch noise |g_b - g| is below 2 at some checkpoint", experiments: [GradientNoiseExperiment.id],
              knownDeviation: "the small decoder's minibatch noise is light-tailed (Hill estimates far above 2)") { results in
            let checkpoints = try CharLMFigures.checkpoints(results)
            guard !checkpoints.isEmpty else { throw SuiteError("the gradient-noise sweep has no checkpoint") }
            return .init(try checkpoints.map { checkpoint, group in
                let norms = try CharLMFigures.noiseNorms(results, group)
                return Comparison("step \(checkpoint): Hill tail index", HillEstimator.tailIndexEstimate(norms), .below, 2,
                                  runs: [try results.runs(GradientNoiseExperiment.id, group: group).count])
            }, combination: .any)
        },
    ]

    static func finalValidation(_ results: ResultSet, _ method: String) throws -> RunValues {
        guard let group = try CharLMFigures.methods(results).first(where: { $0.method == method })?.group else {
            throw SuiteError("the char-lm sweep has no method named '\(method)'")
        }
        return try results.runValues(CharLMExperiment.id, group: group, metric: "val_loss")
    }
}
