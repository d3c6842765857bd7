import ArgumentParser
import Suite

@main
struct Repro: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repro",
        abstract: "Reproduce optimization-for-ML papers: run experiments, draw figures, check against baselines.",
        version: SuiteInfo.version,
        subcommands: [DatasetsCommand.self]
    )
}
