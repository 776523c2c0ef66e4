/// The value of one method knob after parsing: an integer, a real number, a word from a closed set,
/// or an on/off flag. Encodes to JSON as the natural JSON type (flags as "on"/"off").
public enum KnobValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case int(Int)
    case number(Double)
    case word(String)
    case flag(Bool)

    public var description: String {
        switch self {
        case let .int(v): return String(v)
        case let .number(v): return formatNumber(v)
        case let .word(v): return v
        case let .flag(v): return v ? "on" : "off"
        }
    }

    /// The value as a real number when it is numeric.
    public var doubleValue: Double? {
        switch self {
        case let .int(v): return Double(v)
        case let .number(v): return v
        default: return nil
        }
    }

    var json: JSONValue {
        switch self {
        case let .int(v): return .int(v)
        case let .number(v): return .number(v)
        case let .word(v): return .string(v)
        case let .flag(v): return .string(v ? "on" : "off")
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .number(d); return }
        let s = try c.decode(String.self)
        switch s {
        case "on": self = .flag(true)
        case "off": self = .flag(false)
        default: self = .word(s)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .int(v): try c.encode(v)
        case let .number(v): try c.encode(v)
        case let .word(v): try c.encode(v)
        case let .flag(v): try c.encode(v ? "on" : "off")
        }
    }
}

/// Shortest text that reads back as the same Double ("0.5", "32", "1e-05").
func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
}
