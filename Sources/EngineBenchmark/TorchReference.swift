import Foundation

/// The PyTorch side: `scripts/pytorch_reference.py` as one long-lived child process, so that it can
/// alternate with the engine round after round without Python's start-up each time. It reads one JSON
/// command per line and answers one JSON line (protocol in the script's docstring).
final class TorchReference {
    struct Hello: Decodable {
        let torch: String
        let threads: Int
        let mambapy: Bool
    }

    enum Failure: Error, CustomStringConvertible {
        /// python3, the script or torch is missing.
        case unavailable(String)
        /// The script exited; nothing more can be timed.
        case stopped
        /// The script could not time one case.
        case failed(String)

        var description: String {
            switch self {
            case .unavailable(let reason), .failed(let reason): return reason
            case .stopped: return "the script stopped"
            }
        }
    }

    private struct Command: Encodable {
        let workload: String
        let shape: [Int]?
        let mode: String
        let steps: Int
        let warmup: Int
    }

    private struct Answer: Decodable {
        let rate: Double?
        let error: String?
    }

    let hello: Hello
    private let process: Process
    private let commands: FileHandle
    private let answers: LineReader

    /// Starts the script with `threads` torch threads and reads its greeting; fails (with the reason)
    /// when python3 is missing or cannot import torch.
    init(script: URL, threads: Int) throws {
        // A child that dies would otherwise kill the benchmark with SIGPIPE on the next command;
        // ignored, the write fails instead and the benchmark carries on engine-only.
        signal(SIGPIPE, SIG_IGN)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--threads", "\(threads)"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        commands = input.fileHandleForWriting
        answers = LineReader(output.fileHandleForReading)
        do { try process.run() } catch { throw Failure.unavailable("cannot start python3: \(error)") }
        guard let line = answers.next() else { throw Failure.unavailable("python3 did not run the script") }
        if let answer = try? JSONDecoder().decode(Answer.self, from: Data(line.utf8)), let error = answer.error {
            throw Failure.unavailable(error)
        }
        guard let hello = try? JSONDecoder().decode(Hello.self, from: Data(line.utf8)) else {
            throw Failure.unavailable("unexpected greeting: \(line)")
        }
        self.hello = hello
    }

    /// Whether this PyTorch can run `workload` (Mamba4Rec needs mambapy).
    func supports(_ workload: Workload) -> Bool { workload != .mamba4rec || hello.mambapy }

    /// `testCase` timed by PyTorch, in the case's unit; the first command of a mode also warms it up.
    func rate(_ testCase: Case) throws -> Double {
        let command = Command(workload: testCase.workload.rawValue, shape: testCase.shape, mode: testCase.mode.rawValue,
                              steps: testCase.steps, warmup: testCase.warmup)
        do {
            try commands.write(contentsOf: try JSONEncoder().encode(command) + Data("\n".utf8))
        } catch {
            throw Failure.stopped
        }
        guard let line = answers.next() else { throw Failure.stopped }
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(line.utf8))
        guard let rate = answer?.rate else { throw Failure.failed(answer?.error ?? "unexpected answer: \(line)") }
        return rate * testCase.workPerStep
    }

    /// Closes the script's input, which ends its command loop, and waits for it to exit.
    func finish() {
        try? commands.close()
        process.waitUntilExit()
    }
}

/// Lines of a child's output as they arrive.
private final class LineReader {
    private let handle: FileHandle
    private var pending = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    /// The next line, nil at the end of the output.
    func next() -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = Data(pending[(newline + 1)...])
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            pending.append(chunk)
        }
    }
}
