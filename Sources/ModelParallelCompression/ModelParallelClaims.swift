import Foundation
import Suite

/// The paper's findings (its abstract and §5) as comparisons over the runs. Accuracy is the final
/// test accuracy in points, compared as differences of means over seeds with paired t intervals
/// (every method runs the same seeds: the same initialization and data order); "compressed" and
/// "uncompressed" name the inference mode. The thresholds were fixed before the full-scale runs
/// (README, "Claims").
enum ModelParallelClaims {
    static func accuracy(_ results: ResultSet, _ method: String, compressed: Bool = true) throws -> RunValues {
        try results.requiredValues(ImageExperiment.id, method, compressed ? "test_acc_compressed" : "test_acc_uncompressed").map { 100 * $0 }
    }

    static func valLoss(_ results: ResultSet, _ method: String) throws -> RunValues {
        try results.requiredValues(LanguageModelExperiments.id, method, "val_loss_compressed")
    }

    static let all: [Claim] = [
        Claim(id: "gradients-need-milder-compression", source: "abstract; §5 (ResNet-18, one direction compressed)",
              statement: "compressing only the gradients costs more accuracy than compressing only the activations, for TopK 5% and for 2-bit quantization", experiments: [ImageExperiment.id],
              knownDeviation: "holds for 2-bit quantization (gradients only 60.8 vs activations only 83.5 at full scale, 5 seeds) but not for TopK 5%, where per-sample TopK of the gradients costs less than of the activations (84.8 vs 81.2: −3.6 points, interval [−6.0, −1.1])",
              evaluate: { r in
            .init([.meanDifference("Top5%: accuracy activations only − gradients only", try accuracy(r, "fw Top5%"), try accuracy(r, "bw Top5%"), .above, 0),
                   .meanDifference("Q2: accuracy activations only − gradients only", try accuracy(r, "fw Q2"), try accuracy(r, "bw Q2"), .above, 0)])
        }),
        Claim(id: "topk-10-lowest-safe-level", source: "abstract; §5 (ResNet-18, TopK both ways)",
              statement: "TopK 10% both ways ends within 2 points of no compression, TopK 5% more than 2 points below", experiments: [ImageExperiment.id],
              knownDeviation: "after 4 epochs TopK 10% ends 4.2 points below no compression at full scale (82.8 vs 87.0, 5 seeds each, interval [2.3, 6.2]); 30% is within 1 point and 20% 1.1 points below (one seed), so the lowest harmless level here is 20–30%",
              evaluate: { r in
            let none = try accuracy(r, "none")
            return .init([.meanDifference("accuracy none − Top10%", none, try accuracy(r, "Top10%"), .atMost, 2),
                          .meanDifference("accuracy none − Top5%", none, try accuracy(r, "Top5%"), .above, 2)])
        }),
        Claim(id: "topk-needs-compressed-inference", source: "abstract; §5 (inference with and without compression)",
              statement: "a model trained with TopK 10% both ways loses more than 5 points when its inference runs without compression", experiments: [ImageExperiment.id]) { r in
            .init(.meanDifference("Top10% accuracy compressed − uncompressed inference", try accuracy(r, "Top10%"),
                                  try accuracy(r, "Top10%", compressed: false), .above, 5))
        },
        Claim(id: "ef-does-not-improve-training", source: "abstract; §5 (error feedback)",
              statement: "with TopK 10%, EF ends at most 1 point above plain TopK (compressed inference)", experiments: [ImageExperiment.id]) { r in
            .init(.meanDifference("accuracy EF Top10% − Top10%", try accuracy(r, "EF Top10%"), try accuracy(r, "Top10%"), .atMost, 1))
        },
        Claim(id: "ef-allows-uncompressed-inference", source: "abstract (v2); §5 (error feedback)",
              statement: "a model trained with EF and TopK 10%, served without compression, ends within 2 points of the model trained without compression", experiments: [ImageExperiment.id],
              knownDeviation: "EF's model served without compression ends 18 points below the uncompressed model at full scale (68.9 vs 87.0, 5 seeds each, interval [16.5, 19.8]); EF here even loses accuracy against plain TopK 10% (47.4 vs 82.8 with compressed inference), so this suite's EF does not buy compression-free inference",
              evaluate: { r in
            .init(.meanDifference("accuracy none − EF Top10% served uncompressed", try accuracy(r, "none"),
                                  try accuracy(r, "EF Top10%", compressed: false), .atMost, 2))
        }),
        Claim(id: "aqsgd-needs-k-30", source: "abstract; §5 (AQ-SGD with TopK)",
              statement: "AQ-SGD with TopK 30% ends within 2 points of no compression, with TopK 10% more than 2 points below", experiments: [ImageExperiment.id]) { r in
            let none = try accuracy(r, "none")
            return .init([.meanDifference("accuracy none − AQ-SGD Top30%", none, try accuracy(r, "AQ-SGD Top30%"), .atMost, 2),
                          .meanDifference("accuracy none − AQ-SGD Top10%", none, try accuracy(r, "AQ-SGD Top10%"), .above, 2)])
        },
        Claim(id: "lm-loss-rises-from-top20", source: "§5 (GPT-2 fine-tuning on WikiText-2, shared TopK mask)",
              statement: "fine-tuning the language model with TopK 30% (shared mask) ends within 2% of uncompressed validation loss, with TopK 20% more than 2% above", experiments: [LanguageModelExperiments.id],
              knownDeviation: "on the small character decoder the loss rises already at TopK 30% (×1.14 of uncompressed at full scale, ×1.23 at 20%, 5 seeds); in the quick fine-tuning (128 windows, 2 epochs, 2 seeds) both levels end within a few percent and the intervals decide neither",
              evaluate: { r in
            let none = try valLoss(r, "none")
            return .init([.meanRatio("validation loss ratio Top30% shared / none", try valLoss(r, "Top30% shared"), none, .atMost, 1.02),
                          .meanRatio("validation loss ratio Top20% shared / none", try valLoss(r, "Top20% shared"), none, .above, 1.02)])
        }),
    ]
}
