import Suite

/// GitHub, which the READMEs are written for, makes a `*` or `_` emphasis only where CommonMark's
/// flanking rules let it open or close a pair, so `x_k`, `f*` and `|x − x*|` stay as typed; Ink
/// takes every one for a marker. Before Ink sees the Markdown, each single `*` or `_` that cannot
/// be part of a pair under those rules becomes an HTML entity, which Ink passes through. Doubled
/// markers (`**bold**`) and code are left alone.
enum LiteralDelimiters {
    static func escape(_ markdown: String) -> String {
        var output: [String] = [], paragraph: [Substring] = [], fenced = false
        func flush() {
            if !paragraph.isEmpty { output.append(escapeBlock(paragraph.joined(separator: "\n"))) }
            paragraph = []
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || fenced {
                flush()
                if trimmed.hasPrefix("```") { fenced.toggle() }
                output.append(String(line))
            } else if trimmed.isEmpty {
                flush()
                output.append("")
            } else {
                if startsBlock(trimmed) { flush() }
                paragraph.append(line)
            }
        }
        flush()
        return output.joined(separator: "\n")
    }

    /// A line that begins its own block: a list item, a heading, a table row or a quote.
    private static func startsBlock(_ line: Substring) -> Bool {
        let ordered = line.first?.isNumber == true && line.drop { $0.isNumber }.hasPrefix(". ")
        return ordered || ["- ", "* ", "+ ", "#", "|", ">"].contains { line.hasPrefix($0) }
    }

    /// Pairs the single delimiters of one block as CommonMark does (a closer takes the nearest
    /// open opener of its kind) and escapes the rest; code spans are skipped.
    private static func escapeBlock(_ text: String) -> String {
        let characters = Array(text)
        var literal = Set<Int>(), open: [Character: [Int]] = ["*": [], "_": []]
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c == "`" {
                let run = characters[i...].prefix { $0 == "`" }.count
                if let end = closingRun(of: run, in: characters, after: i + run) {
                    i = end + run
                    continue
                }
                i += run
                continue
            }
            guard c == "*" || c == "_" else {
                i += 1
                continue
            }
            let run = characters[i...].prefix { $0 == c }.count
            let lineStart = characters[..<i].lastIndex(of: "\n").map { $0 + 1 } ?? 0
            let bullet = c == "*" && characters[lineStart..<i].allSatisfy { $0 == " " } && i + 1 < characters.count && characters[i + 1] == " "
            if run > 1 || bullet {
                i += run
                continue
            }
            let before = i > 0 ? characters[i - 1] : " ", after = i + 1 < characters.count ? characters[i + 1] : " "
            let left = !after.isWhitespace && (!isPunctuation(after) || before.isWhitespace || isPunctuation(before))
            let right = !before.isWhitespace && (!isPunctuation(before) || after.isWhitespace || isPunctuation(after))
            let canOpen = c == "*" ? left : left && (!right || isPunctuation(before))
            let canClose = c == "*" ? right : right && (!left || isPunctuation(after))
            if canClose, open[c]?.isEmpty == false {
                open[c]?.removeLast()
            } else if canOpen {
                open[c]?.append(i)
            } else {
                literal.insert(i)
            }
            i += 1
        }
        literal.formUnion(open.values.joined())
        return characters.indices.map { literal.contains($0) ? (characters[$0] == "*" ? "&#42;" : "&#95;") : String(characters[$0]) }.joined()
    }

    private static func closingRun(of length: Int, in characters: [Character], after start: Int) -> Int? {
        var j = start
        while j < characters.count {
            let run = characters[j...].prefix { $0 == "`" }.count
            if run == length { return j }
            j += max(run, 1)
        }
        return nil
    }

    /// CommonMark counts Unicode symbols (|, −, +) as punctuation too.
    private static func isPunctuation(_ c: Character) -> Bool { c.isPunctuation || c.isSymbol }
}
