import Engine
import Foundation
import Suite

/// §4's findings on a real model, checked on the character-level decoder: clipping does not hurt
/// Adam's typical run and helps its worst ones; and the gradient noise has a heavy tail. The last
/// two do not reproduce, at either scale; the README gives the numbers at both.
enum CharLMClaims {
    static let all: [Claim] = [
        Claim(id: "clip-adam-real-median", source: "§4, fine-tuning results (ALBERT on CoLA/RTE)",
              statement: "on the real model, Clip-Adam's median final validation loss is at most 1% above Adam's") { results in
            let (clipped, plain) = (try finalValidation(results, "Clip-Adam"), try finalValidation(results, "Adam"))
            let (c, p) = (Quantiles.of(clipped, 0.5), Quantiles.of(plain, 0.5))
            return .init(passed: c <= 1.01 * p, measured: String(format: "median %.4f vs %.4f over %d seeds", c, p, clipped.count))
        },
        Claim(id: "clip-adam-real-worst", source: "§4, fine-tuning results (ALBERT on CoLA/RTE)",
              statement: "on the real model, Clip-Adam's worst-seed final validation loss is at most Adam's",
              knownDeviation: "Adam's seeds on this small model end close together, so there is no bad tail for clipping to remove (also at full scale)") { results in
            let (c, p) = (try finalValidation(results, "Clip-Adam").max()!, try finalValidation(results, "Adam").max()!)
            return .init(passed: c <= p, measured: String(format: "worst seed %.4f vs %.4f", c, p))
        },
        Claim(id: "gradient-noise-heavy-tailed", source: "§4, gradient-noise histograms of the fine-tuned models",
              statement: "the Hill estimate of the tail index of the minibatch noise |g_b - g| is below 2 at some checkpoint",
              knownDeviation: "the small decoder's minibatch noise is light-tailed (Hill estimates far above 2)") { results in
            var estimates: [String] = [], heavy = false
            for (checkpoint, group) in try CharLMFigures.checkpoints(results) {
                let alpha = try results.finalValues(GradientNoiseExperiment.id, group: group, metric: "hill_tail_index")
                heavy = heavy || alpha.contains { $0 < 2 }
                estimates.append("step \(checkpoint): " + alpha.map { String(format: "%.3g", $0) }.joined(separator: ", "))
            }
            return .init(passed: heavy, measured: "Hill tail index " + estimates.joined(separator: "; "))
        },
    ]

    static func finalValidation(_ results: ResultSet, _ method: String) throws -> [Double] {
        guard let group = try CharLMFigures.methods(results).first(where: { $0.method == method })?.group else {
            throw SuiteError("the char-lm sweep has no method named '\(method)'")
        }
        return try results.finalValues(CharLMExperiment.id, group: group, metric: "val_loss")
    }
}
