import Engine
import Foundation

/// `reproductions/<paper>/baselines.json`: every final metric of every run group, seed by seed,
/// computed under each of several BLAS kernels, and each claim's verdict under each; written by
/// `repro baseline` and compared by `repro check`.
///
/// The kernels are there because arithmetic is a source of variation of its own: OpenBLAS sums a
/// product in a different order on each core it picks (Haswell/Zen on AVX2 processors,
/// SkylakeX/Cooperlake on AVX-512 ones), and a short training that is chaotic turns a last-bit
/// difference into a difference as large as a change of seed. A baseline recorded under one
/// kernel knows nothing of that, and `check` then fails on another processor where nothing
/// regressed. Like MLPerf's reference convergence points, the baseline is a sample of runs that
/// describes its own spread, pooled over several platforms.
public struct BaselineFile: Codable, Equatable, Sendable {
    public var paper: String
    public var scale: Scale
    public var resultFormatVersion: Int
    /// OpenBLAS core → the library, processor and commit its runs were computed with.
    public var kernels: [String: KernelRecord]
    /// "experiment/group" → its seeds and each final metric's values under each kernel.
    public var groups: [String: GroupRecord]
    /// Claim id → kernel → the claim's decision on that kernel's runs.
    public var claims: [String: [String: Claim.Decision]]

    public struct KernelRecord: Codable, Equatable, Sendable {
        /// `BLASLibrary.description` of the process that computed the runs.
        public var blas: String
        public var cpu: String
        public var commit: String?
        public var date: String

        /// This process: its BLAS, processor and checkout.
        public static var current: KernelRecord {
            KernelRecord(blas: BLASLibrary.shared.description, cpu: CPUFeatures.current.summary,
                         commit: RunEnvironment.gitCommit, date: RunEnvironment.timestamp())
        }
    }

    public struct GroupRecord: Codable, Equatable, Sendable {
        /// The groups' seeds, in the order of every value list.
        public var seeds: [Int]
        /// Metric → kernel → value per seed (+∞ for a diverged run, NaN for an undefined metric).
        public var metrics: [String: [String: [Double]]]
    }

    /// The baseline of one run store per kernel. Claims that throw on some kernel's runs are left
    /// out: `check` reports their error itself.
    /// `skipping`: "experiment/group" names left out (their runs are not all in the store).
    public static func measure(_ resultsByKernel: [String: ResultSet], records: [String: KernelRecord], claims: [Claim],
                               skipping: Set<String> = []) throws -> BaselineFile {
        guard let first = resultsByKernel.values.first else { throw SuiteError("a baseline needs the runs of at least one kernel") }
        var groups: [String: GroupRecord] = [:]
        for experiment in first.experiments {
            for group in try first.groups(experiment.id) where !skipping.contains("\(experiment.id)/\(group)") {
                let seeds = try first.runs(experiment.id, group: group).map(\.seed)
                var metrics: [String: [String: [Double]]] = [:]
                for (kernel, results) in resultsByKernel {
                    let summaries = try results.summaries(experiment.id, group: group)
                    for metric in Set(summaries.flatMap { $0.final.keys }) {
                        metrics[metric, default: [:]][kernel] = summaries.map { $0.metric(metric) ?? .nan }
                    }
                }
                groups["\(experiment.id)/\(group)"] = GroupRecord(seeds: seeds, metrics: metrics)
            }
        }
        var verdicts: [String: [String: Claim.Decision]] = [:]
        for claim in claims {
            for (kernel, results) in resultsByKernel {
                if let outcome = try? claim.evaluate(results) { verdicts[claim.id, default: [:]][kernel] = outcome.decision }
            }
        }
        return BaselineFile(paper: first.paper, scale: first.scale, resultFormatVersion: SuiteInfo.resultFormatVersion,
                            kernels: records, groups: groups, claims: verdicts)
    }

