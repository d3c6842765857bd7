import Foundation

/// Which item ORPO pushes down in each row.
public enum ORPORejected: Sendable {
    /// The highest-scoring item other than the chosen one and the `excluding` ids (e.g. padding):
    /// the model's most confident mistake, found in the same pass as the softmax.
    case hardest(excluding: [Int])
    /// One given item per row (e.g. sampled uniformly by the caller).
    case given([Int])
}

/// Means over the rows of one `projectedORPOLoss` call, for logging.
public struct ORPOStatistics: Sendable, Equatable {
    /// −log p(chosen), the supervised (NLL) term.
    public var negativeLogLikelihood: Double
    /// −log σ(log odds(chosen) − log odds(rejected)), the odds-ratio term before λ.
    public var oddsRatioLoss: Double
    /// Fraction of rows whose chosen item already has the larger odds.
    public var preferredFraction: Double
}

/// ORPO, odds ratio preference optimisation (Hong, Lee & Thorne 2024, arXiv:2403.07691, eqs. 6–7),
/// with the softmax over the items of h·Wᵀ as the policy and one next item per row:
///
///     odds(y) = p(y) / (1 − p(y)),   L = mean over rows of [ −log p(y_w) − λ·log σ(log odds(y_w) − log odds(y_l)) ]
///
/// y_w = `chosen`, y_l from `rejected`. The sequence-level likelihood of the paper is here a single
/// item's, so there is no length normalisation. Like `projectedSoftmaxCrossEntropy` the `[n, V]`
/// logits are never stored: with s the logits, p = softmax(s), z = log odds(y_w) − log odds(y_l)
/// and c = λ·(σ(z) − 1), using ∂ log odds(y)/∂s = (e_y − p)/(1 − p(y)),
///
///     ∂L_row/∂s = α·p + β_w·e_{y_w} + β_l·e_{y_l},
///     α = 1 + c·(1/(1 − p_l) − 1/(1 − p_w)),  β_w = −1 + c/(1 − p_w),  β_l = −c/(1 − p_l)
///
/// (evaluated through the odds, so that a chosen or rejected item holding nearly all the mass
/// gives finite values);
/// λ = 0 is exactly the cross-entropy of `chosen`.
public func projectedORPOLoss(_ hidden: Var, table: Var, chosen: [Int], rejected: ORPORejected, lambda: Float,
                              blockRows: Int = 256) -> (loss: Var, statistics: ORPOStatistics) {
    let (rows, v) = (hidden.shape[0], table.shape[0])
    precondition(chosen.count == rows && chosen.allSatisfy { (0..<v).contains($0) },
                 "projectedORPOLoss: need one chosen item in 0..<\(v) per row (\(rows) rows, \(chosen.count) given)")
    precondition(lambda >= 0 && lambda.isFinite, "projectedORPOLoss: λ must be finite and ≥ 0, got \(lambda)")
    var excluded: Set<Int> = []
    switch rejected {
    case .given(let ids):
        precondition(ids.count == rows && zip(ids, chosen).allSatisfy { (0..<v).contains($0) && $0 != $1 },
                     "projectedORPOLoss: need one rejected item per row in 0..<\(v), different from the chosen one")
    case .hardest(let ids):
        excluded = Set(ids)
        precondition(v - excluded.count >= 2, "projectedORPOLoss: no item left to reject among \(v)")
    }
    let invN = 1 / Float(max(rows, 1))
    let lam = Double(lambda)
    var terms = [(nll: Double, oddsRatio: Double)](repeating: (0, 0), count: rows)
    let loss = terms.withUnsafeMutableBufferPointer { termsPointer in
        let terms = termsPointer.baseAddress!
        return projectedSoftmaxLoss(hidden, table: table, blockRows: blockRows, scale: invN, name: "projectedORPOLoss") { r, row, v in
            let w = chosen[r]
            let l: Int
            switch rejected {
            case .given(let ids): l = ids[r]
            case .hardest: l = hardestItem(row, v, besides: w, excluded)
            }
            let m = RowKernels.max(row, v)
            // log e_y = s_y − max, kept from the logits: e_y itself saturates at ~1e-38 when y lies
            // more than 87 below the row's largest logit, and its log would stop there.
            let (logEw, logEl) = (Double(row[w] - m), Double(row[l] - m))
            for j in 0..<v { row[j] = FastMath.exp(row[j] - m) }
            // 1 − p(y) as the mass of the other items, summed without y: 1 − p computed as a
            // difference would be 0 (and the gradient NaN) once y holds all but 2⁻²⁴ of the mass.
            let (ew, el) = (row[w], row[l])
            row[w] = 0
            let restW = Double(RowKernels.sum(row, v))
            row[w] = ew
            row[l] = 0
            let restL = Double(RowKernels.sum(row, v))
            row[l] = el
            let z = Double(ew) + restW
            // log odds(y) = log e_y − log Σ_{j≠y} e_j.
            let tiny = Double(Float.leastNonzeroMagnitude)
            let (logRestW, logRestL) = (Foundation.log(max(restW, tiny)), Foundation.log(max(restL, tiny)))
            let logOddsW = logEw - logRestW
            let logOddsL = logEl - logRestL
            let ratio = logOddsW - logOddsL
            let oddsRatioLoss = softplus(-ratio)
            // With a = odds(y_w), b = odds(y_l) and u = λσ(−z) = −c: α = 1 + u(a − b), β_w = −1 − u(1 + a),
            // β_l = u(1 + b), where u(1 + a) = λ·exp(log(1 + a) − log(1 + e^z)) stays finite as p_w → 1.
            let u = lam * Foundation.exp(-softplus(ratio))
            let uA = lam * Foundation.exp(softplus(logOddsW) - softplus(ratio))
            let uB = lam * Foundation.exp(softplus(logOddsL) - softplus(ratio))
            let scale = Float((1 + uA - uB) / z) * invN
            for j in 0..<v { row[j] *= scale }
            // At y_w and y_l, α·p + β is a difference of two terms of size ~λ/(1 − p) when y holds most
            // of the mass; since (1 + a)(1 − p_w) = 1 and (1 + b)(1 − p_l) = 1 it equals
            //   at y_w: −(1 − p_w) − u − u_B·p_w,   at y_l: (1 + u_A)·p_l + u,
            // sums of like-signed terms with 1 − p_w = Σ_{j≠w} e_j / z.
            let (pw, pl) = (Double(ew) / z, Double(el) / z)
            row[w] = Float(-(restW / z) - u - uB * pw) * invN
            row[l] = Float((1 + uA) * pl + u) * invN
            // −log p_w = log(1 + Σ_{j≠w} e_j / e_w), in logs so a chosen item far below the maximum counts in full.
            let negativeLogPw = softplus(logRestW - logEw)
            terms[r] = (negativeLogPw, oddsRatioLoss)
            return negativeLogPw + lam * oddsRatioLoss
        }
    }
    let n = Double(max(rows, 1))
    let statistics = ORPOStatistics(negativeLogLikelihood: terms.reduce(0) { $0 + $1.nll } / n,
                                    oddsRatioLoss: terms.reduce(0) { $0 + $1.oddsRatio } / n,
                                    preferredFraction: Double(terms.filter { $0.oddsRatio < Foundation.log(2.0) }.count) / n)
    return (loss, statistics)
}

/// The index of the largest logit other than `chosen` and the excluded ids (the first on ties).
private func hardestItem(_ row: UnsafeMutablePointer<Float>, _ v: Int, besides chosen: Int, _ excluded: Set<Int>) -> Int {
    var best = -1
    var bestValue = -Float.infinity
    for j in 0..<v where row[j] > bestValue || best < 0 {
        if j == chosen || excluded.contains(j) { continue }
        best = j
        bestValue = row[j]
    }
    return best
}

/// log(1 + eˣ) without overflow.
private func softplus(_ x: Double) -> Double { x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x)) }
