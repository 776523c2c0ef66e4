import Foundation

/// The machine a report was produced on.
public struct MachineInfo: Sendable, Hashable {
    public var cores: Int
    public var cpuModel: String

    public init(cores: Int, cpuModel: String) {
        self.cores = cores
        self.cpuModel = cpuModel
    }

    /// Cores from the OS and the CPU model from /proc/cpuinfo ("unknown CPU" elsewhere).
    public static func current() -> MachineInfo {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return MachineInfo(cores: ProcessInfo.processInfo.activeProcessorCount, cpuModel: cpuModel(fromCPUInfo: text))
    }

    static func cpuModel(fromCPUInfo text: String) -> String {
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown CPU"
    }

    public var description: String { "\(cores) cores, \(cpuModel)" }
}