    /// Adds `kernels` of `old` (recorded on another machine) to this file. Their runs must be of the
    /// same groups, metrics and seeds; a kernel recorded at another commit is kept, but its record
    /// says which, so a reviewer sees it.
    public mutating func keep(_ kept: [String], from old: BaselineFile) throws {
        for kernel in kept {
            guard let record = old.kernels[kernel] else {
                throw SuiteError("the existing baseline of \(paper) has no kernel '\(kernel)' (has: \(old.kernels.keys.sorted().joined(separator: ", ")))")
            }
            guard kernels[kernel] == nil else { throw SuiteError("kernel \(kernel) is both recorded now and kept from the old baseline") }
            for (group, record) in groups {
                guard let previous = old.groups[group], previous.seeds == record.seeds else {
                    throw SuiteError("cannot keep kernel \(kernel): the old baseline has not the same runs of \(group); record \(kernel) again")
                }
                for metric in record.metrics.keys {
                    guard let values = previous.metrics[metric]?[kernel] else {
                        throw SuiteError("cannot keep kernel \(kernel): the old baseline has no \(group) \(metric) under it; record \(kernel) again")
                    }
                    groups[group]?.metrics[metric]?[kernel] = values
                }
            }
            for (claim, outcomes) in old.claims { if let held = outcomes[kernel] { claims[claim, default: [:]][kernel] = held } }
            kernels[kernel] = record
        }
    }

    /// The statistics `check` compares a fresh metric with.
    public func statistics(_ group: String, _ metric: String) -> MetricStatistics? {
        guard let values = groups[group]?.metrics[metric] else { return nil }
        return MetricStatistics(values: values, distinct: distinctKernels)
    }

    /// Every item's statistics, group → metric; `distinctKernels`, which reads the whole file,
    /// computed once for them all.
    public var allStatistics: [String: [String: MetricStatistics]] {
        let distinct = distinctKernels
        return groups.mapValues { $0.metrics.mapValues { MetricStatistics(values: $0, distinct: distinct) } }
    }

    /// Kernels whose every value differs somewhere from those of the kernels before them (by name):
    /// two cores that share an sgemm kernel and its blocking compute the same bits, and counting
    /// both would take one arithmetic for two independent ones.
    public var distinctKernels: [String] {
        var kept: [String] = []
        for kernel in kernels.keys.sorted() {
            let same = kept.contains { other in
                groups.values.allSatisfy { g in g.metrics.values.allSatisfy { v in Self.identical(v[kernel], v[other]) } }
            }
            if !same { kept.append(kernel) }
        }
        return kept
    }

