/// A workload as named on the command line (`--workload NAME`). Both sides build the same model
/// (shapes, initialisation scale, optimizer); `scripts/pytorch_reference.py` mirrors each one.
enum Workload: String, CaseIterable, Codable {
    case mlp, gpt, gptLarge = "gpt-large", resnet, sasrec, mamba4rec, sgemm, conv

    var summary: String {
        switch self {
        case .mlp: return "MLP 784-256-256-10, batch 128, Adam"
        case .gpt: return "GPT decoder 2×(d 128, 4 heads), T 64, batch 32, vocabulary 65, Adam"
        case .gptLarge: return "GPT decoder 4×(d 256, 8 heads), T 128, batch 32, vocabulary 65, Adam"
        case .resnet: return "ResNet width 16, one BasicBlock per layer, 1×28×28, batch 128, SGD momentum 0.9, wd 5e-4"
        case .sasrec: return "SASRec 2×(d 64, 2 heads, MLP 256), dropout 0.2, 23,715 items, batch 256 × L 50, Adam"
        case .mamba4rec: return "Mamba4Rec 1 layer (d 64, d_state 32, d_conv 4, expand 2), dropout 0.2, 23,715 items, batch 256 × L 50, Adam"
        case .sgemm: return "C = AB in float32: matmul allocates C (Tensor.matmul, torch.mm), blas writes a preallocated C (cblas_sgemm, torch.mm out=)"
        case .conv: return "the resnet workload's convolutions, batch 128, each pass alone: forward, input gradient, weight gradient (conv2d and its gradients; F.conv2d, torch.nn.grad)"
        }
    }

    /// Matrix shapes [m, n, k] that `sgemm` times: the MLP's first layer, then two square products.
    static let gemmShapes = [[128, 256, 784], [512, 512, 512], [1024, 1024, 1024]]

    /// Convolutions [input channels, output channels, input size, kernel, stride, padding] that `conv`
    /// times: every distinct layer of the `resnet` workload (width 16, 1×28×28), stem first, then each
    /// stage's strided 3×3, its 1×1 shortcut and its 3×3.
    static let convolutionShapes = [[1, 16, 28, 3, 1, 1], [16, 16, 28, 3, 1, 1],
                                    [16, 32, 28, 3, 2, 1], [16, 32, 28, 1, 2, 0], [32, 32, 14, 3, 1, 1],
                                    [32, 64, 14, 3, 2, 1], [32, 64, 14, 1, 2, 0], [64, 64, 7, 3, 1, 1],
                                    [64, 128, 7, 3, 2, 1], [64, 128, 7, 1, 2, 0], [128, 128, 4, 3, 1, 1]]
    static let convolutionBatch = 128

    /// Side of the output of a `convolutionShapes` entry.
    static func convolutionOutputSize(_ shape: [Int]) -> Int { (shape[2] + 2 * shape[5] - shape[3]) / shape[4] + 1 }

    /// Floating-point operations of one step of a shaped case: 2·m·n·k for sgemm; for a convolution
    /// 2·N·outH·outW·F·C·k², the same in each of its three passes.
    static func flops(_ workload: Workload, shape: [Int]) -> Double {
        guard workload == .conv else { return 2 * Double(shape.reduce(1, *)) }
        let side = convolutionOutputSize(shape)
        return 2 * Double(convolutionBatch * side * side * shape[1] * shape[0] * shape[3] * shape[3])
    }

    /// Timed steps per round before `--steps-scale`: about 1–3 s per side at 2 threads. Where one side
    /// is several times slower (PyTorch's recommenders, mambapy's Mamba above all; the engine's ResNet)
    /// the count is a compromise, and the recommenders' training, at seconds per step, takes 2 steps.
    /// Warm-up steps run once, when a mode is first timed.
    func schedule(_ mode: Mode, shape: [Int]? = nil) -> (steps: Int, warmup: Int) {
        switch (self, mode) {
        case (.mlp, .train): return (600, 5)
        case (.mlp, .inference): return (2000, 5)
        case (.gpt, .train): return (25, 2)
        case (.gpt, .inference): return (60, 2)
        case (.gptLarge, .train): return (2, 1)
        case (.gptLarge, .inference): return (6, 1)
        case (.resnet, .train): return (6, 1)
        case (.resnet, .inference): return (20, 1)
        case (.sasrec, .train), (.mamba4rec, .train): return (2, 1)
        case (.sasrec, .inference): return (10, 1)
        case (.mamba4rec, .inference): return (4, 1)
        case (.sgemm, _):
            // About 100 GFLOP per round: 2·m·n·k each call, at tens of GFLOP/s.
            return (max(10, Int(100e9 / Self.flops(self, shape: shape!))), 3)
        case (.conv, _):
            // About 10 GFLOP per round, 0.06 s at the GEMM rate: PyTorch's slowest passes here (a
            // 1×1 stride-2 input gradient) run at 2 GFLOP/s, five seconds a round.
            return (max(5, Int(10e9 / Self.flops(self, shape: shape!))), 2)
        default: preconditionFailure("\(rawValue) has no \(mode.rawValue) mode")
        }
    }
}

/// What a timed step is: a training step (forward, backward, optimizer), an inference batch (forward
/// only, no tape, evaluation mode), one of sgemm's two forms, or one of a convolution's three passes.
enum Mode: String, Codable {
    case train, inference, matmul, blas
    case forward, inputGradient = "input-grad", weightGradient = "weight-grad"
}

/// One row of the table: a mode of a workload (and, for sgemm, a matrix shape) that both sides time.
struct Case {
    let workload: Workload
    /// sgemm's [m, n, k]; nil for the models.
    let shape: [Int]?
    let mode: Mode
    let steps: Int
    let warmup: Int

    /// The row's first column and the key under which each side builds this workload once: sgemm's
    /// m×n×k; a convolution's channels in→out, input size, kernel and stride (`conv 16-32 28 3x3/2`).
    var label: String {
        guard let shape else { return workload.rawValue }
        guard workload == .conv else { return "\(workload.rawValue) \(shape.map(String.init).joined(separator: "x"))" }
        return "conv \(shape[0])-\(shape[1]) \(shape[2]) \(shape[3])x\(shape[3])/\(shape[4])"
    }

    /// sgemm and the convolutions are reported in GFLOP/s, the models in steps/s (batches/s for inference).
    var unit: String { shape == nil ? "steps/s" : "GFLOP/s" }

    /// Converts steps per second into `unit`.
    var workPerStep: Double { shape.map { Workload.flops(workload, shape: $0) / 1e9 } ?? 1 }

    /// Every case of `workloads` in `modes` (sgemm and conv, having neither training nor inference,
    /// always time all of their forms), with step counts multiplied by `stepsScale` (at least one step).
    static func all(_ workloads: [Workload], modes: [Mode], stepsScale: Double) -> [Case] {
        workloads.flatMap { workload -> [Case] in
            let runs: [([Int]?, Mode)] = switch workload {
            case .sgemm: Workload.gemmShapes.flatMap { shape in [(shape, Mode.matmul), (shape, .blas)] }
            case .conv: Workload.convolutionShapes.flatMap { shape in [(shape, Mode.forward), (shape, .inputGradient), (shape, .weightGradient)] }
            default: modes.map { (nil, $0) }
            }
            return runs.map { shape, mode in
                let (steps, warmup) = workload.schedule(mode, shape: shape)
                return Case(workload: workload, shape: shape, mode: mode,
                            steps: max(1, Int((Double(steps) * stepsScale).rounded())), warmup: warmup)
            }
        }
    }
}
