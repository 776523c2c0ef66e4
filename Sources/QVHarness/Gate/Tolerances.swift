import Foundation
import Yams

/// Per-metric gate tolerances. File format (YAML), one entry per metric, `"*"` for every other metric:
///
///     "*":             {direction: higher, abs: 0.02}
///     dynamic_degree:  {direction: higher, abs: 0.10}
///     latency_ms:      {direction: lower, rel: 0.50}
///
/// `direction` says which way is better (`higher`, `lower`, or `both` for "must not move");
/// the allowed worsening is max(abs, rel·|baseline|). Metrics with no entry and no `"*"` are not gated.
public struct Tolerances: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable, CaseIterable { case higher, lower, both }

    public struct Rule: Sendable, Hashable {
        public var direction: Direction
        public var absolute: Double
        public var relative: Double
        public init(direction: Direction, absolute: Double = 0, relative: Double = 0) {
            self.direction = direction
            self.absolute = absolute
            self.relative = relative
        }
        /// How far the candidate may move the wrong way from `baseline`.
        public func allowance(baseline: Double) -> Double { max(absolute, relative * abs(baseline)) }
    }

    public var rules: [String: Rule]
    public var fallback: Rule?

    public init(rules: [String: Rule] = [:], fallback: Rule? = nil) {
        self.rules = rules
        self.fallback = fallback
    }

    public func rule(for metric: String) -> Rule? { rules[metric] ?? fallback }

    public static func load(_ path: String) throws -> Tolerances {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HarnessError.io(path: path, reason: "cannot read the tolerances file")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String) throws -> Tolerances {
        let reader = YAMLReader(file: path)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw reader.error(nil, "the tolerances file is empty") }
            root = node
        } catch let error as YamlError {
            throw SuiteParser.yamlSyntaxError(error, file: path, text: text)
        }
        var result = Tolerances()
        for entry in try reader.mapping(root, "the tolerances", allowed: []) {
            let m = try reader.mapping(entry.value, "tolerance of \(entry.key)", allowed: ["direction", "abs", "rel"],
                                       required: ["direction"])
            let direction = Direction(rawValue: try reader.choice(m["direction"]!, "direction",
                                                                  from: Direction.allCases.map(\.rawValue)))!
            let rule = Rule(direction: direction,
                            absolute: try m["abs"].map { try reader.number($0, "abs", in: 0...1e12) } ?? 0,
                            relative: try m["rel"].map { try reader.number($0, "rel", in: 0...1e6) } ?? 0)
            if entry.key == "*" { result.fallback = rule } else { result.rules[entry.key] = rule }
        }
        return result
    }
}
