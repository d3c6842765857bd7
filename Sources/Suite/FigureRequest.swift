import Figures
import Foundation

/// A figure a paper declares: which experiments it reads and how it turns their results into
/// `FigureSpec`s (one, or one per setting of a sweep, e.g. per noise model). The suite runs what is
/// missing, builds the specs, and renders them under `plots/<paper>/`.
public struct FigureRequest: Sendable {
    public let id: String
    public let title: String
    public let experiments: [String]
    public let build: @Sendable (ResultSet) throws -> [FigureSpec]

    public init(id: String, title: String, experiments: [String], build: @escaping @Sendable (ResultSet) throws -> [FigureSpec]) {
        self.id = id
        self.title = title
        self.experiments = experiments
        self.build = build
    }
}

extension ResultSet {
    /// A series whose line is the median of `metric` across seeds and whose band spans the
    /// `band` quantiles (default 5 %–95 %), one point per logged step.
    public func quantileBandSeries(_ experiment: String, group: String, metric: String, x: String = "step",
                                   title: String? = nil, band: (Double, Double) = (0.05, 0.95)) throws -> Series {
        let rows = try quantilesAlongRun(experiment, group: group, metric: metric, x: x, probabilities: [band.0, 0.5, band.1])
        return Series(title: title ?? group, points: rows.map { .init(x: $0.x, y: $0.quantiles[1], low: $0.quantiles[0], high: $0.quantiles[2]) })
    }

    /// The empirical complementary CDF P(X > v) of a final metric across seeds, as steps; diverged
    /// runs sit at +∞ and show as the level the curve never drops below.
    public func ccdfSeries(_ experiment: String, group: String, metric: String, title: String? = nil) throws -> Series {
        let values = try finalValues(experiment, group: group, metric: metric).sorted()
        let n = Double(values.count)
        let points = values.enumerated().compactMap { i, v in v.isFinite ? Series.Point(x: v, y: (n - Double(i) - 1) / n) : nil }
        return Series(title: title ?? group, points: points.filter { $0.y > 0 }, style: .steps)
    }
}
