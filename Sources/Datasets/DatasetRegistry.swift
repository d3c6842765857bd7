import Foundation

/// The datasets the suite knows by name. Manifests live in code (one file per dataset, next to its
/// parser) rather than in JSON, so a manifest and the parser it names cannot drift apart; the
/// repository's `datasets/README.md` lists them for readers.
public struct DatasetRegistry: Sendable {
    public let specs: [DatasetSpec]
    /// The repository's `datasets/` folder, where shipped samples live; nil when it cannot be found.
    public let samplesDirectory: URL?

    public init(_ specs: [DatasetSpec], samplesDirectory: URL?) {
        self.specs = specs
        self.samplesDirectory = samplesDirectory
    }

    /// Every real dataset the reproductions use.
    public static var standard: DatasetRegistry {
        DatasetRegistry([FashionMNIST.spec, TinyShakespeare.spec, AmazonVideoGames.spec],
                        samplesDirectory: locateSamplesDirectory())
    }

    public var names: [String] { specs.map(\.name) }

    public func spec(_ name: String) throws -> DatasetSpec {
        guard let s = specs.first(where: { $0.name == name }) else {
            throw DatasetError(name, .unknownDataset,
                               "no such dataset; known: \(names.joined(separator: ", ")) (see `repro datasets list`)")
        }
        return s
    }

    /// `$REPRO_DATASETS` when set, else the `datasets/` folder of the checkout this file was built
    /// from (the usual `git clone && swift run` case), else `./datasets`.
    static func locateSamplesDirectory() -> URL? {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["REPRO_DATASETS"], !env.isEmpty {
            candidates.append(URL(fileURLWithPath: env, isDirectory: true))
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("datasets"))
        candidates.append(URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("datasets"))
        return candidates.first { fm.fileExists(atPath: $0.appendingPathComponent("samples").path) }
    }
}
