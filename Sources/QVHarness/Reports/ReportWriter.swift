import Foundation

/// Everything a suite report is made from.
public struct ReportInputs: Sendable {
    public var suite: Suite
    public var table: ResultsTable
    /// Finished records by key (for artefacts); may be empty when reporting a merged CSV.
    public var records: [String: CellRecord]
    public var failures: [CellFailure]
    /// The one command that produced the report, e.g. "qvbench run suites/quick.yaml".
    public var command: String
    public var wallSeconds: Double?
    public var machine: MachineInfo
    public var date: Date
    public var paper: PaperNumbers
    public var thresholds: ClaimThresholds

    public init(suite: Suite, table: ResultsTable, records: [String: CellRecord] = [:], failures: [CellFailure] = [],
                command: String, wallSeconds: Double? = nil, machine: MachineInfo = .current(), date: Date = Date(),
                paper: PaperNumbers = PaperNumbers(rows: []), thresholds: ClaimThresholds = ClaimThresholds()) {
        self.suite = suite
        self.table = table
        self.records = records
        self.failures = failures
        self.command = command
        self.wallSeconds = wallSeconds
        self.machine = machine
        self.date = date
        self.paper = paper
        self.thresholds = thresholds
    }
}

/// Writes `reports/<suite>/README.md`: header, paper-layout tables with the paper's numbers beside
/// ours, other metrics, the nine claims, and the executors' plots and sample sheets (copied into
/// `figures/` so the report stands alone).
public enum ReportWriter {
    /// Renders the Markdown (pure; figure links point into `figures/`). `sheets`: per-model sample
    /// sheets `write` managed to compose (model → relative path, or the reason it could not).
    public static func render(_ inputs: ReportInputs, sheets: [(model: String, result: Result<String, HarnessError>)] = []) -> String {
        let suite = inputs.suite
        let entries = orderedEntries(inputs)
        var out = "# QVBench report: \(suite.name)\n\n"
        if !suite.description.isEmpty { out += suite.description + "\n\n" }
        out += "- Command: `\(inputs.command)`\n"
        out += "- Machine: \(inputs.machine.description)\n"
        out += "- Date: \(CellCache.timestamp(inputs.date))\n"
        if let wall = inputs.wallSeconds { out += "- Wall time: \(formatDuration(wall))\n" }
        if !inputs.records.isEmpty {
            let total = inputs.records.values.map(\.wallSeconds).reduce(0, +)
            out += "- Cell time: \(formatDuration(total)) summed over the cells, each timed in the run that computed it (cached cells cost this run nothing)\n"
        }
        let planned = CellPlanner.configurations(of: suite).count
        out += "- Cells: \(entries.count) of \(planned) with results"
        out += inputs.failures.isEmpty ? "\n" : ", \(inputs.failures.count) failed (see the end)\n"
        out += "- Scores: VBench-style proxies ×100 (DESIGN.md §8); aesthetic quality is the weakest proxy. "
        out += "QVGen rows show (Δ) against the best baseline at the same bits, as the paper does.\n\n"

        let hasScores = entries.contains { !ClaimData.scores($0).isEmpty }
        if hasScores {
            out += "## Results\n\n"
            for model in suite.models {
                let rows = entries.filter { $0.model == model }
                guard !rows.isEmpty else { continue }
                out += "### \(model)\n\n"
                // With groups, each group gets its own table; the model table keeps the ungrouped rows.
                let grouped = Set(suite.groups.flatMap(\.labels))
                let loose = rows.filter { !grouped.contains($0.label) }
                if !loose.isEmpty {
                    out += ScoreTables.table(loose, paper: inputs.paper, preferring: suite.paper.first) + "\n"
                }
                for group in suite.groups {
                    let groupRows = group.labels.flatMap { label in rows.filter { $0.label == label } }
                    guard !groupRows.isEmpty else { continue }
                    let preferred = suite.paper.first { $0 == "ablation_\(group.name)" }
                    out += "#### \(model) · \(group.name)\n\n" + ScoreTables.table(groupRows, paper: inputs.paper, preferring: preferred) + "\n"
                }
            }
        }
        if let other = ScoreTables.otherMetrics(entries) {
            out += hasScores ? "## Other metrics\n\n" : "## Measurements\n\n"
            out += other + "\n"
        }

        out += "## The paper's claims in this run\n\n| # | Claim | Verdict | Numbers |\n| --- | --- | --- | --- |\n"
        for (claim, verdict) in PaperClaims.evaluate(ClaimData(entries: entries, thresholds: inputs.thresholds)) {
            let mark = verdict.outcome == .held ? "**held**" : verdict.outcome == .notHeld ? "**not held**" : "not measured"
            out += "| \(claim.number) | \(claim.statement) | \(mark) | \(ScoreTables.escape(verdict.evidence)) |\n"
        }
        out += "\n"

        let figures = figureList(inputs)
        let samples = figures.filter { $0.name == "samples" }
        if !samples.isEmpty {
            out += "## Samples\n\n"
            for (model, result) in sheets {
                switch result {
                case let .success(path): out += "![\(model): samples per method](\(path))\n\n"
                case let .failure(error): out += "(No combined sheet for \(model): \(error).)\n\n"
                }
            }
            out += "| Model | Method | Frames |\n| --- | --- | --- |\n"
            for f in samples { out += "| \(f.model) | \(ScoreTables.escape(f.row)) | ![\(f.row)](\(f.relativePath)) |\n" }
            out += "\n"
        }
        let plots = figures.filter { $0.name != "samples" }
        if !plots.isEmpty {
            out += "## Plots\n\n"
            for f in plots { out += "- \(f.model) · \(f.row) · \(f.name)\n\n  ![\(f.model) \(f.row) \(f.name)](\(f.relativePath))\n\n" }
        }
        if !inputs.failures.isEmpty {
            out += "## Failed cells (retried on the next run)\n\n"
            for f in inputs.failures { out += "- \(f.title) (`\(f.key.prefix(12))`): \(f.reason)\n" }
            out += "\n"
        }
        return out
    }

