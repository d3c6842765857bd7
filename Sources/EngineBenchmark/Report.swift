import Foundation

/// What a run compared with what: recorded next to the rates so that runs can be compared later.
struct RunInfo {
    struct Machine: Encodable {
        let cpu: String
        let cores: Int
    }

    struct EngineInfo: Encodable {
        let blas: String
        let threads: Int
        /// `git describe --always --dirty` of the package: which engine was timed.
        let commit: String?
    }

    struct TorchInfo: Encodable {
        let version: String
        let threads: Int
        let mambapy: Bool
    }

    struct Options: Encodable {
        let workloads: [Workload]
        let mode: String
        let rounds: Int
        let threads: Int
        let stepsScale: Double
        let torch: Bool
    }

    let date: String
    let machine: Machine
    let engine: EngineInfo
    let torch: TorchInfo?
    let options: Options
}

extension RunInfo.Machine {
    /// The CPU model from /proc/cpuinfo (Linux; "unknown" elsewhere) and the cores this process may use.
    static var current: Self {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return Self(cpu: model ?? "unknown", cores: ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// `git describe --always --dirty` in `directory`, nil when git or the repository is missing.
func gitDescription(of directory: URL) -> String? {
    let process = Process(), output = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", directory.path, "describe", "--always", "--dirty"]
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return process.terminationStatus == 0 ? text.trimmingCharacters(in: .whitespacesAndNewlines) : nil
}

/// The comparison table: per case each side's median rate over the rounds and the median, minimum and
/// maximum of the per-round ratios engine / torch.
func printTable(_ measurements: [Measurement], info: RunInfo) {
    print("engine: \(info.engine.blas); \(info.engine.threads) threads" + (info.engine.commit.map { "; commit \($0)" } ?? ""))
    if let torch = info.torch {
        print("PyTorch \(torch.version); \(torch.threads) threads" + (torch.mambapy ? "; mambapy" : ""))
    }
    print("machine: \(info.machine.cpu), \(info.machine.cores) cores\n")
    for workload in info.options.workloads { print("  \(workload.rawValue.padding(12)) \(workload.summary)") }

    let header = ["workload", "mode", "engine", "torch", "ratio", "min–max", "rounds"]
    let rows: [[String]] = measurements.map { m in
        let ratios = m.ratios
        let torchRates = m.torch.compactMap { $0 }
        return [m.testCase.label, m.testCase.mode.rawValue, rate(median(m.engine)), rate(median(torchRates)),
                ratios.isEmpty ? "-" : String(format: "%.2f", median(ratios)!),
                ratios.isEmpty ? "-" : String(format: "%.2f–%.2f", ratios.min()!, ratios.max()!),
                "\(ratios.isEmpty ? m.engine.count : ratios.count)"]
    }
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
    print()
    for row in [header] + rows {
        // Names left-aligned, numbers right-aligned.
        print(row.enumerated().map { $0 < 2 ? $1.padding(widths[$0]) : $1.leftPadding(widths[$0]) }.joined(separator: "  "))
    }
    print("\nmedian rates in steps/s (inference: batches/s; sgemm, conv: GFLOP/s); ratio = engine / torch within a round")
    if info.torch == nil, info.options.torch {
        print("no PyTorch numbers: python3 could not run scripts/pytorch_reference.py (`pip install torch`)")
    } else if info.torch?.mambapy == false, info.options.workloads.contains(.mamba4rec) {
        print("no PyTorch numbers for mamba4rec: `pip install mambapy`")
    }
}

/// Writes every round's rates, their medians and the ratios with `info` as JSON to `url`, through a
/// temporary file renamed into place so that an interrupted run never leaves half a file.
func writeResults(_ measurements: [Measurement], info: RunInfo, to url: URL) throws {
    struct Side: Encodable {
        let rates: [Double?]
        let median: Double
    }
    struct Ratio: Encodable {
        let perRound: [Double]
        let median: Double, min: Double, max: Double
    }
    struct Row: Encodable {
        let workload: Workload
        let shape: [Int]?
        let mode: Mode
        let unit: String
        let steps: Int
        let engine: Side
        let torch: Side?
        let ratio: Ratio?
    }
    struct File: Encodable {
        let date: String
        let machine: RunInfo.Machine
        let engine: RunInfo.EngineInfo
        let torch: RunInfo.TorchInfo?
        let options: RunInfo.Options
        let results: [Row]
    }

    let rows = measurements.map { m -> Row in
        let c = m.testCase, ratios = m.ratios
        return Row(workload: c.workload, shape: c.shape, mode: c.mode, unit: c.unit, steps: c.steps,
                   engine: Side(rates: m.engine, median: median(m.engine)!),
                   torch: median(m.torch.compactMap { $0 }).map { Side(rates: m.torch, median: $0) },
                   ratio: median(ratios).map { Ratio(perRound: ratios, median: $0, min: ratios.min()!, max: ratios.max()!) })
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(File(date: info.date, machine: info.machine, engine: info.engine, torch: info.torch,
                                       options: info.options, results: rows))
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url, options: .atomic)
}

/// Two decimals below 10 so that the slow recommender steps (well under one per second) stay readable.
private func rate(_ value: Double?) -> String {
    guard let value else { return "-" }
    return String(format: value < 10 ? "%.2f" : value < 1000 ? "%.1f" : "%.0f", value)
}

private extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
    func leftPadding(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
