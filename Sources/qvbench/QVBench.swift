import ArgumentParser
import QVTensor

@main
struct QVBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qvbench",
        abstract: "Quantized video DiT benchmark: models, PTQ/QAT methods, VBench-style metrics, kernels.",
        subcommands: [Run.self, Merge.self, GateCommand.self, Teacher.self, Sample.self, Quantize.self, QAT.self, Metrics.self, DataCommand.self, Bench.self, Demo.self])

    static func main() {
        ComputeThreads.configureAllocator()
        ComputeThreads.setBLAS(ComputeThreads.configured)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