    /// Copies PNG artefacts from the cache into `<reportDir>/figures/`, composes one sample sheet per
    /// model from the `samples` PNGs, and writes `<reportDir>/README.md`.
    public static func write(_ inputs: ReportInputs, reportDirectory: String, runsRoot: String) throws {
        let cache = CellCache(runsRoot: runsRoot, suite: inputs.suite.name)
        let figures = figureList(inputs)
        for f in figures {
            let source = (cache.cellDirectory(f.key) as NSString).appendingPathComponent(f.artefact)
            guard let data = FileManager.default.contents(atPath: source) else {
                throw HarnessError.io(path: source, reason: "artefact '\(f.name)' of \(f.model) · \(f.row) is missing from the cell directory")
            }
            try Files.writeAtomically(data, to: (reportDirectory as NSString).appendingPathComponent(f.relativePath))
        }
        var sheets: [(model: String, result: Result<String, HarnessError>)] = []
        for model in inputs.suite.models {
            let rows = figures.filter { $0.model == model && $0.name == "samples" }
            guard !rows.isEmpty else { continue }
            let relative = "figures/\(slug(model))_samples.png"
            do {
                let image = try SampleSheet.render(
                    title: "\(inputs.suite.name) - \(model)",
                    rows: rows.map { ($0.row, (reportDirectory as NSString).appendingPathComponent($0.relativePath)) })
                try SampleSheet.write(image, to: (reportDirectory as NSString).appendingPathComponent(relative))
                sheets.append((model, .success(relative)))
            } catch {
                sheets.append((model, .failure(.invalid("\(error)"))))
            }
        }
        try Files.writeAtomically(render(inputs, sheets: sheets), to: (reportDirectory as NSString).appendingPathComponent("README.md"))
        let current = Set(figures.map(\.relativePath) + sheets.compactMap { try? $0.result.get() })
        try removeStaleFigures(in: reportDirectory, keeping: current)
    }

    /// Deletes PNGs under `figures/` that the report no longer links (a cell whose key changed, e.g.
    /// after a new teacher, writes its figures under a new name), so committed reports do not pile up.
    static func removeStaleFigures(in reportDirectory: String, keeping current: Set<String>) throws {
        let dir = (reportDirectory as NSString).appendingPathComponent("figures")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        for name in names where name.hasSuffix(".png") && !current.contains("figures/" + name) {
            try FileManager.default.removeItem(atPath: (dir as NSString).appendingPathComponent(name))
        }
    }

    /// Result entries in suite order (models, then rows), kernel cells last.
    static func orderedEntries(_ inputs: ReportInputs) -> [ResultEntry] {
        let order = CellPlanner.configurations(of: inputs.suite).enumerated().reduce(into: [String: Int]()) { acc, item in
            let c = item.element.configuration
            acc["\(c.model)\u{1F}\(item.element.label)\u{1F}\(c.w)\u{1F}\(c.a)"] = item.offset
        }
        return inputs.table.entries.sorted {
            (order["\($0.model)\u{1F}\($0.label)\u{1F}\($0.w)\u{1F}\($0.a)"] ?? Int.max)
                < (order["\($1.model)\u{1F}\($1.label)\u{1F}\($1.w)\u{1F}\($1.a)"] ?? Int.max)
        }
    }

    struct Figure {
        var key: String, model: String, row: String, name: String, artefact: String, relativePath: String
    }

    /// PNG artefacts of the reported cells, with stable file names under `figures/`.
    static func figureList(_ inputs: ReportInputs) -> [Figure] {
        var out: [Figure] = []
        for e in orderedEntries(inputs) {
            guard let record = inputs.records[e.cell] else { continue }
            for name in record.result.artefacts.keys.sorted() {
                let path = record.result.artefacts[name]!
                guard path.lowercased().hasSuffix(".png") else { continue }
                let file = "figures/\(slug(e.model))_\(slug(e.label))_w\(e.w)a\(e.a)_\(slug(name))_\(e.cell.prefix(8)).png"
                out.append(Figure(key: e.cell, model: e.model, row: "\(e.label) W\(e.w)A\(e.a)", name: name,
                                  artefact: path, relativePath: file))
            }
        }
        return out
    }

    /// File-name-safe ASCII: letters and digits kept, runs of anything else → "-".
    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("-") {
                out += "-"
            }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-")).lowercased()
        return trimmed.isEmpty ? "x" : trimmed
    }
}
