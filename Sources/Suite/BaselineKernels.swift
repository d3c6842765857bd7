import Engine
import Foundation

/// Computes a paper's quick runs under several OpenBLAS cores, one child `repro run` per core.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` once, when it is loaded, so a process runs one kernel: each
/// core gets a process of its own and a store of its own (`<results>/kernels/<core>/`), where its
/// runs stay and are reused by the next recording.
public struct BaselineKernels: Sendable {
    /// The `repro` executable the children run.
    public var executable: URL
    public var projectRoot: URL
    /// `<results>/kernels`.
    public var storesRoot: URL
    public var jobs: Int
    /// Recompute runs already in a kernel's store.
    public var force = false
    public var log: @Sendable (String) -> Void

    public init(executable: URL, projectRoot: URL, storesRoot: URL, jobs: Int, force: Bool = false, log: @escaping @Sendable (String) -> Void) {
        self.executable = executable
        self.projectRoot = projectRoot
        self.storesRoot = storesRoot
        self.jobs = jobs
        self.force = force
        self.log = log
    }

    /// The cores a baseline is recorded under on this processor: every kernel OpenBLAS would pick
    /// on some processor of the tiers this one runs, so a user's processor computes the bits of one
    /// of them (for the same OpenBLAS build). Each is an order of summation in sgemm of its own
    /// (Zen's is Haswell's; `BaselineFile.distinctKernels` counts them once), and their spread σ_w
    /// is what `Tolerance` extrapolates to kernels not recorded. The older tiers (Prescott's SSE3,
    /// Core2's SSSE3, Penryn's SSE4.1, Sandybridge's AVX without FMA), which any AVX2 processor
    /// runs, are there for the degrees of freedom: the kernel-means bound of `Tolerance` has K − 1,
    /// and for the 193 kernel-sensitive items of model-parallel-compression its t is about 12 300
    /// with two distinct kernels and 18 with five.
    public static func defaultCores(for cpu: CPUFeatures) -> [String] {
        #if arch(x86_64)
        var cores = ["Prescott"]
        if cpu.avx2 && cpu.fma { cores += ["Core2", "Penryn", "Sandybridge", "Haswell", "Zen"] }
        if cpu.avx512 { cores.append("SkylakeX") }
        if cpu.avx512bf16 { cores.append("Cooperlake") }
        return cores
        #else
        return []
        #endif
    }

    /// The `repro` binary of this process.
    public static var currentExecutable: URL {
        let link = URL(fileURLWithPath: "/proc/self/exe")
        if FileManager.default.fileExists(atPath: link.path) { return link.resolvingSymlinksInPath() }
        return URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])
    }

    public func store(_ core: String) -> RunStore { RunStore(root: storesRoot.appendingPathComponent(core)) }

    /// The one OpenBLAS core that computed every run of `experiments` in `store`, and its record
    /// (read from the runs' summaries, which name the kernel OpenBLAS actually ran).
    public static func kernel(of experiments: [Experiment], in store: RunStore) throws -> (core: String, record: BaselineFile.KernelRecord) {
        let summaries = try experiments.flatMap(\.runs).map { run -> RunSummary in
            guard let summary = try store.summary(run) else { throw SuiteError("run \(run.label) missing from \(store.root.path)") }
            return summary
        }
        // `blasCore` reads "Haswell (OPENBLAS_CORETYPE=Haswell, set by the user)": the core, then how it was chosen.
        let ran = Set(summaries.compactMap { $0.blasCore?.split(separator: " ").first.map(String.init) })
        guard ran.count == 1, let core = ran.first else {
            throw SuiteError("the runs in \(store.root.path) were computed with \(ran.isEmpty ? "no recorded" : "several") BLAS kernels "
                             + "(\(ran.sorted().joined(separator: ", "))); a baseline compares one kernel's runs with another's: recompute them under one")
        }
        let first = summaries.first
        let record = BaselineFile.KernelRecord(
            blas: [first?.blasVersion, first?.blasCore.map { "core \($0)" }, first?.blasLibrary].compactMap { $0 }.joined(separator: ", "),
            cpu: CPUFeatures.current.summary, commit: first?.gitCommit, date: first?.finishedAt ?? RunEnvironment.timestamp())
        return (core, record)
    }

    /// Runs `paper` at `scale` under each core and returns each core's store and what computed it
    /// (read back from the runs' summaries, which name the kernel OpenBLAS actually ran).
    public func record(_ paper: any Reproduction, scale: Scale = .quick, experiments: [Experiment], cores: [String]) throws
        -> (stores: [String: RunStore], records: [String: BaselineFile.KernelRecord]) {
        var stores: [String: RunStore] = [:], records: [String: BaselineFile.KernelRecord] = [:]
        for (index, core) in cores.enumerated() {
            let store = self.store(core)
            log("\(paper.id): kernel \(index + 1)/\(cores.count), OPENBLAS_CORETYPE=\(core), runs in \(store.root.path)")
            let process = Process()
            process.executableURL = executable
            process.arguments = ["run", paper.id, "--scale", scale.rawValue, "--root", projectRoot.path, "--results", store.root.path,
                                 "--jobs", "\(jobs)"] + (force ? ["--force"] : [])
            var environment = ProcessInfo.processInfo.environment
            environment["OPENBLAS_CORETYPE"] = core
            process.environment = environment
            try process.run()
            process.waitUntilExit()
            guard process.terminationReason == .exit, process.terminationStatus == 0 else {
                let how = process.terminationReason == .exit ? "exit status \(process.terminationStatus)" : "signal \(process.terminationStatus)"
                throw SuiteError("the quick runs of \(paper.id) under OPENBLAS_CORETYPE=\(core) failed (\(how)); "
                                 + "if this processor cannot run that kernel, leave it out of --kernels")
            }
            let (ran, record) = try Self.kernel(of: experiments, in: store)
            guard ran.caseInsensitiveCompare(core) == .orderedSame else {
                throw SuiteError("asked OpenBLAS for \(core), but runs in \(store.root.path) were computed with \(ran); "
                                 + "OpenBLAS does not offer \(core) here: leave it out of --kernels")
            }
            stores[core] = store
            records[core] = record
        }
        return (stores, records)
    }
}
