import Engine
import Foundation

/// The rates one case reached, one per round and side, in the case's unit.
struct Measurement {
    let testCase: Case
    var engine: [Double] = []
    /// nil where PyTorch did not time the case in that round (absent, without mambapy, or failed).
    var torch: [Double?] = []

    /// engine / torch within each round, so that a slow spell of the machine affects both sides of a ratio.
    var ratios: [Double] { zip(engine, torch).compactMap { e, t in t.map { e / $0 } } }
}

func median(_ values: [Double]) -> Double? {
    values.isEmpty ? nil : Quantiles.of(values, 0.5)
}

/// Times every case `rounds` times, engine and PyTorch back to back per case, so that both sides of a
/// ratio see the machine in the same state; which side goes first alternates between rounds, so
/// neither always inherits the other's warm caches or pays for its leftovers.
func measure(_ cases: [Case], rounds: Int, torch: inout TorchReference?) -> [Measurement] {
    var results = cases.map { Measurement(testCase: $0) }
    var built: [String: EngineSteps] = [:]
    var warmed: Set<String> = []

    func engineRate(_ c: Case) -> Double {
        settle()
        if built[c.label] == nil { built[c.label] = engineSteps(c.workload, shape: c.shape) }
        let step = built[c.label]![c.mode]!
        if warmed.insert("\(c.label) \(c.mode.rawValue)").inserted {
            for _ in 0..<c.warmup { step() }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<c.steps { step() }
        return Double(c.steps) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) * c.workPerStep
    }

    func torchRate(_ c: Case) -> Double? {
        guard let reference = torch, reference.supports(c.workload) else { return nil }
        settle()
        do {
            return try reference.rate(c)
        } catch TorchReference.Failure.stopped {
            log("PyTorch reference stopped; continuing with the engine only")
            torch = nil
        } catch {
            log("PyTorch failed on \(c.label) \(c.mode.rawValue): \(error)")
        }
        return nil
    }

    for round in 0..<rounds {
        let engineFirst = round % 2 == 0
        for i in results.indices {
            let c = results[i].testCase
            var engine = 0.0, reference: Double?
            if engineFirst {
                engine = engineRate(c)
                reference = torchRate(c)
            } else {
                reference = torchRate(c)
                engine = engineRate(c)
            }
            results[i].engine.append(engine)
            results[i].torch.append(reference)
            log("round \(round + 1)/\(rounds): \(c.label) \(c.mode.rawValue) (\(c.steps) step\(c.steps == 1 ? "" : "s")): "
                + "engine \(String(format: "%.2f", engine))" + (reference.map { String(format: ", torch %.2f", $0) } ?? "") + " \(c.unit)")
        }
    }
    return results
}

/// A pause before each side's turn: PyTorch's OpenMP workers spin for a while after a parallel
/// region, and without it the side timed next shares the cores with them (the engine's MLP steps
/// swung between 290 and 610 per second from round to round).
func settle() { Thread.sleep(forTimeInterval: 0.3) }

/// Progress and warnings go to stderr, keeping stdout for the table.
func log(_ message: String) {
    StandardStreams.diagnostic(message + "\n")
}
