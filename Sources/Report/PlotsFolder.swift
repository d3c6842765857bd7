import Foundation
import Suite

/// The outputs `repro figures` left in one paper's plots folder at one scale. Most requests name
/// their files after their id (`gap-q95` writes `gap-q95-gaussian.svg`, …), which gives the order
/// to show them in; a file's name does not tell reliably which request wrote it, so it is used for
/// nothing else.
struct PlotsFolder {
    let directory: URL

    /// Names without extension of the files ending in `.ext`, in the order of the declared ids
    /// they belong to, then the others alphabetically.
    func names(withExtension ext: String, declared: [String]) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let names = files.filter { $0.hasSuffix("." + ext) && !$0.hasPrefix(".") }.map { String($0.dropLast(ext.count + 1)) }.sorted()
        func rank(_ name: String) -> Int { Self.owner(of: name, among: declared).flatMap(declared.firstIndex(of:)) ?? declared.count }
        return names.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    private static func owner(of name: String, among declared: [String]) -> String? {
        declared.filter { name == $0 || name.hasPrefix($0 + "-") }.max { $0.count < $1.count }
    }
}
