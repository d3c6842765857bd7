import Engine

extension Pipeline {
    /// The final metrics the image and language-model experiments log from `takeBits()`: set by the
    /// boundaries' compressors and the activations' shapes, so `check` holds them as exact counts
    /// (`Experiment.exactMetrics`).
    static let bitsMetrics: Set<String> = ["bits_fw_per_step", "bits_bw_per_step"]
}
