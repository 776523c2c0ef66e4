import Foundation

/// One row of a `fixtures/paper/<table>.csv`: the paper's VBench scores (×100) for a method.
public struct PaperRow: Sendable, Hashable {
    public var table: String
    public var paperModel: String
    public var family: String
    public var label: String
    public var w: Int
    public var a: Int
    /// Column title ("IQ", …) → score ×100; absent where the paper did not report it.
    public var scores: [String: Double]
}

/// The paper's numbers (the DESIGN.md appendix), read from `fixtures/paper/*.csv` with columns
/// `paper_model,family,label,w,a,IQ,AQ,MS,DD,BC,SC,Scene,OC` (empty = not reported).
public struct PaperNumbers: Sendable {
    public var rows: [PaperRow]

    public init(rows: [PaperRow]) { self.rows = rows }

    static let header = ["paper_model", "family", "label", "w", "a"] + MetricNames.vbench.map(\.title)

    /// Reads `<directory>/<table>.csv` for each named table.
    public static func load(directory: String, tables: [String]) throws -> PaperNumbers {
        var rows: [PaperRow] = []
        for table in tables {
            let path = (directory as NSString).appendingPathComponent("\(table).csv")
            guard let data = FileManager.default.contents(atPath: path) else {
                throw HarnessError.io(path: path, reason: "paper table '\(table)' not found (the suite's `paper:` names fixtures/paper/<name>.csv)")
            }
            rows += try parse(String(decoding: data, as: UTF8.self), table: table, source: path)
        }
        return PaperNumbers(rows: rows)
    }

    static func parse(_ text: String, table: String, source: String) throws -> [PaperRow] {
        let lines = try CSVCodec.parse(text, source: source)
        guard lines.first == header else {
            throw HarnessError.io(path: source, reason: "header must be \(header.joined(separator: ","))")
        }
        return try lines.dropFirst().enumerated().map { index, f in
            guard f.count == header.count, let w = Int(f[3]), let a = Int(f[4]) else {
                throw HarnessError.io(path: source, reason: "row \(index + 2): expected \(header.count) fields with integer w, a")
            }
            var scores: [String: Double] = [:]
            for (offset, title) in MetricNames.vbench.map(\.title).enumerated() where !f[5 + offset].isEmpty {
                guard let v = Double(f[5 + offset]) else {
                    throw HarnessError.io(path: source, reason: "row \(index + 2): \(title) '\(f[5 + offset])' is not a number")
                }
                scores[title] = v
            }
            return PaperRow(table: table, paperModel: f[0], family: f[1], label: f[2], w: w, a: a, scores: scores)
        }
    }

    /// The paper's row for (family, label, bits), preferring `table` when given.
    public func row(family: String, label: String, w: Int, a: Int, preferring table: String? = nil) -> PaperRow? {
        let matches = rows.filter { $0.family == family && $0.label == label && $0.w == w && $0.a == a }
        return matches.first { $0.table == table } ?? matches.first
    }
}
