import Foundation

/// The entry points behind `qvbench run`, `qvbench merge` and `qvbench gate`.
public enum HarnessCommands {
    /// `qvbench run <suite.yaml> [--jobs N] [--only …] [--filter …] [--shard i/n]`: runs the suite's
    /// unfinished selected cells and writes `reports/<suite>/results.csv` and `README.md` (a shard
    /// writes only its shard CSV; `merge` makes the report). Check `summary.exitCode`.
    public static func run(suitePath: String, executor: CellExecutor, options: RunOptions = RunOptions(),
                           command: String, paperDirectory: String = "fixtures/paper") throws -> RunSummary {
        let suite = try SuiteParser.load(suitePath)
        let paper = try PaperNumbers.load(directory: paperDirectory, tables: suite.paper)
        let summary = try SuiteRunner(executor: executor).run(suite, options: options)
        if options.selection.shard == nil {
            let inputs = ReportInputs(suite: suite, table: try ResultsTable.read(summary.resultsPath), records: summary.records,
                                      failures: summary.failures, command: command, wallSeconds: summary.wallSeconds, paper: paper)
            try ReportWriter.write(inputs, reportDirectory: reportDirectory(options.reportsRoot, suite.name),
                                   runsRoot: options.runsRoot)
        }
        return summary
    }

    /// `qvbench merge <suite.yaml> [shard.csv …]`: joins shard results (default: every
    /// `reports/<suite>/shards/*.csv`) into `reports/<suite>/results.csv` and writes the report,
    /// taking artefacts from the local cache where the cells are present.
    public static func merge(suitePath: String, shardPaths: [String] = [], reportsRoot: String = "reports",
                             runsRoot: String = "runs", command: String,
                             paperDirectory: String = "fixtures/paper") throws -> ResultsTable {
        let suite = try SuiteParser.load(suitePath)
        let dir = reportDirectory(reportsRoot, suite.name)
        var paths = shardPaths
        if paths.isEmpty {
            let shardDir = (dir as NSString).appendingPathComponent("shards")
            paths = ((try? FileManager.default.contentsOfDirectory(atPath: shardDir)) ?? [])
                .filter { $0.hasSuffix(".csv") }.sorted().map { (shardDir as NSString).appendingPathComponent($0) }
            guard !paths.isEmpty else {
                throw HarnessError.io(path: shardDir, reason: "no shard CSVs to merge (run with --shard i/n first, or name the files)")
            }
        }
        let merged = try ResultsTable.merge(try paths.map(ResultsTable.read))
        try merged.write(to: (dir as NSString).appendingPathComponent("results.csv"))
        let cache = CellCache(runsRoot: runsRoot, suite: suite.name)
        var records: [String: CellRecord] = [:]
        for key in Set(merged.rows.map(\.cell)) { if let r = cache.record(key) { records[key] = r } }
        let inputs = ReportInputs(suite: suite, table: merged, records: records, command: command,
                                  paper: try PaperNumbers.load(directory: paperDirectory, tables: suite.paper))
        try ReportWriter.write(inputs, reportDirectory: dir, runsRoot: runsRoot)
        return merged
    }

    /// `qvbench gate <candidate.csv> --against <baseline.csv> [--tolerances suites/tolerances.yaml]`:
    /// print `report.markdown`, exit with `report.exitCode`.
    public static func gate(candidatePath: String, baselinePath: String,
                            tolerancesPath: String = "suites/tolerances.yaml") throws -> GateReport {
        try Gate.run(candidatePath: candidatePath, baselinePath: baselinePath, tolerancesPath: tolerancesPath)
    }

    static func reportDirectory(_ root: String, _ suite: String) -> String {
        (root as NSString).appendingPathComponent(suite)
    }
}
