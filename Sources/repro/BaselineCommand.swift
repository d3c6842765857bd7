import ArgumentParser
import Engine
import Foundation
import Suite

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Run a paper under several BLAS kernels and store the baseline `check` compares against.",
        discussion: """
        Writes reproductions/<paper>/baselines.json: every final metric of every run group, seed by \
        seed, under each OpenBLAS kernel, and each claim's verdict under each. Each kernel runs in a \
        child process with OPENBLAS_CORETYPE set, its runs in <results>/kernels/<core>/ (kept and \
        reused). The default kernels are every one OpenBLAS picks on a processor of the kinds this \
        one is or supersedes, each a summation order of its own: on an AVX2 processor Prescott, \
        Core2, Penryn, Sandybridge, Haswell and Zen (Zen computes Haswell's bits and counts once); \
        on an AVX-512 one also SkylakeX (and Cooperlake with AVX-512 BF16). More distinct kernels \
        give the kernel spread more degrees of freedom and `check` tighter tolerances. Kernels this \
        processor cannot run are recorded on one that can, then kept with --keep. Commit the file \
        after reviewing the diff.

        --scale full writes reproductions/<paper>/baselines-full.json from the full-scale runs \
        already in the store, under this process's kernel (all of them must be there: `repro run \
        <paper> --scale full`). With --kernels it runs the full sweep again under each, which \
        costs that many full sweeps.

        Examples:
          repro baseline heavy-tailed-clipping
          repro baseline sign-methods --kernels Haswell,Prescott
          repro baseline sign-methods --kernels SkylakeX,Cooperlake --keep Prescott,Haswell,Zen   (on an AVX-512 machine)
          repro baseline ssm-recsys --scale full
        """)

    @Argument(help: "Paper id.") var paper: String
    @Option(name: .long, parsing: .unconditional, help: "Comma-separated OpenBLAS cores to record under (default: this processor's, see above).")
    var kernels: String?
    @Option(name: .long, help: "Comma-separated kernels of the existing baselines.json to keep beside the new ones.")
    var keep: String?
    @Option(name: .long, help: "quick (baselines.json) or full (baselines-full.json).") var scale: Scale = .quick
    @Flag(name: .long, help: "Recompute the kernels' runs instead of reusing stored ones.") var fresh = false
    @OptionGroup var common: CommonOptions

    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func validate() throws {
        if let kernels, Self.list(kernels).isEmpty { throw ValidationError("--kernels needs at least one OpenBLAS core, e.g. Haswell,Prescott") }
        let cores = Self.list(kernels), kept = Self.list(keep)
        if let both = cores.first(where: kept.contains) { throw ValidationError("\(both) is in both --kernels and --keep") }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try common.workspace(results: .write)
            let reproduction = try workspace.reproduction(paper)
            if scale == .full && kernels == nil {
                // The full sweep is not run again: its runs in the store, under the kernel that computed them.
                let experiments = try workspace.experiments(reproduction, scale: .full)
                let missing = experiments.flatMap(\.runs).filter { !workspace.store.isFinished($0) }.count
                guard missing == 0 else {
                    throw SuiteError("\(reproduction.id): \(missing) full-scale run(s) are not in \(workspace.store.root.path); "
                                     + "`repro run \(reproduction.id) --scale full\(workspace.commandOptions)` computes them")
                }
                let (core, record) = try BaselineKernels.kernel(of: experiments, in: workspace.store)
                _ = try workspace.baseline(reproduction, scale: .full, kernelStores: [core: workspace.store], records: [core: record],
                                           keeping: Self.list(keep))
                return
            }
            let cores = kernels == nil ? BaselineKernels.defaultCores(for: .current) : Self.list(kernels)
            guard !cores.isEmpty else {
                throw SuiteError("no OpenBLAS cores known for this processor; name them with --kernels")
            }
            let recorder = BaselineKernels(executable: BaselineKernels.currentExecutable, projectRoot: workspace.root,
                                           storesRoot: workspace.store.root.appendingPathComponent("kernels"),
                                           jobs: common.jobCount, force: fresh, log: workspace.log)
            let experiments = try workspace.experiments(reproduction, scale: scale)
            let (stores, records) = try recorder.record(reproduction, scale: scale, experiments: experiments, cores: cores)
            _ = try workspace.baseline(reproduction, scale: scale, kernelStores: stores, records: records, keeping: Self.list(keep))
        }
    }
}
