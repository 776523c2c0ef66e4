import Foundation
import QVTensor

/// The machine a report was produced on.
public struct MachineInfo: Sendable, Hashable {
    public var cores: Int
    public var cpuModel: String
    /// OpenBLAS's kernel family (e.g. "Haswell"): results differ in the last bits between families,
    /// so a report names the one it was computed with.
    public var blasKernel: String?

    public init(cores: Int, cpuModel: String, blasKernel: String? = nil) {
        self.cores = cores
        self.cpuModel = cpuModel
        self.blasKernel = blasKernel
    }

    /// Cores from the OS, the CPU model from /proc/cpuinfo ("unknown CPU" elsewhere) and the BLAS kernels in use.
    public static func current() -> MachineInfo {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return MachineInfo(cores: ProcessInfo.processInfo.activeProcessorCount, cpuModel: cpuModel(fromCPUInfo: text),
                           blasKernel: ComputeThreads.blasCore)
    }

    static func cpuModel(fromCPUInfo text: String) -> String {
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown CPU"
    }

    /// "AMD EPYC, 2 cores, OpenBLAS Haswell kernels": the Machine line of a report.
    public var description: String {
        "\(cpuModel), \(cores) cores" + (blasKernel.map { ", OpenBLAS \($0) kernels" } ?? "")
    }
}
