import ArgumentParser
import Foundation
import QVHarness
import QVTensor

/// `qvbench run SUITE`: regenerate a suite's tables into reports/<suite>/ (cached, resumable, shardable).
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a suite (e.g. quick, ci, table1, ablations, efficiency) and write reports/<suite>/.")

    @Argument(help: "Suite name (suites/<name>.yaml) or path.") var suite = "quick"
    @Option(help: "Parallel cells (default: cores). BLAS always runs single-threaded inside a cell, so results do not depend on --jobs.") var jobs: Int?
    @Option(help: "Only rows whose label, group, method or model matches (comma-separated).") var only: [String] = []
    @Option(help: "field=value filters (model, method, label, w, a, group).") var filter: [String] = []
    @Option(help: "Run shard i/n of the cells (cluster arrays); join with `qvbench merge`.") var shard: String?

    func run() throws {
        let path = try SuiteParser.resolve(suite)
        let selection = try CellSelection(only: only, filters: filter, shard: try shard.map(CellSelection.Shard.parse))
        let workers = jobs ?? ComputeThreads.available
        // Always one BLAS thread: a multi-threaded sgemm splits its sums differently, and the cached
        // results (and the CI gate's baseline) must not depend on how many cells ran side by side.
        ComputeThreads.setBLAS(1)
        let summary = try HarnessCommands.run(suitePath: path, executor: QVBenchExecutor(),
                                              options: RunOptions(jobs: workers, selection: selection),
                                              command: (["qvbench"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
        print(summary.text)
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}

/// `qvbench merge SUITE [shard.csv …]`: join shard results into reports/<suite>/.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Merge shard result CSVs of a suite into one report.")
    @Argument(help: "Suite name or path.") var suite: String
    @Argument(help: "Shard CSVs (default: reports/<suite>/shards/*.csv).") var shards: [String] = []

    func run() throws {
        let table = try HarnessCommands.merge(suitePath: try SuiteParser.resolve(suite), shardPaths: shards,
                                              command: (["qvbench"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
        print("merged \(table.rows.count) rows")
    }
}

/// `qvbench gate CANDIDATE --against BASELINE`: the CI regression gate.
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate", abstract: "Compare a results CSV with a baseline using per-metric tolerances; non-zero exit on regression.")
    @Argument(help: "Results CSV to check.") var candidate: String
    @Option(help: "Baseline results CSV.") var against: String
    @Option(help: "Tolerances file.") var tolerances = "suites/tolerances.yaml"

    func run() throws {
        let report = try HarnessCommands.gate(candidatePath: candidate, baselinePath: against, tolerancesPath: tolerances)
        print(report.markdown)
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
