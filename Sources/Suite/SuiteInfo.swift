/// Versions that identify results: a change to the result format invalidates stored run keys.
public enum SuiteInfo {
    public static let version = "0.2.0"
    /// Part of every run key; bump when a change makes stored runs incomparable with new ones.
    public static let resultFormatVersion = 1
}
