import ArgumentParser
import QVHarness

/// `qvbench demo`: a small end-to-end training run that prints its loss.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a tiny DiT for a few hundred steps on synthetic clips and print the loss.")

    @Option(help: "Training steps.") var steps = 300
    @Option(help: "Random seed.") var seed: UInt64 = 0

    func run() throws {
        try TrainingDemo(steps: steps, seed: seed).run { line in print(line) }
    }
}
