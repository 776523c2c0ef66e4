import Foundation
import Testing
@testable import QVHarness

@Suite struct GateTests {
    func row(_ label: String, _ metric: String, _ value: Double, model: String = "wan-xs") -> ResultRow {
        ResultRow(cell: "k-\(label)", model: model, method: "qvgen", label: label, w: 4, a: 4, knobs: "", seed: 0,
                  metric: metric, value: value, wallSeconds: 1)
    }

    var baseline: ResultsTable {
        ResultsTable(rows: [row("QVGen", "imaging_quality", 0.60), row("QVGen", "latency_ms", 10),
                            row("LSQ", "imaging_quality", 0.55), row("LSQ", "scene", 0.20)])
    }

    var tolerances: Tolerances {
        Tolerances(rules: ["imaging_quality": .init(direction: .higher, absolute: 0.01),
                           "latency_ms": .init(direction: .lower, relative: 0.1)])
    }

    @Test func identicalRunPasses() {
        let report = Gate.compare(baseline: baseline, candidate: baseline, tolerances: tolerances)
        #expect(report.failed == 0 && report.passed == 3 && report.untracked == 1)
        #expect(report.exitCode == 0)
        #expect(report.markdown.contains("Nothing moved."))
        #expect(report.summaryLine == "3 passed, 0 failed, 1 not gated")
    }

    @Test func worsenedRunFailsWithATableOfWhatMoved() {
        var rows = baseline.rows
        rows[rows.firstIndex { $0.label == "QVGen" && $0.metric == "imaging_quality" }!].value = 0.58
        rows[rows.firstIndex { $0.metric == "latency_ms" }!].value = 11.5
        let report = Gate.compare(baseline: baseline, candidate: ResultsTable(rows: rows), tolerances: tolerances)
        #expect(report.failed == 2 && report.exitCode == 1)
        #expect(report.markdown.contains("| wan-xs | QVGen W4A4 | imaging_quality | 0.6000 | 0.5800 | -0.0200 | 0.0100 | **regressed** |"))
        #expect(report.markdown.contains("1 passed, 2 failed"))
    }

    @Test func improvementsAndSmallMovesPass() {
        var rows = baseline.rows
        rows[rows.firstIndex { $0.label == "QVGen" && $0.metric == "imaging_quality" }!].value = 0.65
        rows[rows.firstIndex { $0.metric == "latency_ms" }!].value = 10.5
        rows[rows.firstIndex { $0.label == "LSQ" && $0.metric == "imaging_quality" }!].value = 0.545
        let report = Gate.compare(baseline: baseline, candidate: ResultsTable(rows: rows), tolerances: tolerances)
        #expect(report.failed == 0 && report.exitCode == 0)
        #expect(report.entries.contains { $0.status == .improved })
        #expect(report.entries.filter { $0.status == .withinTolerance }.count == 2)
    }

    @Test func missingCellsAndMetricsFail() {
        let candidate = ResultsTable(rows: baseline.rows.filter { $0.label != "LSQ" && $0.metric != "latency_ms" }
                                     + [row("New row", "imaging_quality", 0.1)])
        let report = Gate.compare(baseline: baseline, candidate: candidate, tolerances: tolerances)
        #expect(report.entries.filter { $0.status == .missingCell }.count == 2)
        #expect(report.entries.filter { $0.status == .missingMetric }.count == 1)
        #expect(report.entries.filter { $0.status == .new }.count == 1)
        #expect(report.failed == 3 && report.exitCode == 1)
    }

    @Test func toleranceFileParsesAndReportsLines() throws {
        let shipped = try Tolerances.load("\(packageRoot)/suites/tolerances.yaml")
        #expect(shipped.rule(for: "imaging_quality") == .init(direction: .higher, absolute: 0.01))
        #expect(shipped.rule(for: "something_else")?.direction == .both)
        do {
            _ = try Tolerances.parse("scene: {direction: higher}\nfvd: {direction: down, abs: 1}\n", path: "t.yaml")
            Issue.record("accepted a bad direction")
        } catch let e as SuiteError {
            #expect(e.line == 2 && e.message.contains("higher, lower, both"))
        }
        let both = Tolerances.Rule(direction: .both, absolute: 0.1)
        #expect(Gate.judge(1.0, 1.05, rule: both, allowance: 0.1) == .withinTolerance)
        #expect(Gate.judge(1.0, 0.8, rule: both, allowance: 0.1) == .regressed)
        #expect(Gate.judge(1.0, 1.2, rule: both, allowance: 0.1) == .regressed)
    }

    @Test func gateReadsCSVFiles() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try baseline.write(to: dir + "/base.csv")
        var rows = baseline.rows
        rows[0].value -= 0.5
        try ResultsTable(rows: rows).write(to: dir + "/cand.csv")
        try "\"*\": {direction: higher, abs: 0.01}\n".write(toFile: dir + "/tol.yaml", atomically: true, encoding: .utf8)
        let report = try HarnessCommands.gate(candidatePath: dir + "/cand.csv", baselinePath: dir + "/base.csv",
                                              tolerancesPath: dir + "/tol.yaml")
        #expect(report.failed == 1 && report.passed == 3)
    }
}
