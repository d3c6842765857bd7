import Foundation
import Suite

/// The paper's findings (its abstract and §5) as predicates over the runs. Accuracy is the mean over
/// seeds of the final test accuracy; "compressed" and "uncompressed" name the inference mode. The
/// thresholds were fixed before the full-scale runs (README, "Claims").
enum MPClaims {
    static func accuracy(_ results: ResultSet, _ method: String, compressed: Bool = true) throws -> Double {
        100 * (try results.requiredMean(ImageExperiment.id, method, compressed ? "test_acc_compressed" : "test_acc_uncompressed"))
    }

    static func valLoss(_ results: ResultSet, _ method: String) throws -> Double {
        try results.requiredMean(LanguageModelExperiments.id, method, "val_loss_compressed")
    }

    static func points(_ v: Double) -> String { String(format: "%.2f", v) }

    static let all: [Claim] = [
        Claim(id: "gradients-need-milder-compression", source: "abstract; §5 (ResNet-18, one direction compressed)",
              statement: "compressing only the gradients costs more accuracy than compressing only the activations, for TopK 5% and for 2-bit quantization",
              knownDeviation: "holds for 2-bit quantization (gradients only 62.0 vs activations only 82.8 at full scale) but not for TopK 5%, where per-sample TopK of the gradients costs less than of the activations (84.7 vs 81.5)",
              evaluate: { r in
            let (fwTop, bwTop) = (try accuracy(r, "fw Top5%"), try accuracy(r, "bw Top5%"))
            let (fwQ, bwQ) = (try accuracy(r, "fw Q2"), try accuracy(r, "bw Q2"))
            return .init(passed: bwTop < fwTop && bwQ < fwQ,
                         measured: "Top5%: gradients only \(points(bwTop)) vs activations only \(points(fwTop)); Q2: \(points(bwQ)) vs \(points(fwQ))")
        }),
        Claim(id: "topk-10-lowest-safe-level", source: "abstract; §5 (ResNet-18, TopK both ways)",
              statement: "TopK 10% both ways ends within 2 points of no compression, TopK 5% more than 2 points below",
              knownDeviation: "after 4 epochs TopK 10% ends 3.3 points below no compression at full scale (83.4 vs 86.7, 3 seeds each); 30% is within 2 points and 20% 2.2 points below (one seed), so the lowest harmless level here is 30%",
              evaluate: { r in
            let (none, top10, top5) = (try accuracy(r, "none"), try accuracy(r, "Top10%"), try accuracy(r, "Top5%"))
            return .init(passed: top10 >= none - 2 && top5 < none - 2,
                         measured: "none \(points(none)), Top10% \(points(top10)), Top5% \(points(top5))")
        }),
        Claim(id: "topk-needs-compressed-inference", source: "abstract; §5 (inference with and without compression)",
              statement: "a model trained with TopK 10% both ways loses more than 5 points when its inference runs without compression") { r in
            let (c, u) = (try accuracy(r, "Top10%"), try accuracy(r, "Top10%", compressed: false))
            return .init(passed: u < c - 5, measured: "compressed \(points(c)), uncompressed \(points(u))")
        },
        Claim(id: "ef-does-not-improve-training", source: "abstract; §5 (error feedback)",
              statement: "with TopK 10%, EF ends at most 1 point above plain TopK (compressed inference)") { r in
            let (ef, plain) = (try accuracy(r, "EF Top10%"), try accuracy(r, "Top10%"))
            return .init(passed: ef <= plain + 1, measured: "EF \(points(ef)) vs TopK \(points(plain))")
        },
        Claim(id: "ef-allows-uncompressed-inference", source: "abstract (v2); §5 (error feedback)",
              statement: "a model trained with EF and TopK 10% loses at most 1 point when its inference runs without compression") { r in
            let (c, u) = (try accuracy(r, "EF Top10%"), try accuracy(r, "EF Top10%", compressed: false))
            return .init(passed: u >= c - 1, measured: "compressed \(points(c)), uncompressed \(points(u))")
        },
        Claim(id: "aqsgd-needs-k-30", source: "abstract; §5 (AQ-SGD with TopK)",
              statement: "AQ-SGD with TopK 30% ends within 2 points of no compression, with TopK 10% more than 2 points below") { r in
            let (none, k30, k10) = (try accuracy(r, "none"), try accuracy(r, "AQ-SGD Top30%"), try accuracy(r, "AQ-SGD Top10%"))
            return .init(passed: k30 >= none - 2 && k10 < none - 2,
                         measured: "none \(points(none)), AQ-SGD Top30% \(points(k30)), Top10% \(points(k10))")
        },
        Claim(id: "lm-loss-rises-from-top20", source: "§5 (GPT-2 fine-tuning on WikiText-2, shared TopK mask)",
              statement: "fine-tuning the language model with TopK 30% (shared mask) ends within 2% of uncompressed validation loss, with TopK 20% more than 2% above",
              knownDeviation: "on the small character decoder the loss rises already at TopK 30% (×1.13 of uncompressed at full scale, ×1.23 at 20%); in the quick fine-tuning (128 windows, 2 epochs) neither level is 2% above",
              evaluate: { r in
            let (none, k30, k20) = (try valLoss(r, "none"), try valLoss(r, "Top30% shared"), try valLoss(r, "Top20% shared"))
            return .init(passed: k30 <= 1.02 * none && k20 > 1.02 * none,
                         measured: String(format: "none %.4f, Top30%% %.4f (×%.3f), Top20%% %.4f (×%.3f)", none, k30, k30 / none, k20, k20 / none))
        }),
    ]
}
