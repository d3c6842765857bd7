import Engine
import Foundation

/// A one-line progress bar on standard error, redrawn at most ten times a second.
public final class ProgressBar {
    private let label: String
    private let width = 30
    private var lastDraw = DispatchTime(uptimeNanoseconds: 0)

    public init(label: String) { self.label = label }

    /// `total` is nil when the server does not say how large the file is.
    public func update(done: Int64, total: Int64?, force: Bool = false) {
        let now = DispatchTime.now()
        guard force || now.uptimeNanoseconds - lastDraw.uptimeNanoseconds > 100_000_000 else { return }
        lastDraw = now
        let mb = { (b: Int64) in String(format: "%.1f", Double(b) / 1_048_576) }
        var line = "\r  \(label) "
        if let total, total > 0 {
            let fraction = min(Double(done) / Double(total), 1)
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "] "
            line += String(format: "%3.0f%% ", fraction * 100) + "\(mb(done))/\(mb(total)) MB"
        } else {
            line += "\(mb(done)) MB"
        }
        StandardStreams.diagnostic(line)
    }

    public func finish() { StandardStreams.diagnostic("\n") }
}
