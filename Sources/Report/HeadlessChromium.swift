import Figures
import Engine
import Foundation
import Suite

/// Chromium without a window, on a local page: the screenshot `repro report --screenshot` takes,
/// and the DOM the browser test reads. Each run gets a fresh profile and a resolver that maps every
/// host name to nowhere, so nothing is fetched from the network whatever a page asks for; a request
/// is still attempted, and shows in a net log, which is how the test catches one.
public struct HeadlessChromium: Sendable {
    public let executable: URL

    public static let installHint = "Chromium not found: install it (`apt-get install chromium` on Debian and Ubuntu, "
        + "`scripts/setup --with-browser` does it) or set $REPRO_CHROMIUM to its path"

    /// `$REPRO_CHROMIUM`, else the first of chromium, chromium-browser, google-chrome on PATH.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> HeadlessChromium? {
        if let given = environment["REPRO_CHROMIUM"] {
            return FileManager.default.isExecutableFile(atPath: given) ? HeadlessChromium(executable: URL(fileURLWithPath: given)) : nil
        }
        return ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap { executableOnPath($0, environment: environment) }
            .first.map { HeadlessChromium(executable: $0) }
    }

    /// The first `height` pixels of `page` rendered `width` wide, as a PNG written through a
    /// temporary file.
    public func screenshot(_ page: URL, to png: URL, width: Int = 1280, height: Int = 2000) throws {
        // Chromium picks the image format by the extension, so the temporary name keeps it.
        let temporary = png.deletingLastPathComponent()
            .appendingPathComponent(".\(png.deletingPathExtension().lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier).png")
        defer { try? FileManager.default.removeItem(at: temporary) }
        _ = try run(["--hide-scrollbars", "--window-size=\(width),\(height)", "--screenshot=\(temporary.path)", page.absoluteString])
        guard FileManager.default.fileExists(atPath: temporary.path) else {
            throw SuiteError("\(executable.path) wrote no screenshot of \(page.path)")
        }
        guard rename(temporary.path, png.path) == 0 else {
            throw SuiteError("cannot move the screenshot into place as \(png.path): \(String(cString: strerror(errno)))")
        }
    }

    /// The DOM of `page` once it has loaded. With `netLog`, every request the browser attempts is
    /// recorded there (Chromium's JSON net log). `fileAccessFromFiles` lets a local page's script
    /// read other local pages, which the browser test's harness needs.
    public func dom(of page: URL, netLog: URL? = nil, fileAccessFromFiles: Bool = false) throws -> String {
        var arguments = ["--dump-dom", page.absoluteString]
        if let netLog { arguments.insert("--log-net-log=\(netLog.path)", at: 0) }
        if fileAccessFromFiles { arguments.insert("--allow-file-access-from-files", at: 0) }
        return try run(arguments)
    }

    /// Runs Chromium headless and returns what it printed; fails on a non-zero exit or after
    /// `timeout` seconds.
    private func run(_ arguments: [String], timeout: Double = 60) throws -> String {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("repro-chromium-\(UUID().uuidString)")
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }
        // No sandbox: Chromium refuses to start as root with one, and many containers cannot give
        // it one; it only ever opens the suite's own local files here.
        let options = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                       "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                       "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=\(scratch.appendingPathComponent("profile").path)"]
        let outcome = try BoundedProcess(executable, arguments: options + arguments, timeout: timeout).run()
        guard outcome.succeeded else {
            let log = outcome.errors.split(separator: "\n").suffix(5).joined(separator: "\n")
            throw SuiteError("\(executable.path) \(arguments.joined(separator: " ")) failed (\(outcome.timedOut ? "stopped after \(Int(timeout)) s" : outcome.status.map { "exit \($0)" } ?? "killed by a signal")):\n\(log)",
                             kind: .failed)
        }
        return outcome.output
    }
}
