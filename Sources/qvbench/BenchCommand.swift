import ArgumentParser
import Foundation
import QVHarness
import QVMetrics
import QVTensor

/// `qvbench bench …`: benchmarks that print numbers (never part of the tests).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print benchmark numbers (speed and memory are measured here, not in tests).",
        subcommands: [TensorBench.self, Kernels.self, Step.self, MetricsBench.self])

    struct TensorBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tensor",
            abstract: "DiT-like stack: forward and train-step time vs the same GEMMs alone (single thread).")

        @Option(help: "Timed repetitions (best is reported).") var repeats = 5

        func run() throws {
            print("Benchmark: DiT-like stack, hidden 128, 4 heads, MLP 4×, 128 tokens, batch 16, 4 blocks, 8 text tokens")
            let result = try TensorBenchmark(repeats: repeats).run()
            print(result.markdown)
        }
    }

    struct Kernels: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "W8A8/W4A4 GEMM vs sgemm, and per-step latency, weight bytes, peak memory of DiTs (FP32/W8A8/W4A4).")

        @Option(help: "Models for the step latency.") var models = ["wan-s", "wan-m"]
        @Flag(help: "Fewer shapes and repetitions.") var quick = false
        @Option(help: "Write CSV and Markdown into this directory.") var out: String?

        func run() throws {
            let report = EfficiencyReport(models: models, executable: CommandLine.arguments[0], quick: quick)
            let (md, csv) = try report.run { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            print("OpenBLAS core: \(ComputeThreads.blasCore)\n")
            print(md)
            if let out {
                try Files.makeDirectory(out)
                try Files.writeAtomically(md, to: out + "/efficiency.md")
                try Files.writeAtomically(csv, to: out + "/efficiency.csv")
            }
        }
    }

    struct Step: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One DiT's per-step latency in one mode (used by `bench kernels`).")
        @Option(help: "Model preset.") var model = "wan-s"
        @Option(help: "fp32, w8a8, w4a4 or w4a4-g64.") var mode = "fp32"
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            guard let m = StepLatency.Mode(rawValue: mode) else { throw ValidationError("mode must be fp32, w8a8, w4a4 or w4a4-g64") }
            let r = try StepLatency(model: model, mode: m).run()
            if json {
                print(String(decoding: try JSONEncoder().encode(r), as: UTF8.self))
            } else {
                print(String(format: "%@ %@: %.2f ms/step, %d weight bytes, peak RSS %.1f MiB", r.model, r.mode,
                             r.millisecondsPerStep, r.weightBytes, Double(r.peakResidentBytes ?? 0) / 1_048_576))
            }
        }
    }

    struct MetricsBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "metrics", abstract: "All eight VBench-style dimensions on a 16-frame 64×64 clip, one core (target ≤ 50 ms).")

        func run() throws {
            let r = try MetricsBenchmark.run()
            print(String(format: "%d×%d×%d clip, %d repetitions: median %.1f ms wall (min %.1f), median %.1f ms thread CPU",
                         r.frames, r.height, r.width, r.repetitions, r.medianMilliseconds, r.minimumMilliseconds,
                         r.medianThreadCPUMilliseconds))
        }
    }
}
