import ArgumentParser
import Datasets
import Engine
import Foundation

/// `repro datasets …`: inspect, download, import and check the real datasets the reproductions use.
struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "List, fetch, import and verify datasets (cache: $REPRO_CACHE, default ~/.cache/repro).",
        discussion: """
        Examples:
          repro datasets list
          repro datasets fetch fashion-mnist
          repro datasets import tinyshakespeare ~/Downloads/input.txt
          repro datasets verify
        """,
        subcommands: [List.self, Fetch.self, Import.self, Verify.self]
    )

    static func cache() -> DatasetCache { DatasetCache(root: DatasetCache.defaultRoot) }

    /// Prints an error as the one-line message it is, and exits with its `ExitStatus`.
    static func run(_ body: () throws -> Void) throws {
        try reportingErrors(body)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show every registered dataset, its license and what is on this machine.",
            discussion: "Example: repro datasets list")

        func run() throws {
            try DatasetsCommand.run {
                let cache = DatasetsCommand.cache()
                print("cache: \(cache.root.path)")
                for spec in cache.registry.specs {
                    let status = try cache.status(spec.name)
                    print("")
                    print("\(spec.name)  (preprocessing v\(spec.preprocessingVersion))")
                    print("  \(spec.summary)")
                    print("  source:  \(spec.homepage)")
                    print("  license: \(spec.license)")
                    print("  files:   \(spec.files.map(\.name).joined(separator: ", "))")
                    print("  status:  \(status.summary)")
                    if let header = status.header, status.cache == .valid {
                        let arrays = header.arrays.map { "\($0.name) \($0.shape) \($0.dtype.rawValue)" }
                        print("  arrays:  \(arrays.joined(separator: ", "))")
                        let facts = header.attributes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                        if !facts.isEmpty { print("  facts:   \(facts.joined(separator: ", "))") }
                    }
                }
            }
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a dataset's raw files, check their SHA-256, and build its cache entry.",
            discussion: """
            Files already present (in the cache or where a system package put them) are not downloaded again. \
            Without network the command says so and how to use `repro datasets import` instead. \
            Example: repro datasets fetch tinyshakespeare
            """)

        @Argument(help: "Dataset name (see `repro datasets list`).") var name: String

        func run() throws {
            try DatasetsCommand.run {
                let cache = DatasetsCommand.cache()
                let downloaded = try cache.fetch(name)
                print("\(name): \(downloaded.isEmpty ? "nothing to download" : "downloaded \(downloaded.joined(separator: ", "))"); cache entry \(cache.entryURL(try cache.registry.spec(name)).path)")
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Take raw files you already have: check their SHA-256, copy them into the cache, build the entry.",
            discussion: """
            PATH is a file (with the published name when the dataset has several files) or a directory holding them.
            Examples:
              repro datasets import tinyshakespeare ~/data/input.txt
              repro datasets import fashion-mnist ~/data/fashion     (holding train-images-idx3-ubyte.gz, …)
            """)

        @Argument(help: "Dataset name (see `repro datasets list`).") var name: String
        @Argument(help: "A raw file, or a directory holding the raw files.") var path: String

        func run() throws {
            try DatasetsCommand.run {
                let cache = DatasetsCommand.cache()
                let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
                let imported = try cache.importFiles(name, from: url)
                print("\(name): imported \(imported.joined(separator: ", ")) into \(cache.rawDirectory(name).path)")
                print("\(name): \(try cache.status(name).summary)")
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recheck the SHA-256 of every raw file present and every cache entry's payload.",
            discussion: """
            Exits non-zero when a file or cache entry is damaged; missing data is reported but is not a failure.
            Examples:
              repro datasets verify
              repro datasets verify fashion-mnist
            """)

        @Argument(help: "Datasets to verify (default: all).") var names: [String] = []

        func run() throws {
            var failed = false
            try DatasetsCommand.run {
                let cache = DatasetsCommand.cache()
                for name in names.isEmpty ? cache.registry.names : names {
                    let report = try cache.verify(name)
                    print("\(name):")
                    for (file, result) in report.files {
                        switch result {
                        case .ok(let url, let origin): print("  ok       \(file)  \(url.path)  (\(origin))")
                        case .missing: print("  missing  \(file)")
                        case .failed(let e): print("  FAILED   \(file): \(e.message)")
                        }
                    }
                    switch report.cache {
                    case .valid: print("  ok       cache entry")
                    case .missing: print("  missing  cache entry (built on first load)")
                    case .stale(let why): print("  STALE    cache entry: \(why); it is rebuilt on next load")
                    case .corrupt(let why): print("  FAILED   cache entry: \(why); it is rebuilt on next load")
                    }
                    failed = failed || !report.passed
                }
            }
            if failed { throw ExitCode.failure }
        }
    }
}
