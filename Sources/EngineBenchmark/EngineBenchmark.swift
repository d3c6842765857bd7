import ArgumentParser
import Engine
import Foundation

@main
struct EngineBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "EngineBenchmark",
        abstract: "Engine speed against PyTorch: training steps/s and inference batches/s of the same models.",
        discussion: """
        Engine and PyTorch (scripts/pytorch_reference.py, one long-lived python3 child) alternate in \
        rounds: per round and case, each side times the same number of steps back to back, the first \
        side alternating between rounds. Reported: each side's median rate and the median (min–max) of \
        the per-round ratios engine / torch. Progress goes to stderr; every round's rates to the JSON \
        file of --output.
        """
    )

    enum ModeChoice: String, CaseIterable, ExpressibleByArgument {
        case train, inference, both

        var modes: [Mode] {
            switch self {
            case .train: return [.train]
            case .inference: return [.inference]
            case .both: return [.train, .inference]
            }
        }
    }

    @Option(name: .customLong("workload"),
            help: "A workload to time (repeatable; default all): \(Workload.allCases.map(\.rawValue).joined(separator: ", ")).")
    var workloadNames: [String] = []

    @Option(help: "Which modes of the models to time (sgemm and conv always time all of their forms).")
    var mode: ModeChoice = .both

    @Option(help: "Rounds in which engine and PyTorch alternate.")
    var rounds = 5

    @Option(help: "BLAS threads of the engine and torch threads of PyTorch.")
    var threads = 2

    @Option(help: "Multiplies every workload's timed steps per round.")
    var stepsScale = 1.0

    @Flag(help: "Time the engine only.")
    var noTorch = false

    @Option(help: "Where the results JSON goes (default: benchmarks/results.json in the package).")
    var output: String?

    /// The package root, three levels above this file, where the script and the default output live.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    var workloads: [Workload] {
        workloadNames.isEmpty ? Workload.allCases : workloadNames.compactMap(Workload.init(rawValue:))
    }

    func validate() throws {
        let valid = Workload.allCases.map(\.rawValue)
        if let unknown = workloadNames.first(where: { !valid.contains($0) }) {
            throw ValidationError("unknown workload '\(unknown)'; valid workloads: \(valid.joined(separator: ", "))")
        }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard stepsScale > 0 else { throw ValidationError("--steps-scale must be positive") }
    }

    func run() throws {
        // Each step frees and reallocates the same large buffers; kept in the heap, they are not
        // faulted in afresh every step (see AllocatorTuning).
        AllocatorTuning.keepFreedMemoryForReuse()
        BLAS.threads = threads
        var torch = noTorch ? nil : startTorch()

        let workloads = workloads
        let cases = Case.all(workloads, modes: mode.modes, stepsScale: stepsScale)
        let info = RunInfo(
            date: ISO8601DateFormatter().string(from: Date()),
            machine: .current,
            engine: .init(blas: BLAS.library.description, threads: BLAS.threads, commit: gitDescription(of: Self.packageRoot)),
            torch: torch.map { .init(version: $0.hello.torch, threads: $0.hello.threads, mambapy: $0.hello.mambapy) },
            options: .init(workloads: workloads, mode: mode.rawValue, rounds: rounds, threads: threads,
                           stepsScale: stepsScale, torch: !noTorch))
        let measurements = measure(cases, rounds: rounds, torch: &torch)
        torch?.finish()

        printTable(measurements, info: info)
        let url = output.map { URL(fileURLWithPath: $0) }
            ?? Self.packageRoot.appendingPathComponent("benchmarks/results.json")
        try writeResults(measurements, info: info, to: url)
        print("results: \(url.path)")
    }

    /// The PyTorch side, or nil (with the reason on stderr) when python3 cannot run it.
    private func startTorch() -> TorchReference? {
        do {
            let torch = try TorchReference(script: Self.packageRoot.appendingPathComponent("scripts/pytorch_reference.py"),
                                           threads: threads)
            if !torch.hello.mambapy, workloads.contains(.mamba4rec) {
                log("PyTorch has no Mamba: mamba4rec runs on the engine only (`pip install mambapy` to compare)")
            }
            return torch
        } catch {
            log("PyTorch reference not run: \(error); `pip install torch` to compare")
            return nil
        }
    }
}
