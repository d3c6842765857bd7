/// Errors raised while writing or rendering a figure.
public struct FigureError: Error, CustomStringConvertible {
    public let figure: String
    public let message: String
    public init(_ figure: String, _ message: String) { self.figure = figure; self.message = message }
    public var description: String { "figure \(figure): \(message)" }
}
