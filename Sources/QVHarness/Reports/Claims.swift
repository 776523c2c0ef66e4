import Foundation

/// The verdict on one of the paper's claims in this run, with the numbers behind it.
public struct ClaimVerdict: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable { case held, notHeld = "not held", notMeasured = "not measured" }
    public var outcome: Outcome
    public var evidence: String

    public static func notMeasured(_ why: String) -> ClaimVerdict { ClaimVerdict(outcome: .notMeasured, evidence: why) }
}

/// One of the paper's claims and the function that tests it on a run's results.
public struct Claim: Sendable {
    public var number: Int
    public var statement: String
    public var check: @Sendable (ClaimData) -> ClaimVerdict

    public init(number: Int, statement: String, check: @escaping @Sendable (ClaimData) -> ClaimVerdict) {
        self.number = number
        self.statement = statement
        self.check = check
    }
}

/// Thresholds that turn "small margin", "most", "near the best" into numbers (VBench points ×100).
public struct ClaimThresholds: Sendable, Hashable {
    /// "Within a small margin" of full precision (claim 1).
    public var smallMargin = 3.0
    /// "At a small cost" of removing Φ: mean score drop allowed (claim 5).
    public var smallCost = 1.5
    /// "At or near the best" (claim 6): mean-score gap to the best setting.
    public var nearBest = 0.5
    /// "Collapse" of a PTQ baseline (claim 3): mean drop from full precision.
    public var collapseDrop = 10.0
    /// "Much more" (claim 8): the mean W3A3 drop from full precision (over methods) exceeds W4A4's by this.
    public var muchMore = 3.0
    public init() {}
}

/// A run's results as the claim checks see them: one entry per (model, row).
public struct ClaimData: Sendable {
    public var entries: [ResultEntry]
    public var thresholds: ClaimThresholds

    public init(entries: [ResultEntry], thresholds: ClaimThresholds = ClaimThresholds()) {
        self.entries = entries
        self.thresholds = thresholds
    }

    public var models: [String] { entries.map(\.model).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } } }

    /// VBench scores ×100 by column title, for the columns this entry has.
    public static func scores(_ e: ResultEntry) -> [String: Double] {
        var out: [String: Double] = [:]
        for (title, key) in MetricNames.vbench { if let v = e.metrics[key] { out[title] = v * 100 } }
        return out
    }

    public func entries(model: String, method: String? = nil, w: Int? = nil, a: Int? = nil,
                        knobs: [String: String] = [:]) -> [ResultEntry] {
        entries.filter { e in
            e.model == model && (method == nil || e.method == method) && (w == nil || e.w == w) && (a == nil || e.a == a)
                && knobs.allSatisfy { e.knobs[$0.key] == $0.value }
        }
    }

    /// QVGen with every knob at its default (the paper's method).
    public static let qvgenDefaults = ["phi": "on", "decay": "rank", "lambda": "0.5", "rank": "32"]

    public func fullPrecision(_ model: String) -> ResultEntry? { entries(model: model, method: "fp").first }
    public func qvgen(_ model: String, w: Int, a: Int) -> ResultEntry? {
        entries(model: model, method: "qvgen", w: w, a: a, knobs: Self.qvgenDefaults).first
    }
}

/// Comparisons over shared score columns.
enum ScoreMath {
    /// Columns both have, in the paper's order.
    static func shared(_ x: [String: Double], _ y: [String: Double]) -> [String] {
        MetricNames.vbench.map(\.title).filter { x[$0] != nil && y[$0] != nil }
    }

    /// Mean of `x − y` over shared columns (nil if none).
    static func meanDifference(_ x: [String: Double], _ y: [String: Double]) -> Double? {
        let cols = shared(x, y)
        guard !cols.isEmpty else { return nil }
        return cols.map { x[$0]! - y[$0]! }.reduce(0, +) / Double(cols.count)
    }

    /// Mean over the given columns that are present (nil if none).
    static func mean(_ x: [String: Double], columns: [String]) -> Double? {
        let values = columns.compactMap { x[$0] }
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    static func f(_ v: Double) -> String { String(format: "%.2f", v) }
}
