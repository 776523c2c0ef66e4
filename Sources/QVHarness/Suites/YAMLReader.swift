import Yams

/// Typed access to a composed YAML tree that turns every problem into a `SuiteError` carrying the
/// node's line and column and, for closed sets, the valid choices.
struct YAMLReader {
    let file: String

    func error(_ node: Node?, _ message: String) -> SuiteError {
        SuiteError(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message)
    }

    /// The entries of a mapping, in file order, after checking that every key is allowed and appears once.
    func mapping(_ node: Node, _ what: String, allowed: [String]) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard case let .mapping(map) = node else { throw error(node, "\(what) must be a mapping (key: value)") }
        var seen = Set<String>()
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in map {
            guard case let .scalar(keyScalar) = keyNode else { throw error(keyNode, "keys of \(what) must be plain words") }
            let key = keyScalar.string
            if !allowed.isEmpty && !allowed.contains(key) {
                throw error(keyNode, "unknown key '\(key)' in \(what); valid keys: \(allowed.joined(separator: ", "))")
            }
            guard seen.insert(key).inserted else { throw error(keyNode, "key '\(key)' appears twice in \(what)") }
            entries.append((key, keyNode, value))
        }
        return entries
    }

    /// Like `mapping`, but also requires `required` keys, reported at the mapping itself.
    func mapping(_ node: Node, _ what: String, allowed: [String], required: [String]) throws -> [String: Node] {
        let entries = try mapping(node, what, allowed: allowed)
        var result: [String: Node] = [:]
        for entry in entries { result[entry.key] = entry.value }
        for key in required where result[key] == nil {
            throw error(node, "\(what) is missing required key '\(key)'")
        }
        return result
    }

    func sequence(_ node: Node, _ what: String) throws -> [Node] {
        guard case let .sequence(seq) = node else { throw error(node, "\(what) must be a list ([a, b] or '- a' lines)") }
        return Array(seq)
    }

    func scalarText(_ node: Node, _ what: String) throws -> String {
        guard case let .scalar(s) = node else { throw error(node, "\(what) must be a single value, not a list or mapping") }
        return s.string
    }

    func string(_ node: Node, _ what: String) throws -> String {
        let text = try scalarText(node, what)
        guard !text.isEmpty else { throw error(node, "\(what) must not be empty") }
        return text
    }

    func int(_ node: Node, _ what: String, in range: ClosedRange<Int>) throws -> Int {
        let text = try scalarText(node, what)
        guard let value = Int(text) else { throw error(node, "\(what) must be an integer in \(range.lowerBound)…\(range.upperBound), got '\(text)'") }
        guard range.contains(value) else { throw error(node, "\(what) = \(value) is out of range \(range.lowerBound)…\(range.upperBound)") }
        return value
    }

    func number(_ node: Node, _ what: String, in range: ClosedRange<Double>) throws -> Double {
        let text = try scalarText(node, what)
        guard let value = Double(text), value.isFinite else {
            throw error(node, "\(what) must be a number in \(formatNumber(range.lowerBound))…\(formatNumber(range.upperBound)), got '\(text)'")
        }
        guard range.contains(value) else {
            throw error(node, "\(what) = \(text) is out of range \(formatNumber(range.lowerBound))…\(formatNumber(range.upperBound))")
        }
        return value
    }

    func choice(_ node: Node, _ what: String, from choices: [String]) throws -> String {
        let text = try scalarText(node, what)
        guard choices.contains(text) else {
            throw error(node, "\(what) '\(text)' is not valid; choose one of: \(choices.joined(separator: ", "))")
        }
        return text
    }

    func flag(_ node: Node, _ what: String) throws -> Bool {
        let text = try scalarText(node, what).lowercased()
        switch text {
        case "on", "true", "yes": return true
        case "off", "false", "no": return false
        default: throw error(node, "\(what) must be on or off, got '\(text)'")
        }
    }

    func knob(_ node: Node, _ knob: MethodCatalog.Knob, _ what: String) throws -> KnobValue {
        switch knob.kind {
        case let .int(r): return .int(try int(node, what, in: r))
        case let .number(r): return .number(try number(node, what, in: r))
        case let .choice(words): return .word(try choice(node, what, from: words))
        case .flag: return .flag(try flag(node, what))
        }
    }
}
