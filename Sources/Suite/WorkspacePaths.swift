import Foundation

/// The folders a command works in, from its options and the environment, checked once before any
/// work: an empty value, a file where a folder belongs, a folder a writer cannot write, or a project
/// folder without `reproductions/` is one error naming the option or variable and what to do.
/// (Unchecked, `--results ""` made the checkout itself the store, and a read-only `--results`
/// failed once per run, after the work.)
public struct WorkspacePaths: Sendable, Equatable {
    public let root: URL, results: URL, plots: URL

    /// What a command does with a folder.
    public enum Use: Sendable { case read, write }

    /// `root` from `--root`, `$REPRO_ROOT` or the current directory; `results` from `--results`,
    /// `$REPRO_RESULTS` or `<root>/results`; `plots` from `--plots` or `<root>/plots`.
    public init(root: String?, results: String?, plots: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                currentDirectory: String = FileManager.default.currentDirectoryPath, resultsUse: Use, plotsUse: Use) throws {
        func chosen(_ option: String?, _ optionName: String, _ variable: String?) -> (path: String, source: String)? {
            if let option { return (option, optionName) }
            if let variable, let value = environment[variable] { return (value, "$\(variable)") }
            return nil
        }
        let rootChoice = chosen(root, "--root", "REPRO_ROOT")
        let rootURL = URL(fileURLWithPath: try Self.nonEmpty(rootChoice) ?? currentDirectory)
        let reproductions = rootURL.appendingPathComponent("reproductions")
        guard Self.isDirectory(reproductions) else {
            let source = rootChoice.map { "given by \($0.source)" } ?? "the current directory"
            throw SuiteError("no reproductions/ folder in \(rootURL.path) (\(source)): the papers' experiments.yaml and baselines are read "
                             + "from there, never replaced by built-in settings. Run repro in the project's checkout, or point --root or "
                             + "$REPRO_ROOT at it")
        }
        let resultsChoice = chosen(results, "--results", "REPRO_RESULTS")
        let plotsChoice = chosen(plots, "--plots", nil)
        self.root = rootURL
        self.results = try Self.folder(resultsChoice, default: rootURL.appendingPathComponent("results"), use: resultsUse, what: "the run store")
        self.plots = try Self.folder(plotsChoice, default: rootURL.appendingPathComponent("plots"), use: plotsUse, what: "the figures' folder")
    }

    private static func nonEmpty(_ choice: (path: String, source: String)?) throws -> String? {
        guard let choice else { return nil }
        guard !choice.path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SuiteError("\(choice.source) is empty; give a folder path, or leave \(choice.source) out for the default")
        }
        return choice.path
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The folder chosen (or `default`), checked for `use`.
    private static func folder(_ choice: (path: String, source: String)?, default: URL, use: Use, what: String) throws -> URL {
        let url = try nonEmpty(choice).map { URL(fileURLWithPath: $0) } ?? `default`
        let named = choice.map { "\($0.source) \(url.path)" } ?? url.path
        let fm = FileManager.default
        if fm.fileExists(atPath: url.path) && !isDirectory(url) {
            throw SuiteError("\(named) is a file, not a folder; \(what) is a folder: give a folder path")
        }
        guard use == .write else { return url }
        // The folder, or the nearest ancestor that exists (the folder is created on the first write).
        var existing = url
        while !fm.fileExists(atPath: existing.path) && existing.path != "/" { existing = existing.deletingLastPathComponent() }
        guard isDirectory(existing) else {
            throw SuiteError("\(named) cannot be created: \(existing.path) is a file; give another folder path")
        }
        guard access(existing.path, W_OK | X_OK) == 0 else {
            throw SuiteError("\(named) is not writable (\(existing.path): \(String(cString: strerror(errno)))); \(what) must be writable: "
                             + "give another folder, or fix its permissions or mount")
        }
        return url
    }
}
