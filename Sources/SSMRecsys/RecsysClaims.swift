import Foundation
import Suite

/// The papers' findings as predicates over the runs. NDCG@10 is the mean over seeds of the test
/// value at the best-validation epoch; costs come from the exclusive efficiency runs. Thresholds
/// were fixed before the full-scale runs (README, "Claims").
enum RecsysClaims {
    static func f(_ v: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", v) }

    static let mamba = SSMRecsys.mamba, sasrec = SSMRecsys.sasrec, gru = SSMRecsys.gru

    static let all: [Claim] = [
        Claim(id: "mamba-matches-sasrec", source: "Mamba4Rec Table 2; arXiv:2408.05606 abstract (\"state of the art\")",
              statement: "Mamba4Rec's test NDCG@10 is at least 95% of SASRec's") { r in
            let (m, s) = (try r.meanBestTest(mamba, "ndcg@10"), try r.meanBestTest(sasrec, "ndcg@10"))
            return .init(passed: m >= 0.95 * s, measured: "Mamba4Rec \(f(m)) vs SASRec \(f(s)) (ratio \(f(m / s, 3)))")
        },
        Claim(id: "mamba-beats-gru4rec", source: "Mamba4Rec Table 2 (RNN baseline)",
              statement: "Mamba4Rec's test NDCG@10 is above GRU4Rec's") { r in
            let (m, g) = (try r.meanBestTest(mamba, "ndcg@10"), try r.meanBestTest(gru, "ndcg@10"))
            return .init(passed: m > g, measured: "Mamba4Rec \(f(m)) vs GRU4Rec \(f(g))")
        },
        Claim(id: "mamba-training-time-grows-slower", source: "Mamba4Rec §1, §4.3 (linear vs quadratic in L); arXiv:2408.05606 §2",
              statement: "the time of a Mamba4Rec training step grows with a smaller exponent in L than SASRec's") { r in
            let (m, s) = (try r.efficiency(mamba), try r.efficiency(sasrec))
            return .init(passed: m.trainTimeExponent < s.trainTimeExponent,
                         measured: "exponent Mamba4Rec \(f(m.trainTimeExponent, 2)) vs SASRec \(f(s.trainTimeExponent, 2)) over L = \(m.lengths.first!)…\(m.lengths.last!)")
        },
        Claim(id: "mamba-inference-time-grows-slower", source: "Mamba4Rec §4.3; arXiv:2408.05606 abstract (inference cost)",
              statement: "Mamba4Rec's inference time grows with a smaller exponent in L than SASRec's") { r in
            let (m, s) = (try r.efficiency(mamba), try r.efficiency(sasrec))
            return .init(passed: m.inferenceTimeExponent < s.inferenceTimeExponent,
                         measured: "exponent Mamba4Rec \(f(m.inferenceTimeExponent, 2)) vs SASRec \(f(s.inferenceTimeExponent, 2))")
        },
        Claim(id: "mamba-less-memory-at-longest-length", source: "Mamba4Rec Table 3 (GPU memory); arXiv:2408.05606 abstract (memory)",
              statement: "at the longest length of the sweep a Mamba4Rec training step needs less memory than SASRec's") { r in
            let (m, s) = (try r.efficiency(mamba), try r.efficiency(sasrec))
            let (mb, sb) = (m.trainBytes.last! / 1_048_576, s.trainBytes.last! / 1_048_576)
            return .init(passed: mb < sb, measured: "at L = \(m.lengths.last!): Mamba4Rec \(f(mb, 1)) MB vs SASRec \(f(sb, 1)) MB")
        },
        Claim(id: "mamba-faster-at-default-length", source: "Mamba4Rec Table 3 (training time per epoch, inference time per batch); arXiv:2408.05606 abstract (latency)",
              statement: "at the default length Mamba4Rec trains an epoch and serves 1000 users faster than SASRec",
              knownDeviation: "on 2 CPU cores at L = 50 Mamba4Rec is the slower one (full scale: epoch 33.7 s vs 23.5 s, inference 0.125 vs 0.076 s per 1000 users): the selective scan here is a sequential CPU loop over T·E·N states, not the fused GPU kernel, while attention over 50 items is a few small GEMMs; Mamba4Rec overtakes SASRec from L ≈ 400 (training 0.47 vs 0.51 s per step, inference 5.0 vs 6.9 s per 1000 users)",
              evaluate: { r in
            let (m, s) = (try r.efficiency(mamba), try r.efficiency(sasrec))
            return .init(passed: m.secondsPerEpoch < s.secondsPerEpoch && m.inferencePer1000 < s.inferencePer1000,
                         measured: "epoch \(f(m.secondsPerEpoch, 2)) s vs \(f(s.secondsPerEpoch, 2)) s; inference \(f(m.inferencePer1000, 3)) vs \(f(s.inferencePer1000, 3)) s per 1000 users")
        }),
    ]
}
