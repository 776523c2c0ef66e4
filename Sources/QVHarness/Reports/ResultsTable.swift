import Foundation

/// One line of `results.csv`: one metric of one (model, row) cell.
public struct ResultRow: Sendable, Hashable {
    public var cell: String
    public var model: String
    public var method: String
    public var label: String
    public var w: Int
    public var a: Int
    /// "name=value;…" sorted by name.
    public var knobs: String
    public var seed: Int
    public var metric: String
    public var value: Double
    public var wallSeconds: Double

    public init(cell: String, model: String, method: String, label: String, w: Int, a: Int, knobs: String,
                seed: Int, metric: String, value: Double, wallSeconds: Double) {
        self.cell = cell
        self.model = model
        self.method = method
        self.label = label
        self.w = w
        self.a = a
        self.knobs = knobs
        self.seed = seed
        self.metric = metric
        self.value = value
        self.wallSeconds = wallSeconds
    }

    /// What the gate and merge match on: the same table position, whatever its key.
    public var identity: String { "\(rowIdentity)\u{1F}\(metric)" }

    /// The (model, row) this metric belongs to: model, label and bits.
    public var rowIdentity: String { "\(model)\u{1F}\(label)\u{1F}\(w)\u{1F}\(a)" }

    /// Row order of every results file: model, label, bits, metric.
    static func precedes(_ l: ResultRow, _ r: ResultRow) -> Bool {
        (l.model, l.label, l.w, l.a, l.metric) < (r.model, r.label, r.w, r.a, r.metric)
    }
}

/// The contents of a `results.csv`, always in deterministic (model, label, w, a, metric) order.
public struct ResultsTable: Sendable, Hashable {
    public static let header = ["cell", "model", "method", "label", "w", "a", "knobs", "seed", "metric", "value",
                                "wall_seconds"]
    public private(set) var rows: [ResultRow]

    public init(rows: [ResultRow]) { self.rows = rows.sorted(by: ResultRow.precedes) }

    /// Rows for finished cells: every metric of every cell (cells sharing a key each get their rows).
    public init(cells: [Cell], records: [String: CellRecord]) {
        var rows: [ResultRow] = []
        for cell in cells {
            guard let record = records[cell.key] else { continue }
            let c = cell.configuration
            let knobs = c.knobs.keys.sorted().map { "\($0)=\(c.knobs[$0]!)" }.joined(separator: ";")
            for (metric, value) in record.result.metrics {
                rows.append(ResultRow(cell: cell.key, model: c.model, method: c.method, label: cell.label, w: c.w, a: c.a,
                                      knobs: knobs, seed: c.evaluation?.seed ?? 0, metric: metric, value: value,
                                      wallSeconds: record.wallSeconds))
            }
        }
        self.init(rows: rows)
    }

    /// The CSV text (header first).
    public var csv: String {
        CSVCodec.text([Self.header] + rows.map { r in
            [r.cell, r.model, r.method, r.label, String(r.w), String(r.a), r.knobs, String(r.seed), r.metric,
             "\(r.value)", "\(r.wallSeconds)"]
        })
    }

    public func write(to path: String) throws { try Files.writeAtomically(csv, to: path) }

    public static func read(_ path: String) throws -> ResultsTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HarnessError.io(path: path, reason: "cannot read the results file")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    public static func parse(_ text: String, source: String) throws -> ResultsTable {
        let lines = try CSVCodec.parse(text, source: source)
        guard let head = lines.first else { throw HarnessError.io(path: source, reason: "empty results file (no header)") }
        guard head == header else {
            throw HarnessError.io(path: source, reason: "header is \(head.joined(separator: ",")); expected \(header.joined(separator: ","))")
        }
        var rows: [ResultRow] = []
        for (index, f) in lines.dropFirst().enumerated() {
            let line = index + 2
            guard f.count == header.count else {
                throw HarnessError.io(path: source, reason: "row \(line) has \(f.count) fields, expected \(header.count)")
            }
            guard let w = Int(f[4]), let a = Int(f[5]), let seed = Int(f[7]), let value = Double(f[9]),
                  let wall = Double(f[10]) else {
                throw HarnessError.io(path: source, reason: "row \(line): w, a, seed must be integers and value, wall_seconds numbers")
            }
            rows.append(ResultRow(cell: f[0], model: f[1], method: f[2], label: f[3], w: w, a: a, knobs: f[6], seed: seed,
                                  metric: f[8], value: value, wallSeconds: wall))
        }
        return ResultsTable(rows: rows)
    }

    /// Joins shard results. The same (model, label, metric) may appear in several inputs only with the
    /// same cell key and value; anything else is a conflict (shards of different runs).
    public static func merge(_ tables: [ResultsTable]) throws -> ResultsTable {
        var byIdentity: [String: ResultRow] = [:]
        for table in tables {
            for row in table.rows {
                if let existing = byIdentity[row.identity] {
                    guard existing.cell == row.cell, existing.value == row.value || (existing.value.isNaN && row.value.isNaN) else {
                        throw HarnessError.invalid("merge conflict for \(row.model) · \(row.label) · \(row.metric): "
                                                   + "\(existing.value) (cell \(existing.cell.prefix(12))) vs \(row.value) "
                                                   + "(cell \(row.cell.prefix(12))); were these shards of the same run?")
                    }
                } else {
                    byIdentity[row.identity] = row
                }
            }
        }
        return ResultsTable(rows: Array(byIdentity.values))
    }

    /// The rows grouped per (model, label), in row order.
    public var entries: [ResultEntry] {
        var out: [ResultEntry] = []
        var index: [String: Int] = [:]
        for row in rows {
            let id = row.rowIdentity
            if let i = index[id] {
                out[i].metrics[row.metric] = row.value
            } else {
                index[id] = out.count
                out.append(ResultEntry(row: row))
            }
        }
        return out
    }
}

/// Every metric of one (model, row) cell, for reports and claim checks.
public struct ResultEntry: Sendable, Hashable {
    public var cell: String
    public var model: String
    public var method: String
    public var label: String
    public var w: Int
    public var a: Int
    public var knobs: [String: String]
    public var seed: Int
    public var wallSeconds: Double
    public var metrics: [String: Double]

    init(row: ResultRow) {
        cell = row.cell
        model = row.model
        method = row.method
        label = row.label
        w = row.w
        a = row.a
        seed = row.seed
        wallSeconds = row.wallSeconds
        metrics = [row.metric: row.value]
        var knobs: [String: String] = [:]
        for pair in row.knobs.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { knobs[String(parts[0])] = String(parts[1]) }
        }
        self.knobs = knobs
    }

    /// Model family ("wan", "cogx") from "wan-s".
    public var family: String { String(model.split(separator: "-").first ?? Substring(model)) }
}
