import Foundation
import Suite

/// Where and how a paper's finished runs at one scale were computed, from their `summary.json`s:
/// what a reviewer needs to judge whether two sets of numbers are comparable.
public struct RunProvenance: Sendable, Equatable {
    /// Runs the current config declares at this scale, and how many of them are in the store.
    public var declared: Int
    public var finished: Int
    public var diverged: Int
    /// Summed over the finished runs: the compute spent, not the elapsed time of a parallel sweep.
    public var wallSeconds: Double
    public var engineVersions: [String]
    public var gitCommits: [String]
    public var blas: [String]
    public var blasThreads: [Int]
    public var hosts: [String]
    /// ISO 8601 time the most recent run finished.
    public var lastFinished: String?

    public init(declared: Int, summaries: [RunSummary]) {
        func distinct<T: Hashable & Comparable>(_ values: [T]) -> [T] { Array(Set(values)).sorted() }
        self.declared = declared
        finished = summaries.count
        diverged = summaries.filter(\.diverged).count
        wallSeconds = summaries.reduce(0) { $0 + $1.wallSeconds }
        engineVersions = distinct(summaries.map(\.engineVersion))
        gitCommits = distinct(summaries.map { $0.gitCommit ?? "unknown" })
        blas = distinct(summaries.map { [$0.blasVersion, $0.blasCore].compactMap { $0 }.joined(separator: " ") }.filter { !$0.isEmpty })
        blasThreads = distinct(summaries.map(\.blasThreads))
        hosts = distinct(summaries.map(\.host))
        // ISO 8601 times in one zone sort as text.
        lastFinished = summaries.map(\.finishedAt).max()
    }

    /// The date part of `lastFinished`.
    public var lastRunDate: String? { lastFinished.map { String($0.prefix(10)) } }
}
