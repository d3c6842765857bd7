import Foundation
import Suite

/// Checks that a site loads nothing from outside itself. Every resource its HTML and CSS name
/// (`src`, `srcset`, `poster`, `data`, a `<link>`'s `href`, CSS `url()` and `@import`) must be a
/// relative path to a file inside the site. Every anchor must be a relative path to a file inside
/// it, a fragment naming an `id` of its page, or a web address, which a reader may follow but the
/// page never loads. `repro report` runs it before putting a report in place; the tests run it on
/// the demo's report and on pages made to break each rule.
public enum ReportLinkCheck {
    public struct Result: Sendable {
        /// One line per reference that breaks a rule, naming the file and the reference.
        public var problems: [String] = []
        /// Web addresses anchors point to.
        public var webLinks: [String] = []
    }

    public static func check(site: URL) -> Result {
        var result = Result()
        let root = site.standardizedFileURL
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        // Only pages and style sheets can reference anything; figures are not read.
        for file in files.sorted(by: { $0.path < $1.path }) where ["html", "htm", "css"].contains(file.pathExtension.lowercased()) {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            if file.pathExtension.lowercased() == "css" {
                checkCSS(text, file: file, root: root, into: &result)
            } else {
                checkHTML(text, file: file, root: root, into: &result)
            }
        }
        return result
    }

    private static let tag = try! NSRegularExpression(pattern: #"<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"#)
    private static let attribute = try! NSRegularExpression(pattern: #"([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"#)
    private static let styleBlock = try! NSRegularExpression(pattern: #"<style[^>]*>(.*?)</style>"#, options: [.dotMatchesLineSeparators, .caseInsensitive])
    private static let cssReference = try! NSRegularExpression(pattern: #"url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')"#,
                                                               options: .caseInsensitive)
    private static let resourceAttributes: Set<String> = ["src", "srcset", "poster", "data", "href", "xlink:href", "background", "action", "formaction", "manifest"]

    private static func checkHTML(_ html: String, file: URL, root: URL, into result: inout Result) {
        let tags = matches(tag, in: html).map { (name: $0[1].lowercased(), attributes: attributes(of: $0[2])) }
        let ids = Set(tags.flatMap { $0.attributes.filter { $0.name == "id" }.map(\.value) })
        for (name, attributes) in tags {
            for (attribute, value) in attributes {
                if attribute == "style" { checkCSS(value, file: file, root: root, into: &result) }
                guard resourceAttributes.contains(attribute) else { continue }
                let place = "\(relative(file, to: root)): <\(name) \(attribute)=\"\(value)\">"
                if (name == "a" || name == "area") && attribute == "href" {
                    checkAnchor(value, at: place, file: file, root: root, ids: ids, into: &result)
                } else {
                    let references = attribute == "srcset" ? value.split(separator: ",").compactMap { $0.split(separator: " ").first.map(String.init) } : [value]
                    for reference in references { checkResource(reference, at: place, file: file, root: root, into: &result) }
                }
            }
        }
        for block in matches(styleBlock, in: html) { checkCSS(block[1], file: file, root: root, into: &result) }
    }

    private static func checkCSS(_ css: String, file: URL, root: URL, into result: inout Result) {
        for match in matches(cssReference, in: css) {
            let reference = match.dropFirst().first { !$0.isEmpty } ?? ""
            checkResource(reference, at: "\(relative(file, to: root)): url(\(reference))", file: file, root: root, into: &result)
        }
    }

    private static func checkResource(_ reference: String, at place: String, file: URL, root: URL, into result: inout Result) {
        guard isRelativePath(reference) else {
            result.problems.append("\(place): not a relative path, so the page would fetch it from elsewhere")
            return
        }
        if let problem = missing(reference, file: file, root: root) { result.problems.append("\(place): \(problem)") }
    }

    private static func checkAnchor(_ reference: String, at place: String, file: URL, root: URL, ids: Set<String>, into result: inout Result) {
        if ReportMarkdown.isWebAddress(Substring(reference)) {
            result.webLinks.append(reference)
        } else if reference.hasPrefix("#") {
            if !ids.contains(String(reference.dropFirst())) { result.problems.append("\(place): no element of this page has that id") }
        } else if !isRelativePath(reference) {
            result.problems.append("\(place): neither a relative path nor a web address")
        } else if let problem = missing(reference, file: file, root: root) {
            result.problems.append("\(place): \(problem)")
        }
    }

    /// No scheme, and not rooted (a leading `/` is the file system's root for a local page).
    static func isRelativePath(_ reference: String) -> Bool {
        !reference.isEmpty && !reference.hasPrefix("/") && reference.range(of: #"^[a-zA-Z][a-zA-Z0-9+.-]*:"#, options: .regularExpression) == nil
    }

    /// Why `reference`, read from `file`, does not name a file inside the site; nil when it does.
    private static func missing(_ reference: String, file: URL, root: URL) -> String? {
        let path = String(reference.prefix { $0 != "#" && $0 != "?" })
        guard let decoded = path.removingPercentEncoding else { return "not a valid percent-encoded path" }
        let target = URL(fileURLWithPath: decoded, relativeTo: file.deletingLastPathComponent()).standardizedFileURL
        guard target.path.hasPrefix(root.path + "/") else { return "points outside the report folder" }
        return FileManager.default.fileExists(atPath: target.path) ? nil : "no such file in the report"
    }

    private static func attributes(of text: String) -> [(name: String, value: String)] {
        matches(attribute, in: text).map { match in
            (name: match[1].lowercased(), value: decodeEntities(match.dropFirst(2).first { !$0.isEmpty } ?? ""))
        }
    }

    private static func decodeEntities(_ value: String) -> String {
        value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Every match's groups as strings (an absent group as "").
    private static func matches(_ expression: NSRegularExpression, in text: String) -> [[String]] {
        expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            (0..<match.numberOfRanges).map { i in Range(match.range(at: i), in: text).map { String(text[$0]) } ?? "" }
        }
    }

    private static func relative(_ file: URL, to root: URL) -> String {
        String(file.standardizedFileURL.path.dropFirst(root.path.count + 1))
    }
}