    static func identical(_ a: [Double]?, _ b: [Double]?) -> Bool {
        guard let a, let b, a.count == b.count else { return a == nil && b == nil }
        return zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    /// Items (group × metric) the file holds.
    public var itemCount: Int { groups.values.reduce(0) { $0 + $1.metrics.count } }

    /// Items whose value some kernel moves: the m of `Tolerance`'s familywise level.
    public var kernelSensitiveItems: Int { Self.kernelSensitiveItems(in: allStatistics) }

    /// Per "experiment metric": the root mean square over the experiment's groups of the metric's
    /// relative seed spread (s/|center|), with the degrees of freedom summed; for `Tolerance`'s
    /// one-seed groups of a one-kernel baseline.
    public static func pooledSeedSpread(in statistics: [String: [String: MetricStatistics]]) -> [String: (relative: Double, degrees: Int)] {
        var sums: [String: (squares: Double, degrees: Int)] = [:]
        for (group, metrics) in statistics {
            let experiment = String(group.prefix { $0 != "/" })
            for (metric, s) in metrics where s.seedDegrees > 0 && s.center.isFinite && s.center != 0 {
                let relative = s.seedSpread / abs(s.center)
                sums["\(experiment) \(metric)", default: (0, 0)].squares += relative * relative * Double(s.seedDegrees)
                sums["\(experiment) \(metric)", default: (0, 0)].degrees += s.seedDegrees
            }
        }
        return sums.mapValues { (relative: ($0.squares / Double($0.degrees)).squareRoot(), degrees: $0.degrees) }
    }

    public static func kernelSensitiveItems(in statistics: [String: [String: MetricStatistics]]) -> Int {
        statistics.values.reduce(0) { $0 + $1.values.filter(\.isKernelSensitive).count }
    }

    // MARK: File

    /// Sorted keys, one line per metric with every kernel's values, so a re-baseline reads as a
    /// diff of the metrics that moved.
    /// The file of a scale's baseline in `reproductions/<paper>/`.
    public static func fileName(_ scale: Scale) -> String { scale == .quick ? "baselines.json" : "baselines-\(scale.rawValue).json" }

    public func write(to url: URL) throws {
        let compact = JSONEncoder()
        compact.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        compact.nonConformingFloatEncodingStrategy = .asText
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try compact.encode(value), as: UTF8.self) }
        func object(_ entries: [(String, String)], indent: String) throws -> String {
            guard !entries.isEmpty else { return "{}" }
            let lines = try entries.map { "\(indent)  \(try json($0.0)): \($0.1)" }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        }
        let claimLines = try claims.sorted { $0.key < $1.key }.map { ($0.key, try json($0.value)) }
        let groupLines = try groups.sorted { $0.key < $1.key }.map { group, record in
            let metrics = try record.metrics.sorted { $0.key < $1.key }.map { ($0.key, try json($0.value)) }
            return (group, try object([("metrics", try object(metrics, indent: "      ")), ("seeds", try json(record.seeds))], indent: "    "))
        }
        let kernelLines = try kernels.sorted { $0.key < $1.key }.map { ($0.key, try json($0.value)) }
        let text = try object([
            ("claims", try object(claimLines, indent: "  ")),
            ("groups", try object(groupLines, indent: "  ")),
            ("kernels", try object(kernelLines, indent: "  ")),
            ("paper", try json(paper)),
            ("resultFormatVersion", "\(resultFormatVersion)"),
            ("scale", try json(scale)),
        ], indent: "") + "\n"
        try Data(text.utf8).writeAtomically(to: url)
    }

    public static func read(from url: URL) throws -> BaselineFile? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .asText
        let file: BaselineFile
        do {
            file = try decoder.decode(BaselineFile.self, from: data)
        } catch let error as DecodingError {
            throw SuiteError("\(url.path): " + ConfigFile.describe(error) + "; regenerate it with `repro baseline`")
        }
        for (group, record) in file.groups {
            for (metric, byKernel) in record.metrics {
                for (kernel, values) in byKernel where values.count != record.seeds.count || file.kernels[kernel] == nil {
                    throw SuiteError("\(url.path): \(group) \(metric) has \(values.count) value(s) for kernel '\(kernel)' "
                                     + "but \(record.seeds.count) seed(s)\(file.kernels[kernel] == nil ? " and the kernel is not listed" : ""); "
                                     + "regenerate it with `repro baseline`")
                }
            }
        }
        return file
    }
}

/// One metric of a baseline, summarised for `check`: the value a fresh run is compared with and
/// how much arithmetic (the BLAS kernel) and seeds move it.
public struct MetricStatistics: Sendable, Equatable {
    /// The mean over kernels of each kernel's mean over its finite seeds.
    public var center: Double
    /// Each distinct kernel's mean over its finite seeds.
    public var kernelMeans: [String: Double]
    /// σ_w: the spread of one seed's value across kernels, pooled over the seeds finite under every
    /// kernel, with its degrees of freedom n·(K − 1).
    public var kernelSpread: Double
    public var kernelDegrees: Int
    /// K: the distinct kernels with values for this metric.
    public var kernelCount: Int
    /// s_m: the spread of the kernels' means over seeds, from the kernels with a finite mean
    /// (`meanCount`). It holds what the seeds share under one kernel (the fine-tunings of one
    /// pre-trained checkpoint), which σ_w, within one seed, does not see.
    public var meanSpread: Double
    public var meanCount: Int
    /// Seeds with a finite value under every kernel (n).
    public var completeSeeds: Int
    /// The spread across seeds within a kernel, pooled over kernels, with its degrees of freedom.
    public var seedSpread: Double
    public var seedDegrees: Int
    public var seeds: Int
    /// Diverged (non-finite) seeds: the fewest and the most of any kernel.
    public var diverged: ClosedRange<Int>
    /// Every seed under every kernel gave the same finite value.
    public var isConstant: Bool
    /// Some kernel moves the value: a seed's or the means' spread across kernels is not zero.
    public var isKernelSensitive: Bool { kernelSpread > 0 || meanSpread > 0 }

