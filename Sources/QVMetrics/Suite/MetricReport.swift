import QVTensor
/// Measured videos plus their VBench-style summary, printable as CSV, Markdown or JSON
/// (`qvbench metrics PATH… --format csv|md|json`). Every printed score is ×100.
public struct MetricReport: Sendable, Hashable {
    public var rows: [VideoMetricRow]
    public var summary: MetricSummary
    /// FVD-style distance of the rows' clips to a reference set, when one was given.
    public var fvd: Double?

    public enum Format: String, Sendable, CaseIterable {
        case csv
        case md
        case json
    }

    public func formatted(_ format: Format) -> String {
        switch format {
        case .csv: csv()
        case .md: markdown()
        case .json: json()
        }
    }

    /// Dimensions that at least one video measured, in the paper's column order.
    var columns: [Dimension] { Dimension.allCases.filter { summary.values[$0] != nil } }

    /// One line per video (`video,<dimension>…,dynamic_pair_ratio`) and a final `summary` line (which
    /// also carries `fvd` when measured). Unmeasured cells are empty.
    public func csv() -> String {
        var header = ["video"] + columns.map(\.rawValue) + ["dynamic_pair_ratio"]
        if fvd != nil { header.append("fvd") }
        var lines = [header.joined(separator: ",")]
        for r in rows {
            var cells = [csvField(r.video)] + columns.map { r.scores[$0].map { String(100 * $0) } ?? "" }
            cells.append(r.dynamicDegree.map { String(100 * $0.movingPairRatio) } ?? "")
            if fvd != nil { cells.append("") }
            lines.append(cells.joined(separator: ","))
        }
        var total = ["summary"] + columns.map { summary.values[$0].map { String($0) } ?? "" }
        total.append(summary.dynamicPairRatio.map { String($0) } ?? "")
        if let fvd { total.append(String(fvd)) }
        lines.append(total.joined(separator: ","))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown table with one row per video and a bold summary row, two decimals.
    public func markdown() -> String {
        let titles = ["Video"] + columns.map(\.title)
        var lines = ["| " + titles.joined(separator: " | ") + " |",
                     "| " + titles.map { _ in "---" }.joined(separator: " | ") + " |"]
        for r in rows {
            let cells = [r.video.replacingPipes()] + columns.map { r.scores[$0].map { fixed2(100 * $0) } ?? "–" }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        let total = ["**Summary**"] + columns.map { summary.values[$0].map { "**" + fixed2($0) + "**" } ?? "–" }
        lines.append("| " + total.joined(separator: " | ") + " |")
        var text = lines.joined(separator: "\n") + "\n"
        if let ratio = summary.dynamicPairRatio {
            text += "\nDynamic degree, continuous (mean fraction of moving frame pairs): \(fixed2(ratio))\n"
        }
        if let fvd { text += "\nFVD-style distance to the reference set: \(fixed2(fvd))\n" }
        return text
    }

    /// `{"videos":[{"video":…,"scores":{…}}…],"summary":{…},"dynamic_pair_ratio":…,"fvd":…}`.
    public func json() -> String {
        func object(_ scores: [Dimension: Double], scale: Double) -> String {
            "{" + Dimension.allCases.compactMap { d in scores[d].map { "\"\(d.rawValue)\":\(jsonNumber(scale * $0))" } }
                .joined(separator: ",") + "}"
        }
        let videos = rows.map { r -> String in
            var fields = ["\"video\":\(jsonString(r.video))", "\"scores\":\(object(r.scores, scale: 100))"]
            if let dd = r.dynamicDegree {
                fields.append("\"dynamic_pair_ratio\":\(jsonNumber(100 * dd.movingPairRatio))")
            }
            return "{" + fields.joined(separator: ",") + "}"
        }
        var fields = ["\"videos\":[" + videos.joined(separator: ",") + "]", "\"summary\":\(object(summary.values, scale: 1))"]
        if let ratio = summary.dynamicPairRatio { fields.append("\"dynamic_pair_ratio\":\(jsonNumber(ratio))") }
        if let fvd { fields.append("\"fvd\":\(jsonNumber(fvd))") }
        return "{" + fields.joined(separator: ",") + "}\n"
    }
}

/// `x` with exactly two decimals (half away from zero), without Foundation.
func fixed2(_ x: Double) -> String {
    guard x.isFinite else { return String(x) }
    let hundredths = Int((abs(x) * 100).rounded())
    let fraction = hundredths % 100
    return (x < 0 && hundredths > 0 ? "-" : "") + "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
}

func jsonNumber(_ x: Double) -> String { x.isFinite ? String(x) : "null" }

func jsonString(_ s: String) -> String { jsonStringLiteral(s) }

func csvField(_ s: String) -> String {
    guard s.contains(",") || s.contains("\"") || s.contains("\n") else { return s }
    return "\"" + s.replacingQuotes() + "\""
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for ch in self { out += ch == "\"" ? "\"\"" : String(ch) }
        return out
    }

    fileprivate func replacingPipes() -> String {
        var out = ""
        for ch in self { out += ch == "|" ? "\\|" : String(ch) }
        return out
    }
}
