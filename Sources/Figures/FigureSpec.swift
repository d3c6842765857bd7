/// What a figure shows: series over shared axes, independent of how it is drawn.
public struct FigureSpec: Sendable {
    public var id: String
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logX: Bool
    public var logY: Bool
    public var legend: Legend
    public var series: [Series]

    public enum Legend: String, Sendable {
        case topRight = "top right", topLeft = "top left", bottomRight = "bottom right", bottomLeft = "bottom left", outside = "outside right"
    }

    public init(id: String, title: String, xLabel: String, yLabel: String, logX: Bool = false, logY: Bool = false,
                legend: Legend = .topRight, series: [Series]) {
        self.id = id
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.logY = logY
        self.legend = legend
        self.series = series
    }
}

/// One curve: points (x, y) with an optional shaded band [low, high] around it (e.g. the 5 %–95 %
/// quantiles across seeds), drawn as lines, points or steps (for empirical CDFs).
public struct Series: Sendable {
    /// Raw values are gnuplot plot styles; `dashed` draws a reference level (a target, a baseline).
    public enum Style: String, Sendable { case lines, points, steps, linesPoints = "linespoints", dashed = "lines dt 2" }

    public var title: String
    public var points: [Point]
    public var style: Style

    public struct Point: Sendable, Equatable {
        public var x: Double, y: Double
        public var low: Double?, high: Double?
        public init(x: Double, y: Double, low: Double? = nil, high: Double? = nil) {
            self.x = x
            self.y = y
            self.low = low
            self.high = high
        }
    }

    public init(title: String, points: [Point], style: Style = .lines) {
        self.title = title
        self.points = points
        self.style = style
    }

    public var hasBand: Bool { points.contains { $0.low != nil && $0.high != nil } }
}