    init(values: [String: [Double]], distinct: [String]) {
        let used = distinct.filter { values[$0] != nil }
        let kernels = used.isEmpty ? values.keys.sorted() : used
        let columns = kernels.map { values[$0]! }
        seeds = columns.first?.count ?? 0
        let all = columns.flatMap { $0 }
        isConstant = !all.isEmpty && all.allSatisfy { $0.isFinite && $0 == all[0] }
        let finiteCounts = columns.map { $0.filter(\.isFinite).count }
        diverged = (seeds - (finiteCounts.max() ?? 0))...(seeds - (finiteCounts.min() ?? 0))
        var means: [String: Double] = [:]
        for (kernel, column) in zip(kernels, columns) {
            let finite = column.filter(\.isFinite)
            means[kernel] = finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
        }
        kernelMeans = means
        kernelCount = kernels.count
        let finiteMeans = means.values.filter(\.isFinite)
        center = finiteMeans.isEmpty ? .nan : finiteMeans.reduce(0, +) / Double(finiteMeans.count)
        meanCount = finiteMeans.count
        meanSpread = meanCount > 1 ? (finiteMeans.reduce(0) { [center] in $0 + ($1 - center) * ($1 - center) } / Double(meanCount - 1)).squareRoot() : 0

        var within = 0.0, complete = 0
        for seed in 0..<seeds {
            let row = columns.map { $0[seed] }
            guard row.allSatisfy(\.isFinite) else { continue }
            let mean = row.reduce(0, +) / Double(row.count)
            within += row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            complete += 1
        }
        completeSeeds = complete
        kernelDegrees = complete * (kernels.count - 1)
        kernelSpread = kernelDegrees > 0 ? (within / Double(kernelDegrees)).squareRoot() : 0

        var squares = 0.0, degrees = 0
        for column in columns {
            let finite = column.filter(\.isFinite)
            guard finite.count > 1 else { continue }
            let mean = finite.reduce(0, +) / Double(finite.count)
            squares += finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            degrees += finite.count - 1
        }
        seedDegrees = degrees
        seedSpread = degrees > 0 ? (squares / Double(degrees)).squareRoot() : 0
    }
}

/// How far a fresh mean over seeds may be from a baseline's center.
///
/// A fresh check runs the baseline's seeds on a kernel that may be none of the recorded ones. Its
/// mean then differs from the center by the kernels' effect alone. Two estimates of how much, and
/// the tolerance takes the larger: from one seed's spread across kernels, a difference of variance
/// σ_w²·(1 + 1/K)/n for K kernels and n seeds, bounded by t_{n(K−1)}·σ_w·√((1 + 1/K)/n); and from
/// the kernels' means directly, the prediction bound of a new kernel's mean t_{K−1}·s_m·√(1 + 1/K),
/// which stays right when a kernel moves all seeds together (fine-tunings of one pre-trained
/// checkpoint, computed under that kernel) and σ_w/√n would understate it. t quantiles, because
/// both spreads rest on few degrees of freedom.
///
/// (K′ in the second bound counts the kernels with a finite mean, which is K unless some kernel
/// diverged on every seed.) The level is familywise: a paper's check tests its m kernel-sensitive
/// items at once, and at 99.9 % each, 200 of them would fail one in five checks on a new kernel
/// though nothing regressed. Each item gets 1 − 1 %/m (Bonferroni), so a paper checked with the
/// baseline's seeds passes on a new kernel with probability at least 99 %. When the fresh run has other seeds than the baseline, the seeds'
/// spread adds t_{ν_s}·s·√(1/n_b + 1/n). A floor of 10⁻³ relative (other builds of OpenBLAS and
/// libm, which no kernel of this machine shows) and 10⁻⁹ absolute (metrics that are exactly zero)
/// stays; a metric the experiment declares exact (`Experiment.exactMetrics`) has 10⁻⁹ relative
/// instead when every recorded seed and kernel gave it the same value.
///
/// A baseline of one kernel (the full-scale ones: recording a full sweep under several kernels
/// costs that many sweeps) has no kernel term. It then takes a kernel it never saw to move a run
/// as a change of seed does, which is what the quick baselines measured for chaotic trainings:
/// the seeds' term is added as if the seeds differed. A group of one seed has no spread of its
/// own and takes the relative spread of the same metric pooled over its experiment's other groups
/// (`pooledSeedSpread`). Runs that share an upstream run (fine-tunings of one pre-trained
/// checkpoint) move together under a new kernel, which no seed spread shows.
public enum Tolerance {
    public static let familywise = 0.99, relative = 1e-3, exactRelative = 1e-9, absolute = 1e-9

