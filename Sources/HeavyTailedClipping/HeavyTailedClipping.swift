import Engine
import Figures
import Foundation
import Suite

/// "Gradient Clipping Improves AdaGrad when the Noise Is Heavy-Tailed" (Chezhegov, Klyukin, Semenov,
/// Beznosikov, Gasnikov, Horváth, Takáč, Gorbunov; arXiv:2406.04443).
///
/// Experiments `paper-quadratic` (the 1-d quadratic of the paper's official code, §4) and
/// `synthetic` (a 10-d quadratic under Gaussian, Student-t and α-stable noise, with Adam and SGD
/// too): many runs per method and the quantiles of the optimality gap. The sweeps are read from
/// `reproductions/heavy-tailed-clipping/experiments.yaml`, the only place the sweep is written.
/// Deviations from the paper are listed in that folder's README.
public struct HeavyTailedClipping: Reproduction {
    public init() {}

    public var id: String { "heavy-tailed-clipping" }
    public var title: String { "Gradient clipping improves AdaGrad when the noise is heavy-tailed" }
    public var citation: String { "arXiv:2406.04443" }
    public var officialCode: [CodeLink] { [CodeLink("the authors' notebooks and fine-tuning scripts", url: "https://github.com/yaroslavkliukin/Clipped-AdaGrad-and-Adam")] }
    public var datasets: [String] { ["tinyshakespeare"] }

    public func experiments(scale: Scale, configDirectory: URL) throws -> [Experiment] {
        let config = try Self.config(configDirectory)
        return [
            try SyntheticExperiment.make(config.paperQuadratic, scale: scale, paper: id, id: SyntheticExperiment.paperID,
                                         title: "paper's quadratic: f = x²/2, Pareto-tailed noise (α = 1.5), AdaGrad variants ± clipping"),
            try SyntheticExperiment.make(config.synthetic, scale: scale, paper: id, id: SyntheticExperiment.id,
                                         title: "quadratic, \(config.synthetic.problem.dimension)-d, Gaussian / Student-t / α-stable noise"),
            try CharLMExperiment.make(config.charLM, scale: scale, paper: id),
            try GradientNoiseExperiment.make(config.charLM, scale: scale, paper: id),
        ]
    }

    static func config(_ directory: URL) throws -> HeavyTailedClippingConfig {
        try ConfigFile.load(HeavyTailedClippingConfig.self, from: directory.appendingPathComponent("experiments.yaml"))
    }

    public var figures: [FigureRequest] { SyntheticFigures.requests + CharLMFigures.requests }
    public var tables: [TableRequest] { SyntheticTables.requests + CharLMTables.requests }
    public var claims: [Claim] { SyntheticClaims.all + CharLMClaims.all }

}
