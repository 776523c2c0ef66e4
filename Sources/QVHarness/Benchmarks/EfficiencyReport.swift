import Foundation
import QVKernels

/// `qvbench bench kernels`: integer GEMM throughput against sgemm at our and the paper's shapes,
/// and per-step latency / weight bytes / peak memory of DiTs in FP32, W8A8 and W4A4 (the paper's
/// Fig. 6 on this CPU). Each step-latency mode runs in its own child process so its peak resident
/// memory is its own.
public struct EfficiencyReport {
    public var models: [String]
    public var executable: String
    public var quick: Bool

    public init(models: [String] = ["wan-s", "wan-m"], executable: String, quick: Bool = false) {
        self.models = models
        self.executable = executable
        self.quick = quick
    }

    public func run(log: (String) -> Void) throws -> (markdown: String, csv: String) {
        log("kernels: timing W8A8 / W4A4 / W4A4-g64 against single-thread sgemm …")
        let shapes = quick ? Array(KernelBenchmark.defaultShapes.prefix(3)) : KernelBenchmark.defaultShapes
        let kernels = try KernelBenchmark.run(shapes: shapes, threads: 1, repetitions: quick ? 2 : 5)
        var rows: [StepLatency.Result] = []
        for model in models {
            for mode in StepLatency.Mode.allCases {
                log("step latency: \(model) \(mode.rawValue) (child process)")
                rows.append(try child(model: model, mode: mode))
            }
        }
        var md = "## Integer GEMM vs OpenBLAS sgemm (1 thread)\n\n" + kernels.markdown() + "\n\n"
        md += "## One sampling step (CFG batch 2), 1 thread\n\n| model | mode | ms / step | speed-up vs FP32 | weight bytes | vs FP32 | peak RSS (MiB) |\n|---|---|---|---|---|---|---|\n"
        var csv = "model,mode,ms_per_step,weight_bytes,peak_rss_bytes\n"
        for r in rows {
            let fp = rows.first { $0.model == r.model && $0.mode == "fp32" }
            md += String(format: "| %@ | %@ | %.2f | %.2f× | %d | %.3f | %.1f |\n", r.model, r.mode, r.millisecondsPerStep,
                         (fp?.millisecondsPerStep ?? .nan) / r.millisecondsPerStep, r.weightBytes,
                         Double(r.weightBytes) / Double(fp?.weightBytes ?? 1), Double(r.peakResidentBytes ?? 0) / 1_048_576)
            csv += "\(r.model),\(r.mode),\(r.millisecondsPerStep),\(r.weightBytes),\(r.peakResidentBytes ?? -1)\n"
        }
        return (md, kernels.csv() + "\n" + csv)
    }

    func child(model: String, mode: StepLatency.Mode) throws -> StepLatency.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["bench", "step", "--model", model, "--mode", mode.rawValue, "--json"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw HarnessError.invalid("step benchmark \(model) \(mode.rawValue) exited with status \(process.terminationStatus)")
        }
        return try JSONDecoder().decode(StepLatency.Result.self, from: data)
    }
}