    /// The two-sided level of each of `items` items tested together.
    public static func confidence(items: Int) -> Double { 1 - (1 - familywise) / Double(max(items, 1)) }

    /// `items`: the paper's kernel-sensitive items (`BaselineFile.kernelSensitiveItems`).
    /// `pooled`: the relative seed spread of the metric over the experiment's groups, with its
    /// degrees of freedom, for a one-kernel baseline's groups of one seed.
    public static func of(_ s: MetricStatistics, items: Int, seedsNow: Int, sameSeeds: Bool, exact: Bool = false,
                          pooled: (relative: Double, degrees: Int)? = nil) -> Double {
        let level = confidence(items: items)
        var kernel = 0.0
        if s.kernelDegrees > 0 {
            kernel = quantile(level, s.kernelDegrees) * s.kernelSpread * ((1 + 1 / Double(s.kernelCount)) / Double(s.completeSeeds)).squareRoot()
        }
        if s.meanCount > 1 {
            kernel = max(kernel, quantile(level, s.meanCount - 1) * s.meanSpread * (1 + 1 / Double(s.meanCount)).squareRoot())
        }
        var variance = kernel * kernel
        var (seedSpread, seedDegrees) = (s.seedSpread, s.seedDegrees)
        if s.kernelCount == 1 && seedDegrees == 0, let pooled, pooled.degrees > 0, s.center.isFinite {
            (seedSpread, seedDegrees) = (pooled.relative * abs(s.center), pooled.degrees)
        }
        if (!sameSeeds || s.kernelCount == 1) && seedDegrees > 0 {
            let t = quantile(level, seedDegrees)
            variance += t * t * seedSpread * seedSpread * (1 / Double(max(s.seeds, 1)) + 1 / Double(max(seedsNow, 1)))
        }
        return max(variance.squareRoot(), (exact && s.isConstant ? exactRelative : relative) * abs(s.center.isFinite ? s.center : 0), absolute)
    }

    static func quantile(_ level: Double, _ degrees: Int) -> Double {
        StudentT.quantile(1 - (1 - level) / 2, degreesOfFreedom: Double(degrees))
    }

    /// The rule in one sentence, for `check --help`, the report and the README.
    public static let rule = "passes when |now − center| ≤ max(t·σ_w·√((1 + 1/K)/n), t'·s_m·√(1 + 1/K), 10⁻³·|center|, 10⁻⁹), "
        + "the center being the mean over the baseline's K kernels, σ_w the spread of a seed's value across kernels, "
        + "s_m the spread of the kernels' means, n the seeds, and t, t' the two-sided Student-t quantiles with n(K − 1) and K − 1 "
        + "degrees of freedom at 1 − 1 %/m for the paper's m kernel-sensitive items (99 % for the paper as a whole); "
        + "and as many seeds diverged as under some recorded kernel; "
        + "counts the config sets (bits sent, samples, parameters) that every recorded seed and kernel reproduced have 10⁻⁹·|center| for the floor; "
        + "a baseline of one kernel (baselines-full.json) adds the seeds' spread t_s·s·√(1/n_b + 1/n), taking a new kernel to move a run "
        + "as a change of seed does (a group of one seed: the metric's relative spread pooled over its experiment)"
}
