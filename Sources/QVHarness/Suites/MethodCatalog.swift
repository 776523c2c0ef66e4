/// The methods a suite row may name, their knobs (with types, ranges and defaults) and their bit-width
/// rules. This is the single source of truth for what a suite may say; the parser and the error
/// messages are driven by it.
public enum MethodCatalog {
    /// What a knob accepts.
    public enum KnobKind: Sendable, Hashable {
        case int(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case choice([String])
        case flag

        var expectation: String {
            switch self {
            case let .int(r): return "an integer in \(r.lowerBound)…\(r.upperBound)"
            case let .number(r): return "a number in \(formatNumber(r.lowerBound))…\(formatNumber(r.upperBound))"
            case let .choice(words): return "one of " + words.joined(separator: ", ")
            case .flag: return "on or off"
            }
        }
    }

    /// One knob: name, kind, default and what it means.
    public struct Knob: Sendable, Hashable {
        public var name: String
        public var kind: KnobKind
        public var defaultValue: KnobValue
        public var meaning: String
    }

    /// One method: its knobs and whether it trains (QAT), calibrates (PTQ) or neither.
    public struct Method: Sendable, Hashable {
        public enum Family: String, Sendable, Hashable { case fullPrecision = "fp", ptq, qat }
        public var name: String
        public var family: Family
        public var knobs: [Knob]
        public var summary: String

        public func knob(_ name: String) -> Knob? { knobs.first { $0.name == name } }
    }

    /// Weight/activation bit widths allowed for quantized methods.
    public static let bitRange = 2...8

    public static let methods: [Method] = [
        Method(name: "fp", family: .fullPrecision, knobs: [], summary: "full-precision teacher (16/16)"),
        Method(name: "rtn", family: .ptq, knobs: [
            Knob(name: "group", kind: .int(0...4096), defaultValue: .int(0),
                 meaning: "weight/activation group size along the input; 0 = per channel / per token"),
        ], summary: "round-to-nearest PTQ"),
        Method(name: "vidit-q", family: .ptq, knobs: [
            Knob(name: "timestep_aware", kind: .flag, defaultValue: .flag(true),
                 meaning: "per-timestep-group statistics in the balancing search (α is searched per layer)"),
            Knob(name: "hadamard", kind: .flag, defaultValue: .flag(false), meaning: "Hadamard rotation after scaling"),
            Knob(name: "mixed_precision", kind: .flag, defaultValue: .flag(false),
                 meaning: "keep metric-sensitive layers at 8 bits"),
        ], summary: "ViDiT-Q-style PTQ"),
        Method(name: "svdquant", family: .ptq, knobs: [
            Knob(name: "rank", kind: .int(0...512), defaultValue: .int(32), meaning: "full-precision low-rank branch rank"),
            Knob(name: "group", kind: .int(0...4096), defaultValue: .int(0),
                 meaning: "group size of weights and activations; 0 = per channel / per token"),
        ], summary: "SVDQuant-style PTQ"),
        Method(name: "lsq", family: .qat, knobs: [], summary: "LSQ QAT"),
        Method(name: "q-dm", family: .qat, knobs: [], summary: "Q-DM QAT"),
        Method(name: "efficientdm", family: .qat, knobs: [
            Knob(name: "lora_rank", kind: .int(1...512), defaultValue: .int(32), meaning: "quantization-aware LoRA rank"),
        ], summary: "EfficientDM QAT"),
        Method(name: "qvgen", family: .qat, knobs: [
            Knob(name: "rank", kind: .int(0...512), defaultValue: .int(32), meaning: "initial rank r₀ of Φ"),
            Knob(name: "lambda", kind: .number(0.01...1), defaultValue: .number(0.5), meaning: "shrinking ratio λ"),
            Knob(name: "decay", kind: .choice(["rank", "sparse", "residual", "none"]), defaultValue: .word("rank"),
                 meaning: "how Φ is removed during training"),
            Knob(name: "phi", kind: .flag, defaultValue: .flag(true), meaning: "auxiliary module Φ (off = naive QAT)"),
        ], summary: "QVGen QAT"),
    ]

    public static var methodNames: [String] { methods.map(\.name) }

    public static func method(_ name: String) -> Method? { methods.first { $0.name == name } }

    /// Model presets: `{wan,cogx}-{xs,s,m,l}`.
    public static let modelFamilies = ["wan", "cogx"]
    public static let modelSizes = ["xs", "s", "m", "l"]
    public static var modelNames: [String] { modelFamilies.flatMap { f in modelSizes.map { "\(f)-\($0)" } } }

    /// Kernel paths an efficiency suite may time.
    public static let kernelPaths = ["fp32", "w8a8", "w4a4", "w4a4-g64"]
}
