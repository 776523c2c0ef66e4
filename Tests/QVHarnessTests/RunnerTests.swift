import Foundation
import Testing
@testable import QVHarness

@Suite struct RunnerTests {
    func options(_ root: String, jobs: Int = 2, selection: CellSelection = .all) -> RunOptions {
        RunOptions(jobs: jobs, selection: selection, runsRoot: root + "/runs", reportsRoot: root + "/reports", showProgress: false)
    }

    @Test func runWritesCacheAndResultsAndRerunRecomputesNothing() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let suite = try smallSuite()
        let executor = FakeExecutor()
        let first = try SuiteRunner(executor: executor).run(suite, options: options(root))
        #expect(executor.runCount == 10 && first.executedKeys.count == 10 && first.failures.isEmpty)
        let cache = CellCache(runsRoot: root + "/runs", suite: "small")
        for key in first.selectedKeys {
            #expect(Files.exists(cache.cellDirectory(key) + "/result.json"))
            #expect(Files.exists(cache.cellDirectory(key) + "/log.txt"))
        }
        let csv = try String(contentsOfFile: first.resultsPath, encoding: .utf8)
        let table = try ResultsTable.read(first.resultsPath)
        #expect(table.rows.count == 10 * 9)

        let again = FakeExecutor()
        let second = try SuiteRunner(executor: again).run(suite, options: options(root))
        #expect(again.runCount == 0)
        #expect(second.text.hasPrefix("small: 10 selected cells, 0 run, 10 from the cache, 0 failed"))
        #expect(second.reusedKeys.count == 10 && second.executedKeys.isEmpty)
        #expect(try String(contentsOfFile: second.resultsPath, encoding: .utf8) == csv)
    }

    @Test func halfWrittenCellIsRedoneAndFinishedCellsAreNot() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let suite = try smallSuite()
        let first = try SuiteRunner(executor: FakeExecutor()).run(suite, options: options(root))
        let cache = CellCache(runsRoot: root + "/runs", suite: "small")
        // Simulate kill -9 mid-cell: the result is gone, a partial checkpoint and a temp file remain.
        let victim = first.selectedKeys[3]
        try FileManager.default.removeItem(atPath: cache.cellDirectory(victim) + "/result.json")
        try Data("half".utf8).write(to: URL(fileURLWithPath: cache.cellDirectory(victim) + "/result.json.tmp-123"))
        // And a corrupt result in another cell (torn write on a filesystem without atomic rename).
        let corrupt = first.selectedKeys[5]
        try Data("{\"key\": ".utf8).write(to: URL(fileURLWithPath: cache.cellDirectory(corrupt) + "/result.json"))

        let executor = FakeExecutor()
        let second = try SuiteRunner(executor: executor).run(suite, options: options(root))
        #expect(Set(executor.ranKeys) == [victim, corrupt])
        #expect(executor.filesSeen(victim).contains("checkpoint.bin"), "the executor gets the old directory to resume")
        #expect(second.records.count == 10)
        #expect(Files.exists(cache.cellDirectory(corrupt) + "/result.json.corrupt"))
        #expect(try ResultsTable.read(second.resultsPath) == ResultsTable.read(first.resultsPath).replacingWall(with: second))
    }

    @Test func failedCellsAreRecordedOthersGoOnAndRetryNextRun() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let suite = try smallSuite()
        let failing = FakeExecutor(failingLabels: ["LSQ"])
        let first = try SuiteRunner(executor: failing).run(suite, options: options(root))
        #expect(first.failures.count == 2 && first.executedKeys.count == 8 && first.exitCode == 1)
        let cache = CellCache(runsRoot: root + "/runs", suite: "small")
        for f in first.failures {
            guard case let .failed(failure) = cache.state(of: f.key) else { Issue.record("no failure.json"); continue }
            #expect(failure.reason.contains("simulated crash in LSQ"))
        }
        #expect(try ResultsTable.read(first.resultsPath).entries.count == 8)

        let fixed = FakeExecutor()
        let second = try SuiteRunner(executor: fixed).run(suite, options: options(root))
        #expect(Set(fixed.ranKeys) == Set(first.failures.map(\.key)))
        #expect(second.failures.isEmpty && second.exitCode == 0)
        for f in first.failures { #expect(!Files.exists(cache.cellDirectory(f.key) + "/failure.json")) }
    }

    @Test func onlyRunsTheSelectionAndTheReportAccumulates() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let suite = try smallSuite()
        let executor = FakeExecutor()
        let ranked = try SuiteRunner(executor: executor).run(suite, options: options(root, selection: try CellSelection(only: ["rank"])))
        #expect(executor.runCount == 6)
        #expect(try ResultsTable.read(ranked.resultsPath).entries.count == 6)
        let rest = try SuiteRunner(executor: executor).run(suite, options: options(root, selection: try CellSelection(only: ["lsq"])))
        #expect(executor.runCount == 8)
        #expect(try ResultsTable.read(rest.resultsPath).entries.count == 8)
        #expect(throws: HarnessError.self) {
            try SuiteRunner(executor: executor).run(suite, options: options(root, selection: try CellSelection(only: ["nothing"])))
        }
    }

    @Test func twoShardsMergedEqualTheUnshardedRun() throws {
        let suite = try smallSuite()
        let whole = temporaryDirectory("whole")
        defer { try? FileManager.default.removeItem(atPath: whole) }
        let unsharded = try SuiteRunner(executor: FakeExecutor()).run(suite, options: options(whole, jobs: 1))
        let sharded = temporaryDirectory("sharded")
        defer { try? FileManager.default.removeItem(atPath: sharded) }
        var paths: [String] = []
        var ran = 0
        for i in 1...2 {
            let executor = FakeExecutor()
            let selection = try CellSelection(shard: CellSelection.Shard(index: i, count: 2))
            paths.append(try SuiteRunner(executor: executor).run(suite, options: options(sharded, selection: selection)).resultsPath)
            ran += executor.runCount
        }
        #expect(ran == 10)
        #expect(paths[0].hasSuffix("reports/small/shards/results-1-of-2.csv"))
        let merged = try ResultsTable.merge(try paths.map(ResultsTable.read))
        let reference = try ResultsTable.read(unsharded.resultsPath)
        #expect(merged.withoutWall == reference.withoutWall)
        // Re-running unsharded over the shards' cache recomputes nothing and gives the merged file exactly.
        let executor = FakeExecutor()
        let all = try SuiteRunner(executor: executor).run(suite, options: options(sharded))
        #expect(executor.runCount == 0)
        #expect(try ResultsTable.read(all.resultsPath) == merged)
        #expect(try String(contentsOfFile: all.resultsPath, encoding: .utf8) == merged.csv)
    }

    @Test func mergeRejectsConflictingShards() throws {
        let row = ResultRow(cell: "k1", model: "wan-s", method: "fp", label: "FP", w: 16, a: 16, knobs: "", seed: 0,
                            metric: "scene", value: 0.5, wallSeconds: 1)
        var other = row
        other.value = 0.6
        #expect(throws: HarnessError.self) { try ResultsTable.merge([ResultsTable(rows: [row]), ResultsTable(rows: [other])]) }
        #expect(try ResultsTable.merge([ResultsTable(rows: [row]), ResultsTable(rows: [row])]).rows.count == 1)
    }

    @Test func harnessCommandsRunWritesReportAndMergeRebuildsIt() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let suitePath = root + "/small.yaml"
        try smallSuiteText.write(toFile: suitePath, atomically: true, encoding: .utf8)
        let summary = try HarnessCommands.run(suitePath: suitePath, executor: FakeExecutor(), options: options(root),
                                              command: "qvbench run small.yaml", paperDirectory: packageRoot + "/fixtures/paper")
        let readme = try String(contentsOfFile: root + "/reports/small/README.md", encoding: .utf8)
        #expect(readme.contains("`qvbench run small.yaml`"))
        #expect(readme.contains("![QVGen W4A4](figures/wan-xs_qvgen_w4a4_samples_"))
        let figures = try FileManager.default.contentsOfDirectory(atPath: root + "/reports/small/figures")
        #expect(figures.count == 10)
        for i in 1...2 {
            _ = try SuiteRunner(executor: FakeExecutor()).run(
                try SuiteParser.load(suitePath),
                options: options(root, selection: try CellSelection(shard: CellSelection.Shard(index: i, count: 2))))
        }
        let merged = try HarnessCommands.merge(suitePath: suitePath, reportsRoot: root + "/reports", runsRoot: root + "/runs",
                                               command: "qvbench merge small.yaml", paperDirectory: packageRoot + "/fixtures/paper")
        #expect(merged == (try ResultsTable.read(summary.resultsPath)))
    }
}

extension ResultsTable {
    var withoutWall: ResultsTable {
        ResultsTable(rows: rows.map { var r = $0; r.wallSeconds = 0; return r })
    }

    /// This table with each cell's wall time taken from `summary`'s records (cells redone in it).
    func replacingWall(with summary: RunSummary) -> ResultsTable {
        ResultsTable(rows: rows.map { var r = $0; r.wallSeconds = summary.records[r.cell]?.wallSeconds ?? r.wallSeconds; return r })
    }
}
