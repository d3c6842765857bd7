/// Versions that identify results: a change to the result format invalidates stored run keys.
public enum SuiteInfo {
    public static let version = "0.1.0"
    public static let resultFormatVersion = 1
}
