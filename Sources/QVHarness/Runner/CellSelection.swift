import Foundation

/// Which cells a run executes: `--only`, `--filter` and `--shard`.
public struct CellSelection: Sendable, Hashable {
    /// `--only a,b`: a cell is kept if any term equals one of its groups, its method or its model, or
    /// occurs (case-insensitively) in its row label. Empty = all.
    public var only: [String]
    /// `--filter field=value` (fields: model, method, label, group, w, a, task); all must match.
    public var filters: [Filter] = []
    /// `--shard i/n` (1-based): keeps keys whose first 8 hex digits ≡ i−1 (mod n).
    public var shard: Shard?

    public struct Filter: Sendable, Hashable {
        public var field: String
        public var value: String
    }

    public static let filterFields = ["model", "method", "label", "group", "w", "a", "task"]

    public struct Shard: Sendable, Hashable, CustomStringConvertible {
        public var index: Int
        public var count: Int
        public init(index: Int, count: Int) { self.index = index; self.count = count }
        public var description: String { "\(index)/\(count)" }

        /// Parses "3/8".
        public static func parse(_ text: String) throws -> Shard {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else {
                throw HarnessError.invalid("--shard '\(text)': expected i/n with 1 ≤ i ≤ n, e.g. 3/8")
            }
            return Shard(index: i, count: n)
        }

        public func contains(key: String) -> Bool {
            let value = UInt64(key.prefix(8), radix: 16) ?? 0
            return Int(value % UInt64(count)) == index - 1
        }
    }

    /// Every cell.
    public static let all = CellSelection(only: [], shard: nil)

    private init(only: [String], shard: Shard?) {
        self.only = only
        self.shard = shard
    }

    /// Parses the command-line forms; throws on a malformed filter.
    public init(only: [String] = [], filters: [String] = [], shard: Shard? = nil) throws {
        self.only = only.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
        self.shard = shard
        for filter in filters {
            guard let eq = filter.firstIndex(of: "=") else {
                throw HarnessError.invalid("--filter '\(filter)': expected field=value with field one of \(Self.filterFields.joined(separator: ", "))")
            }
            let field = String(filter[..<eq]), value = String(filter[filter.index(after: eq)...])
            guard Self.filterFields.contains(field) else {
                throw HarnessError.invalid("--filter '\(filter)': unknown field '\(field)'; valid: \(Self.filterFields.joined(separator: ", "))")
            }
            self.filters.append(Filter(field: field, value: value))
        }
    }

    /// Whether `cell` is selected by `only` and the filters (not the shard).
    public func matches(_ cell: Cell) -> Bool {
        let c = cell.configuration
        if !only.isEmpty {
            let hit = only.contains { term in
                let t = term.lowercased()
                return cell.groups.contains { $0.lowercased() == t } || c.method.lowercased() == t
                    || c.model.lowercased() == t || cell.label.lowercased().contains(t)
            }
            if !hit { return false }
        }
        for f in filters {
            let ok: Bool
            switch f.field {
            case "model": ok = c.model == f.value
            case "method": ok = c.method == f.value
            case "label": ok = cell.label == f.value
            case "group": ok = cell.groups.contains(f.value)
            case "w": ok = String(c.w) == f.value
            case "a": ok = String(c.a) == f.value
            default: ok = c.task == f.value
            }
            if !ok { return false }
        }
        return true
    }

    /// The selected cells, in suite order.
    public func apply(_ cells: [Cell]) -> [Cell] {
        cells.filter { matches($0) && (shard?.contains(key: $0.key) ?? true) }
    }
}
