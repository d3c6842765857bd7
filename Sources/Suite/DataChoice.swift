import Engine

/// Which data a sweep reads: `sample`, the small excerpt shipped in `datasets/samples` (quick
/// scale and the tests, so baselines do not depend on what a machine has cached), or `full`, the
/// real dataset from the cache (`repro datasets import NAME PATH` when it cannot be downloaded).
public enum DataChoice: String, Codable, Sendable, CaseIterable, NamedChoice { case sample, full }
