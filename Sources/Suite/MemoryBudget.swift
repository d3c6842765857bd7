import Engine
import Foundation

/// The memory one run may take: a run whose `MemoryEstimate` exceeds it is refused before its first
/// step (`RunContext.admit`), with the estimate and this limit in the message, rather than started
/// and killed by the kernel minutes later.
///
/// By default it is the memory available when the runs start — the smaller of the kernel's
/// `MemAvailable` and what the process's cgroup still allows (a Slurm job's `--mem`, a container's
/// limit) — shared evenly by the runs in flight at once. `--memory-limit SIZE` sets it per run
/// instead; `--memory-limit none` turns the check off.
public struct MemoryBudget: Sendable, Equatable {
    public let bytes: Int
    /// Where the number comes from, for the refusal: "23.0 GiB available (MemAvailable), shared by 2 runs in flight".
    public let origin: String

    public init(bytes: Int, origin: String) {
        self.bytes = bytes
        self.origin = origin
    }

    /// What `--memory-limit` asks for.
    public enum Setting: Sendable, Equatable {
        /// The machine's available memory, shared by the runs in flight.
        case available
        case perRun(Int)
        case unlimited

        /// "16G", "512M", "2.5GiB", "8000000000" (bytes), or "none".
        public init(parsing text: String) throws {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased() == "none" {
                self = .unlimited
                return
            }
            let units: [(suffixes: [String], scale: Double)] = [
                (["tib", "tb", "t"], 0x1p40), (["gib", "gb", "g"], 0x1p30), (["mib", "mb", "m"], 0x1p20), (["kib", "kb", "k"], 0x1p10), (["b", ""], 1),
            ]
            let lower = trimmed.lowercased()
            for (suffixes, scale) in units {
                for suffix in suffixes where lower.hasSuffix(suffix) {
                    if let number = Double(lower.dropLast(suffix.count)), number > 0, number.isFinite, number * scale < 0x1p62 {
                        self = .perRun(Int(number * scale))
                        return
                    }
                }
            }
            throw SuiteError("--memory-limit: '\(text)' is not a size; write it like 16G, 512M or 2.5GiB (binary units), or none to run without the check")
        }

        /// The budget of each of `concurrentRuns` runs started together; nil when unchecked or
        /// when this system tells nothing of its memory.
        public func budget(concurrentRuns: Int) -> MemoryBudget? {
            switch self {
            case .unlimited: return nil
            case .perRun(let bytes): return MemoryBudget(bytes: bytes, origin: "--memory-limit \(MemoryEstimate.format(bytes))")
            case .available:
                guard let (available, source) = MemoryBudget.available() else { return nil }
                let runs = max(concurrentRuns, 1)
                let shared = runs > 1 ? ", shared by \(runs) runs in flight (--jobs)" : ""
                return MemoryBudget(bytes: available / runs, origin: "\(MemoryEstimate.format(available)) available (\(source))\(shared)")
            }
        }
    }

    /// The memory this process may still take, and where that figure comes from.
    static func available() -> (bytes: Int, source: String)? {
        var found: [(Int, String)] = []
        if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            found.append((kib * 1024, "MemAvailable in /proc/meminfo"))
        }
        if let cgroup = cgroupRoom() { found.append(cgroup) }
        return found.min { $0.0 < $1.0 }
    }

    /// The least room (limit minus usage) of this process's memory cgroup and its ancestors, v2
    /// (`memory.max`) or v1 (`memory.limit_in_bytes`), when any sets a limit: Slurm puts a job's
    /// `--mem` on the job's group, above the step's group the process runs in.
    static func cgroupRoom(membership: String = "/proc/self/cgroup", mount root: String = "/sys/fs/cgroup") -> (Int, String)? {
        guard let lines = try? String(contentsOfFile: membership, encoding: .utf8).split(separator: "\n") else { return nil }
        func number(_ path: String) -> Int? {
            (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        var groups: [(folder: String, limit: String, usage: String)] = []
        for line in lines {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let (mount, limit, usage): (String, String, String)
            if fields[1].isEmpty {
                (mount, limit, usage) = (root, "memory.max", "memory.current")
            } else if fields[1].split(separator: ",").contains("memory") {
                (mount, limit, usage) = (root + "/memory", "memory.limit_in_bytes", "memory.usage_in_bytes")
            } else {
                continue
            }
            // The group and each of its ancestors; inside a cgroup namespace the path may not exist
            // under the mount, whose root is then the group.
            var components = fields[2].split(separator: "/").map(String.init)
            while true {
                groups.append((mount + "/" + components.joined(separator: "/"), limit, usage))
                if components.isEmpty { break }
                components.removeLast()
            }
        }
        var room: (Int, String)?
        for group in groups {
            // "max" (v2) or a near-2⁶³ value (v1) means no limit there.
            guard let limit = number("\(group.folder)/\(group.limit)"), limit < 1 << 60 else { continue }
            let left = max(limit - (number("\(group.folder)/\(group.usage)") ?? 0), 0)
            if room == nil || left < room!.0 { room = (left, "the memory cgroup's limit \(MemoryEstimate.format(limit)) less its usage") }
        }
        return room
    }
}

/// A run refused because its estimate exceeds its budget. Its checkpoint, if an earlier attempt
/// left one, is kept for an attempt with a larger budget.
public struct MemoryRefusal: Error, CustomStringConvertible {
    public let estimate: MemoryEstimate
    public let budget: MemoryBudget

    public var description: String {
        "needs about \(MemoryEstimate.format(estimate.totalBytes)) at its peak (\(estimate.breakdown)), more than the "
            + "\(MemoryEstimate.format(budget.bytes)) one run may take here (\(budget.origin)); refused before its first step. "
            + "Lower the batch or the model's size in the config, run fewer runs at once (--jobs 1), or give a limit of your own "
            + "(--memory-limit \(Self.suggestedLimit(estimate.totalBytes)), or none to skip the check)"
    }

    /// `bytes` rounded up to whole GiB ("15G"), or whole MiB below one GiB ("24M"): a limit to suggest.
    static func suggestedLimit(_ bytes: Int) -> String {
        let (unit, suffix) = bytes >= 1 << 30 ? (1 << 30, "G") : (1 << 20, "M")
        return "\((bytes + unit - 1) / unit)\(suffix)"
    }
}
