import Foundation

/// A paper target: it declares experiments, figures and claims; the suite runs, caches, plots and checks.
public protocol Reproduction: Sendable {
    /// Folder and command-line name, e.g. "heavy-tailed-clipping".
    var id: String { get }
    var title: String { get }
    /// e.g. "arXiv:2406.04443".
    var citation: String { get }
    /// Code the authors published for what is reproduced; empty when none is public or none could
    /// be found (the paper's README says which).
    var officialCode: [CodeLink] { get }
    /// Names in the dataset registry this paper reads (empty for purely synthetic papers).
    var datasets: [String] { get }
    /// The experiments at a scale, configured from the paper's folder `reproductions/<id>/`
    /// (read YAML through `ConfigFile`, the only place a sweep is written; a missing file is an error).
    func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment]
    var figures: [FigureRequest] { get }
    /// Tables of numbers written next to the figures (`<id>.csv`, `<id>.md`); none by default.
    var tables: [TableRequest] { get }
    var claims: [Claim] { get }
}

extension Reproduction {
    public var tables: [TableRequest] { [] }
}

/// A repository of published code, named by what it holds (e.g. "Mamba4Rec, the model").
public struct CodeLink: Sendable, Equatable {
    public let label: String
    public let url: String

    public init(_ label: String, url: String) {
        self.label = label
        self.url = url
    }
}

/// A set of runs sharing one body: `execute` maps a run's config to logged metrics.
public struct Experiment: Sendable {
    public let id: String
    public let title: String
    public internal(set) var runs: [RunConfig]
    /// Experiments whose runs this one reads (through `RunContext.artifacts(of:)`): the runner
    /// finishes them first.
    public let after: [String]
    /// Settings of the analysis of the runs (figures, tables, claims read them) that are no part of
    /// any run's key: changing them redraws figures without recomputing runs.
    public let analysis: [String: ConfigValue]
    /// Runs that time themselves (seconds per step, latency): the runner executes them one at a
    /// time with every core, after the other runs of their wave, so no concurrent run skews them.
    public let exclusive: Bool
    /// Final metrics that are counts the config sets (bits sent per step, samples drawn,
    /// parameters). When a baseline shows one the same under every seed and kernel, `check` holds
    /// it to 10⁻⁹ relative instead of the 10⁻³ floor that absorbs other builds' arithmetic: a
    /// compressor that keeps one element fewer changes the bits by less than 10⁻³. (TopK's bits
    /// count non-zero entries only, so a TopK that keeps zeros sends bits the training decides;
    /// the baseline then shows them vary and the usual rule applies.)
    public let exactMetrics: Set<String>
    public let execute: @Sendable (RunConfig, RunContext) throws -> Void
    /// The type a typed experiment's runs carry (`RunParameters`); nil for one that reads its runs'
    /// parameters by name.
    public internal(set) var parameterType: (any RunParameters.Type)?

    public init(id: String, title: String, runs: [RunConfig], after: [String] = [], analysis: [String: ConfigValue] = [:],
                exclusive: Bool = false, exactMetrics: Set<String> = [], execute: @escaping @Sendable (RunConfig, RunContext) throws -> Void) {
        self.id = id
        self.title = title
        self.runs = runs
        self.after = after
        self.analysis = analysis
        self.exclusive = exclusive
        self.exactMetrics = exactMetrics
        self.execute = execute
    }
}

extension Experiment {
    /// `items` split into waves by the experiment each belongs to: an experiment goes one wave after
    /// the latest of those it names in `after`, so a wave reads only runs of earlier waves; order
    /// within a wave is kept. The runner executes waves in turn; a Slurm sweep submits one job array
    /// per wave.
    public static func waves<Item>(_ items: [Item], of experiment: (Item) -> String, in experiments: [Experiment]) -> [[Item]] {
        var depth: [String: Int] = [:]
        func level(_ id: String, _ visiting: Set<String> = []) -> Int {
            if let d = depth[id] { return d }
            guard let e = experiments.first(where: { $0.id == id }), !visiting.contains(id) else { return 0 }
            let d = e.after.map { level($0, visiting.union([id])) + 1 }.max() ?? 0
            depth[id] = d
            return d
        }
        var waves: [[Item]] = []
        for item in items {
            let d = level(experiment(item))
            while waves.count <= d { waves.append([]) }
            waves[d].append(item)
        }
        return waves.filter { !$0.isEmpty }
    }
}
