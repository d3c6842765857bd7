import ArgumentParser
import Datasets
import Engine
import Foundation
import Suite

/// The exit statuses of every command, as the README's table lists them.
enum ExitStatus: Int32, CaseIterable {
    /// Everything asked for was done and every check passed.
    case ok = 0
    /// A verdict is negative: `check` found a regression, `verify` a damaged run; or a run failed.
    case failed = 1
    /// The command cannot start: an unknown option or paper, a bad path, config or input file.
    case usage = 2
    /// A write failed: disk full, read-only or vanished folder, closed output. Finished runs stay.
    case writeFailed = 3
    /// Stopped by SIGINT or SIGTERM at a safe point (the code is 128 + the signal, as a shell reports a signal).
    case interrupted = 128

    var code: ExitCode { ExitCode(rawValue) }

    /// The exit code of `error`: its status's, and for a stop 128 + the signal (130, 143).
    static func code(of error: any Error) -> ExitCode {
        if let suite = error as? SuiteError, case .interrupted(let signal) = suite.kind { return ExitCode(128 + signal) }
        return of(error).code
    }

    /// The status of an error a command ends with.
    static func of(_ error: any Error) -> ExitStatus {
        switch error {
        case let suite as SuiteError:
            switch suite.kind {
            case .input: return .usage
            case .failed: return .failed
            case .io: return .writeFailed
            case .interrupted: return .interrupted
            }
        case is StandardStreams.WriteFailure: return .writeFailed
        case is ValidationError: return .usage
        case is DatasetError: return .usage
        default: return .failed
        }
    }
}

/// Runs a command body, turning its errors into one "error: …" line and the exit status of
/// `ExitStatus`.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        StandardStreams.diagnostic("error: \(error)\n")
        throw ExitStatus.code(of: error)
    }
}
