/// Dolan and Moré's (2002) performance profile: with t[w][o] the cost of optimizer o on workload w
/// (steps or seconds to the target; +∞ when not reached), r = t[w][o] / min_o' t[w][o'] is how many
/// times the best cost o needed, and ρ_o(τ) = |{w : r ≤ τ}| / |W| the fraction of workloads o
/// solves within τ times the best. ρ_o(1) is the share of workloads o is fastest on; the limit for
/// large τ is the share it solves at all. A workload no optimizer solves counts for none.
struct PerformanceProfile {
    /// ratios[o][w].
    let ratios: [[Double]]
    let workloads: Int

    /// `costs[w][o]`.
    init(costs: [[Double]]) {
        workloads = costs.count
        let optimizers = costs.first?.count ?? 0
        let best = costs.map { $0.min() ?? .infinity }
        ratios = (0..<optimizers).map { o in
            costs.indices.map { w in best[w].isFinite && best[w] > 0 ? costs[w][o] / best[w] : (costs[w][o] == 0 ? 1 : .infinity) }
        }
    }

    /// ρ_o(τ).
    func fraction(_ optimizer: Int, within tau: Double) -> Double {
        guard workloads > 0 else { return 0 }
        return Double(ratios[optimizer].filter { $0 <= tau }.count) / Double(workloads)
    }

    /// Where the plot ends: a quarter past the largest finite ratio (and past 2 at least), so the
    /// last step shows.
    var tauMax: Double { max(2, ratios.joined().filter(\.isFinite).max() ?? 1) * 1.25 }

    /// ρ_o as a staircase from τ = 1 to `tauMax`: a point at each ratio where it steps up.
    func curve(_ optimizer: Int) -> [(tau: Double, fraction: Double)] {
        let steps = Set(ratios[optimizer].filter { $0.isFinite && $0 > 1 }).sorted()
        return ([1] + steps + [tauMax]).map { ($0, fraction(optimizer, within: $0)) }
    }
}
