import Suite

/// A section of a paper's README, cut out by its heading, so the report can show the deviations a
/// README explains without anyone copying them.
enum ReadmeSection {
    /// The lines under the first heading whose text starts with `title` (case-insensitive), up to
    /// the next heading of the same or a higher level; nil when there is no such heading. Lines in
    /// fenced code blocks are never headings.
    static func body(of markdown: String, headingStartingWith title: String) -> String? {
        var level: Int?, body: [Substring] = [], fenced = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { fenced.toggle() }
            let hashes = fenced ? 0 : line.prefix { $0 == "#" }.count
            let isHeading = hashes > 0 && line.dropFirst(hashes).first == " "
            if let open = level {
                if isHeading && hashes <= open { break }
                body.append(line)
            } else if isHeading, line.dropFirst(hashes + 1).lowercased().hasPrefix(title.lowercased()) {
                level = hashes
            }
        }
        guard level != nil else { return nil }
        return body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
