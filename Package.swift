// swift-tools-version:6.0
import PackageDescription

// Release builds are what researchers time; checked arithmetic in the inner loops of the tensor
// kernels would cost more than the kernels, so the engine's loops use unsafe buffers instead.

// The engine's own loops (activations, norms, softmaxes, optimizers) are written to vectorise;
// without a CPU level the compiler targets 2003's x86-64 and emits 4-wide SSE code. Haswell
// (AVX2 and FMA: Intel since 2013, AMD since 2015) doubles the width and runs on any machine of a
// current cluster, so a binary built on one node runs on the others. Floating-point contraction
// stays off in Swift, so no result changes with the width: every loop's per-element arithmetic and
// every written-out reduction order is the same.
#if arch(x86_64)
let engineSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let engineSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "repro",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "repro", targets: ["repro"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The report's HTML (Plot) and the Markdown it shows from READMEs and tables (Ink).
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        // OpenBLAS is not linked: `BLASLibrary` opens it at run time to choose its kernel first.
        .target(name: "CPlatform"),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(name: "CMalloc"),
        .target(name: "Engine", dependencies: ["CPlatform", "CMalloc"], swiftSettings: engineSettings),
        .target(name: "Datasets", dependencies: [
            "Engine", "CZstd", "CZlib",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Figures", dependencies: ["Engine"]),
        .target(name: "Suite", dependencies: [
            "Engine", "Figures",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The HTML report: a reader of what the suite stores and draws, never written back to.
        .target(name: "Report", dependencies: [
            "Suite", "Engine", "Figures",
            .product(name: "Plot", package: "Plot"),
            .product(name: "Ink", package: "Ink"),
        ]),
        // Tasks more than one paper (or benchmark) trains on: the character-level decoder, ranking metrics.
        .target(name: "Tasks", dependencies: ["Suite", "Engine", "Datasets"]),
        .target(name: "HeavyTailedClipping", dependencies: ["Suite", "Tasks", "Engine", "Figures", "Datasets"]),
        .target(name: "SignMethods", dependencies: ["Suite", "Tasks", "Engine", "Figures"]),
        .target(name: "ModelParallelCompression", dependencies: ["Suite", "Tasks", "Engine", "Figures", "Datasets"]),
        .target(name: "SSMRecsys", dependencies: ["Suite", "Tasks", "Engine", "Figures", "Datasets"]),
        .target(name: "OptimizerBenchmark", dependencies: ["Suite", "Tasks", "Engine", "Figures", "Datasets"]),
        .target(name: "Demo", dependencies: ["Suite", "Engine", "Figures"]),
        .target(name: "Papers", dependencies: ["Suite", "HeavyTailedClipping", "SignMethods", "ModelParallelCompression", "SSMRecsys",
                                               "OptimizerBenchmark", "Demo"]),
        .executableTarget(name: "repro", dependencies: [
            "Suite", "Report", "Engine", "Datasets", "Papers",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "EngineBenchmark", dependencies: [
            "Engine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Seeded damage to shipped inputs (configs, stores, dataset files) for the fuzz tests.
        .target(name: "InputFuzzing", dependencies: ["Engine", "Suite"], path: "Tests/InputFuzzing"),
        // A temporary project folder holding the demo, for the suite's and the report's tests.
        .target(name: "TestSupport", dependencies: ["Suite", "Demo", "InputFuzzing"], path: "Tests/TestSupport"),
        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "InputFuzzing"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures"]),
        .testTarget(name: "TasksTests", dependencies: ["Tasks", "Datasets", "Suite"]),
        .testTarget(name: "SuiteTests", dependencies: ["Suite", "Engine", "Figures", "Demo", "InputFuzzing", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Suite", "Engine", "Demo", "TestSupport"]),
        .testTarget(name: "HeavyTailedClippingTests", dependencies: ["HeavyTailedClipping", "Suite", "Engine", "Datasets", "InputFuzzing", "TestSupport"]),
        .testTarget(name: "SignMethodsTests", dependencies: ["SignMethods", "Suite", "Tasks", "Engine", "Datasets", "InputFuzzing", "TestSupport"]),
        .testTarget(name: "ModelParallelCompressionTests", dependencies: ["ModelParallelCompression", "Suite", "Engine", "Datasets", "InputFuzzing", "TestSupport"]),
        .testTarget(name: "PapersTests", dependencies: ["Papers", "Suite", "Demo", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "OptimizerBenchmarkTests", dependencies: ["OptimizerBenchmark", "Suite", "Engine", "Tasks", "InputFuzzing", "TestSupport"]),
        .testTarget(name: "SSMRecsysTests", dependencies: ["SSMRecsys", "Suite", "Engine", "Tasks", "Datasets", "InputFuzzing", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
