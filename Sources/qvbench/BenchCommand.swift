import ArgumentParser
import QVHarness

/// `qvbench bench …`: benchmarks that print numbers (never part of the tests).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print benchmark numbers (speed and memory are measured here, not in tests).",
        subcommands: [TensorBench.self])

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
}
