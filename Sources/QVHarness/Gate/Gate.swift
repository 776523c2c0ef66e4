import Foundation

/// One compared (model, row, metric).
public struct GateEntry: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case unchanged, withinTolerance = "within tolerance", improved, regressed
        case missingCell = "missing cell", missingMetric = "missing metric"
        /// Only in the candidate (reported, not a failure).
        case new
        /// No tolerance applies (reported, not counted).
        case untracked
        public var isFailure: Bool { self == .regressed || self == .missingCell || self == .missingMetric }
    }

    public var model: String
    public var label: String
    /// "W4A4".
    public var bits: String
    public var metric: String
    public var baseline: Double?
    public var candidate: Double?
    public var allowance: Double?
    public var status: Status

    public var delta: Double? {
        guard let b = baseline, let c = candidate else { return nil }
        return c - b
    }
}

/// The gate's verdict: entries, counts, a Markdown table of what moved, and an exit code.
public struct GateReport: Sendable {
    public var entries: [GateEntry]
    public var passed: Int { entries.filter { !$0.status.isFailure && $0.status != .untracked && $0.status != .new }.count }
    public var failed: Int { entries.filter(\.status.isFailure).count }
    public var untracked: Int { entries.filter { $0.status == .untracked }.count }
    /// Regression → 1, else 0.
    public var exitCode: Int32 { failed > 0 ? 1 : 0 }

    /// "N passed, N failed" (plus untracked/new counts when non-zero).
    public var summaryLine: String {
        var line = "\(passed) passed, \(failed) failed"
        if untracked > 0 { line += ", \(untracked) not gated" }
        let new = entries.filter { $0.status == .new }.count
        if new > 0 { line += ", \(new) new" }
        return line
    }

    /// A Markdown table of every entry that moved or failed, then the summary line.
    public var markdown: String {
        let moved = entries.filter { $0.status.isFailure || ($0.delta ?? 0) != 0 || $0.status == .new }
        var out = "## Gate\n\n"
        if moved.isEmpty {
            out += "Nothing moved.\n\n"
        } else {
            out += "| model | row | metric | baseline | candidate | Δ | allowed | status |\n"
            out += "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |\n"
            for e in moved {
                let cells = [e.model, "\(e.label) \(e.bits)", e.metric, fmt(e.baseline), fmt(e.candidate),
                             e.delta.map { String(format: "%+.4f", $0) } ?? "—",
                             e.allowance.map { String(format: "%.4f", $0) } ?? "—",
                             e.status.isFailure ? "**\(e.status.rawValue)**" : e.status.rawValue]
                out += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
            }
            out += "\n"
        }
        return out + summaryLine + "\n"
    }

    private func fmt(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "—" }
}

/// Compares a candidate run with a baseline, metric by metric, with direction-aware tolerances.
public enum Gate {
    public static func compare(baseline: ResultsTable, candidate: ResultsTable, tolerances: Tolerances) -> GateReport {
        var candidateRows: [String: ResultRow] = [:]
        var candidateCells = Set<String>()
        for row in candidate.rows {
            candidateRows[row.identity] = row
            candidateCells.insert(row.rowIdentity)
        }
        var entries: [GateEntry] = []
        var matched = Set<String>()
        for b in baseline.rows {
            let rule = tolerances.rule(for: b.metric)
            guard let c = candidateRows[b.identity] else {
                let status: GateEntry.Status = candidateCells.contains(b.rowIdentity) ? .missingMetric : .missingCell
                entries.append(GateEntry(model: b.model, label: b.label, bits: "W\(b.w)A\(b.a)", metric: b.metric, baseline: b.value, candidate: nil,
                                         allowance: rule?.allowance(baseline: b.value), status: status))
                continue
            }
            matched.insert(b.identity)
            guard let rule else {
                entries.append(GateEntry(model: b.model, label: b.label, bits: "W\(b.w)A\(b.a)", metric: b.metric, baseline: b.value,
                                         candidate: c.value, allowance: nil, status: .untracked))
                continue
            }
            let allowance = rule.allowance(baseline: b.value)
            entries.append(GateEntry(model: b.model, label: b.label, bits: "W\(b.w)A\(b.a)", metric: b.metric, baseline: b.value, candidate: c.value,
                                     allowance: allowance, status: judge(b.value, c.value, rule: rule, allowance: allowance)))
        }
        for c in candidate.rows where !matched.contains(c.identity) {
            entries.append(GateEntry(model: c.model, label: c.label, bits: "W\(c.w)A\(c.a)", metric: c.metric, baseline: nil, candidate: c.value,
                                     allowance: nil, status: .new))
        }
        return GateReport(entries: entries)
    }

    /// Reads both CSVs and the tolerances file, then compares.
    public static func run(candidatePath: String, baselinePath: String, tolerancesPath: String) throws -> GateReport {
        compare(baseline: try ResultsTable.read(baselinePath), candidate: try ResultsTable.read(candidatePath),
                tolerances: try Tolerances.load(tolerancesPath))
    }

    static func judge(_ baseline: Double, _ candidate: Double, rule: Tolerances.Rule, allowance: Double) -> GateEntry.Status {
        if candidate.isNaN || baseline.isNaN { return candidate.isNaN && baseline.isNaN ? .unchanged : .regressed }
        if candidate == baseline { return .unchanged }
        let better: Double
        switch rule.direction {
        case .higher: better = candidate - baseline
        case .lower: better = baseline - candidate
        case .both: better = -abs(candidate - baseline)
        }
        if better >= 0 { return better > allowance ? .improved : .withinTolerance }
        return -better > allowance ? .regressed : .withinTolerance
    }
}
