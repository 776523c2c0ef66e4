import Foundation

/// The paper-layout tables: rows × the eight VBench columns (×100, two decimals), QVGen rows with
/// their delta against the best baseline at the same bits, and the paper's row beneath ours.
enum ScoreTables {
    static var titles: [String] { MetricNames.vbench.map(\.title) }

    /// One Markdown table for `entries` (already in display order) of one model.
    static func table(_ entries: [ResultEntry], paper: PaperNumbers, preferring table: String?) -> String {
        var out = "| Method | W/A | " + titles.joined(separator: " | ") + " |\n"
        out += "| --- | --- |" + String(repeating: " ---: |", count: titles.count) + "\n"
        let ours = entries.map { ClaimData.scores($0) }
        let ourDeltas = deltas(methods: entries.map(\.method), bits: entries.map { ($0.w, $0.a) }, scores: ours)
        let paperRows = entries.map { paper.row(family: $0.family, label: $0.label, w: $0.w, a: $0.a, preferring: table) }
        let paperDeltas = deltas(methods: entries.map(\.method), bits: entries.map { ($0.w, $0.a) },
                                 scores: paperRows.map { $0?.scores ?? [:] })
        for (i, e) in entries.enumerated() {
            out += row(e.label, "\(e.w)/\(e.a)", ours[i], ourDeltas[i])
            if let p = paperRows[i] {
                out += row("*paper (\(p.paperModel))*", "", p.scores, paperDeltas[i])
            }
        }
        return out
    }

    static func row(_ label: String, _ bits: String, _ scores: [String: Double], _ delta: [String: Double]) -> String {
        let cells = titles.map { t -> String in
            guard let v = scores[t] else { return "—" }
            return String(format: "%.2f", v) + (delta[t].map { String(format: " (%+.2f)", $0) } ?? "")
        }
        return "| \(escape(label)) | \(bits) | " + cells.joined(separator: " | ") + " |\n"
    }

    /// For QVGen rows: score − best baseline (non-FP, non-QVGen method) at the same bits, per column.
    static func deltas(methods: [String], bits: [(Int, Int)], scores: [[String: Double]]) -> [[String: Double]] {
        methods.indices.map { i in
            guard methods[i] == "qvgen" else { return [:] }
            var out: [String: Double] = [:]
            for t in titles {
                guard let mine = scores[i][t] else { continue }
                let rivals = methods.indices.filter {
                    methods[$0] != "fp" && methods[$0] != "qvgen" && bits[$0] == bits[i]
                }.compactMap { scores[$0][t] }
                if let best = rivals.max() { out[t] = mine - best }
            }
            return out
        }
    }

    /// A table of every non-VBench metric (columns sorted by name), one row per entry.
    static func otherMetrics(_ entries: [ResultEntry]) -> String? {
        let vbenchKeys = Set(MetricNames.vbench.map(\.key))
        let keys = Set(entries.flatMap { $0.metrics.keys }).subtracting(vbenchKeys).sorted()
        guard !keys.isEmpty else { return nil }
        var out = "| Model | Method | W/A | " + keys.map(escape).joined(separator: " | ") + " |\n"
        out += "| --- | --- | --- |" + String(repeating: " ---: |", count: keys.count) + "\n"
        for e in entries {
            let cells = keys.map { k in e.metrics[k].map { String(format: "%.4g", $0) } ?? "—" }
            out += "| \(e.model) | \(escape(e.label)) | \(e.w)/\(e.a) | " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    static func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}
