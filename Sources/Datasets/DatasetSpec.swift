import Foundation

/// One raw file of a dataset as its source publishes it.
public struct RawFile: Sendable {
    public let name: String
    /// Where `repro datasets fetch` downloads it from, tried in order.
    public let urls: [String]
    /// Accepted SHA-256 digests (lower-case hex) with what each one is, e.g. the upstream file and a
    /// distribution's re-compressed copy of the same content.
    public let sha256: [(digest: String, origin: String)]

    public init(name: String, urls: [String], sha256: [(digest: String, origin: String)]) {
        self.name = name
        self.urls = urls
        self.sha256 = sha256
    }
}

/// Turns a dataset's verified raw files (by file name) into arrays.
public protocol DatasetParser: Sendable {
    func parse(files: [String: URL], dataset: String) throws -> ParsedDataset
}

/// A registry entry: everything needed to obtain, check and parse one dataset.
public struct DatasetSpec: Sendable {
    public let name: String
    public let summary: String
    public let license: String
    /// Canonical home page of the data.
    public let homepage: String
    public let files: [RawFile]
    public let parser: any DatasetParser
    /// Bumped whenever the parser's output changes; part of the cache file name, so an old entry is
    /// never read as the new preprocessing.
    public let preprocessingVersion: Int
    /// Directories where a system package installs the raw files (e.g. Debian's dataset packages);
    /// searched after the user's cache.
    public let systemDirectories: [String]
    /// Raw files of the shipped sample, relative to the repository's `datasets/` folder, by the raw
    /// file name they stand in for. Empty when the dataset has no sample.
    public let sampleFiles: [String: String]

    public init(name: String, summary: String, license: String, homepage: String, files: [RawFile],
                parser: any DatasetParser, preprocessingVersion: Int, systemDirectories: [String] = [],
                sampleFiles: [String: String] = [:]) {
        self.name = name
        self.summary = summary
        self.license = license
        self.homepage = homepage
        self.files = files
        self.parser = parser
        self.preprocessingVersion = preprocessingVersion
        self.systemDirectories = systemDirectories
        self.sampleFiles = sampleFiles
    }

    /// The command that imports the files by hand, for error messages.
    public var importHint: String {
        files.count == 1
            ? "repro datasets import \(name) PATH/\(files[0].name)"
            : "repro datasets import \(name) DIR (a directory holding \(files.map(\.name).joined(separator: ", ")))"
    }
}
