/// Errors raised while writing or rendering a figure, naming the figure and what to do.
public struct FigureError: Error, CustomStringConvertible {
    public let figure: String
    public let message: String
    public init(_ figure: String, _ message: String) {
        self.figure = figure
        self.message = message
    }
    public var description: String { "figure \(figure): \(message)" }
}
