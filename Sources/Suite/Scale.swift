/// How big a reproduction's runs are: `quick` takes seconds per run (check, CI), `full` is the
/// closest to the paper this machine can do.
public enum Scale: String, Codable, CaseIterable, Sendable {
    case quick, full
}
