import Foundation
import Testing
@testable import QVHarness

/// Builds result entries from the paper's own numbers, so claim checks and tables can be tested
/// against the appendix.
func paperEntries(_ paper: PaperNumbers, family: String, model: String) -> [ResultRow] {
    let methods = ["Full precision": "fp", "ViDiT-Q": "vidit-q", "SVDQuant": "svdquant", "SVDQuant (group)": "svdquant",
                   "LSQ": "lsq", "Q-DM": "q-dm", "EfficientDM": "efficientdm", "QVGen": "qvgen"]
    var rows: [ResultRow] = []
    for p in paper.rows where p.family == family && p.table == "table1" {
        let method = methods[p.label]!
        let knobs = method == "qvgen" ? "decay=rank;lambda=0.5;phi=on;rank=32" : p.label == "SVDQuant (group)" ? "group=64;rank=32" : ""
        for (title, key) in MetricNames.vbench {
            rows.append(ResultRow(cell: "\(model)-\(p.label)-\(p.w)", model: model, method: method, label: p.label, w: p.w, a: p.a,
                                  knobs: knobs, seed: 0, metric: key, value: p.scores[title]! / 100, wallSeconds: 1))
        }
    }
    return rows
}

@Suite struct ReportTests {
    let paper = try! PaperNumbers.load(directory: "\(packageRoot)/fixtures/paper", tables: ["table1"])

    @Test func paperLayoutTableWithDeltasAndPaperRows() throws {
        let suite = try SuiteParser.load("\(packageRoot)/suites/table1.yaml")
        let table = ResultsTable(rows: paperEntries(paper, family: "wan", model: "wan-m"))
        let inputs = ReportInputs(suite: suite, table: table, command: "qvbench run suites/table1.yaml", wallSeconds: 125,
                                  machine: MachineInfo(cores: 2, cpuModel: "Test CPU"), date: Date(timeIntervalSince1970: 0), paper: paper)
        let md = ReportWriter.render(inputs)
        #expect(md.contains("- Command: `qvbench run suites/table1.yaml`"))
        #expect(md.contains("- Machine: Test CPU, 2 cores\n"))
        var withKernel = inputs
        withKernel.machine.blasKernel = "Haswell"
        #expect(ReportWriter.render(withKernel).contains("- Machine: Test CPU, 2 cores, OpenBLAS Haswell kernels\n"))
        #expect(md.contains("- Date: 1970-01-01T00:00:00Z"))
        #expect(md.contains("- Wall time: 2m05s"))
        #expect(md.contains("| Method | W/A | IQ | AQ | MS | DD | BC | SC | Scene | OC |"))
        // Wan 1.3B W4A4 QVGen: IQ 63.08; best W4A4 baseline IQ = EfficientDM 60.70 → +2.38.
        // DD 77.78 vs SVDQuant (group) 72.22? no: Q-DM 76.67 is lower than 72.22? best = 76.67 → +1.11.
        #expect(md.contains("| QVGen | 4/4 | 63.08 (+2.38) | 54.67 (+1.10) | 98.25 (-0.10) | 77.78 (+1.11) |"))
        #expect(md.contains("| *paper (Wan 1.3B)* |  | 63.08 (+2.38)"))
        // W3A3 QVGen IQ 67.35 vs best W3A3 baseline LSQ 58.80 → +8.55.
        #expect(md.contains("| QVGen | 3/3 | 67.35 (+8.55)"))
        #expect(md.contains("| Full precision | 16/16 | 64.30 | 58.21 |"))
        #expect(!md.contains("### cogx-m"), "models without results are left out")
    }

    @Test func claimsAreListedWithVerdicts() throws {
        let suite = try SuiteParser.load("\(packageRoot)/suites/table1.yaml")
        let rows = paperEntries(paper, family: "wan", model: "wan-m") + paperEntries(paper, family: "cogx", model: "cogx-m")
        let md = ReportWriter.render(ReportInputs(suite: suite, table: ResultsTable(rows: rows), command: "x", paper: paper))
        #expect(md.contains("| 1 | W4A4 QVGen is within a small margin of full precision on most dimensions | **held** |"))
        #expect(md.contains("| 9 | W4A4 runs faster and smaller than full precision | not measured |"))
    }

    @Test func ablationGroupsGetTheirOwnTablesWithThePapersAblationNumbers() throws {
        let suite = try SuiteParser.load("\(packageRoot)/suites/ablations.yaml")
        let paper = try PaperNumbers.load(directory: "\(packageRoot)/fixtures/paper", tables: suite.paper)
        var rows: [ResultRow] = []
        for row in suite.rows {
            for (_, key) in MetricNames.vbench {
                rows.append(ResultRow(cell: row.label, model: "wan-s", method: row.method, label: row.label, w: 4, a: 4,
                                      knobs: row.knobText, seed: 0, metric: key, value: 0.5, wallSeconds: 1))
            }
        }
        let md = ReportWriter.render(ReportInputs(suite: suite, table: ResultsTable(rows: rows), command: "x", paper: paper))
        #expect(md.contains("#### wan-s · rank"))
        #expect(md.contains("| *paper (Wan 1.3B)* |  | 62.71 | 54.47 | — | 74.62 | — | — | 14.42 | 22.81 |"))
    }

    @Test func latencySuiteShowsMeasurements() throws {
        let suite = try SuiteParser.load("\(packageRoot)/suites/efficiency.yaml")
        let rows = [("Full precision", "fp", 16, 20.0, 4e6), ("W4A4", "rtn", 4, 8.0, 6e5)].flatMap { label, method, bits, ms, bytes in
            [ResultRow(cell: label, model: "wan-s", method: method, label: label, w: bits, a: bits, knobs: "", seed: 0,
                       metric: MetricNames.latencyMs, value: ms, wallSeconds: 1),
             ResultRow(cell: label, model: "wan-s", method: method, label: label, w: bits, a: bits, knobs: "", seed: 0,
                       metric: MetricNames.modelBytes, value: bytes, wallSeconds: 1)]
        }
        let md = ReportWriter.render(ReportInputs(suite: suite, table: ResultsTable(rows: rows), command: "x"))
        #expect(md.contains("## Measurements"))
        #expect(md.contains("| wan-s | W4A4 | 4/4 | 8 | 6e+05 |"))
        #expect(md.contains("| 9 | W4A4 runs faster and smaller than full precision | **held** |"))
    }

    @Test func machineInfoReadsCPUModel() {
        #expect(MachineInfo.cpuModel(fromCPUInfo: "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Gold\nflags\t: x\n") == "Intel(R) Xeon(R) Gold")
        #expect(MachineInfo.current().cores >= 1)
        #expect(MachineInfo.current().blasKernel?.isEmpty == false)
    }

    @Test func staleFiguresAreRemovedAndCurrentOnesKept() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qv-report-figures-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/figures", withIntermediateDirectories: true)
        for name in ["m_fp_samples_old.png", "m_fp_samples_new.png", "notes.txt"] {
            FileManager.default.createFile(atPath: dir + "/figures/" + name, contents: Data([1]))
        }
        try ReportWriter.removeStaleFigures(in: dir, keeping: ["figures/m_fp_samples_new.png"])
        let left = try FileManager.default.contentsOfDirectory(atPath: dir + "/figures").sorted()
        #expect(left == ["m_fp_samples_new.png", "notes.txt"])
    }

    @Test func slugsAreFileSafe() {
        #expect(ReportWriter.slug("SVDQuant (group)") == "svdquant-group")
        #expect(ReportWriter.slug("λ = 1/4") == "1-4")
        #expect(ReportWriter.slug("+Φ") == "x")
    }
}
