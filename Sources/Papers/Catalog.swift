import Demo
import HeavyTailedClipping
import ModelParallelCompression
import OptimizerBenchmark
import SignMethods
import SSMRecsys
import Suite

/// Every paper `repro` knows, and the suite's demo (seconds to run). Paper targets are added here as
/// they land; the suite itself never names a paper. A library of its own so that tests can walk
/// the same list the command line does.
public enum Catalog {
    public static let reproductions: [any Reproduction] = [HeavyTailedClipping(), SignMethods(), ModelParallelCompression(), SSMRecsys(),
                                                           OptimizerBenchmark(),
                                                           LeastSquaresDemo()]
}
