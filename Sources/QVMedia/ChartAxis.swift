import Foundation

/// One axis of a chart: a data interval mapped onto [0, 1], linear or base-10 logarithmic, with the tick
/// positions to label. Ticks follow the usual 1-2-5 "nice number" rule.
public struct ChartAxis: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var isLog: Bool
    public var ticks: [Double]
    /// Tick spacing for linear axes (used to choose decimals); 0 for log axes.
    public var step: Double

    /// A linear axis covering [dataMin, dataMax], widened to nice round limits, with about `targetTicks` ticks.
    public static func linear(dataMin: Double, dataMax: Double, targetTicks: Int = 5) -> ChartAxis {
        var lo = dataMin, hi = dataMax
        if !(lo.isFinite && hi.isFinite) { lo = 0; hi = 1 }
        if lo == hi { let pad = lo == 0 ? 1 : abs(lo) * 0.1; lo -= pad; hi += pad }
        let step = niceNumber((hi - lo) / Double(max(1, targetTicks)))
        let first = (lo / step).rounded(.down), last = (hi / step).rounded(.up)
        let count = Int(last - first)
        let ticks = (0...count).map { cleaned((first + Double($0)) * step, step: step) }
        return ChartAxis(lower: ticks.first!, upper: ticks.last!, isLog: false, ticks: ticks, step: step)
    }

    /// A log-10 axis from the power of ten at or below `dataMin` to the one at or above `dataMax` (both > 0).
    /// Ticks at every decade (every second one beyond 8 decades), plus 2 and 5 when the range is one decade.
    public static func logarithmic(dataMin: Double, dataMax: Double) -> ChartAxis {
        let lo = dataMin > 0 && dataMin.isFinite ? dataMin : 1
        let hi = dataMax > 0 && dataMax.isFinite ? max(dataMax, lo) : max(lo, 10)
        var e0 = log10(lo).rounded(.down), e1 = log10(hi).rounded(.up)
        if e0 == e1 { e1 += 1 }
        if e1 - e0 > 60 { e0 = e1 - 60 }
        let decades = Int(e1 - e0)
        let stride = decades > 8 ? 2 : 1
        var ticks: [Double] = []
        for k in Swift.stride(from: 0, through: decades, by: stride) {
            let base = pow(10, e0 + Double(k))
            ticks.append(base)
            if decades == 1 && k == 0 { ticks += [2 * base, 5 * base] }
        }
        return ChartAxis(lower: pow(10, e0), upper: pow(10, e1), isLog: true, ticks: ticks.sorted(), step: 0)
    }

    /// Position of `value` on the axis: 0 at `lower`, 1 at `upper`; nil for values a log axis cannot show.
    public func fraction(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        if isLog {
            guard value > 0 else { return nil }
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return (value - lower) / (upper - lower)
    }

    /// Tick label text: integers when the step is whole, enough decimals for the step, else scientific.
    public func label(_ value: Double) -> String {
        ChartAxis.format(value, step: isLog ? value : step)
    }

    static func format(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e6 || magnitude < 1e-3 || (step > 0 && step < 1e-3) {
            let e = Int(log10(magnitude).rounded(.down))
            let m = value / pow(10, Double(e))
            let mantissa = abs(m - m.rounded()) < 1e-6 ? String(Int(m.rounded())) : String(format: "%.1f", m)
            return "\(mantissa)e\(e)"
        }
        let decimals = step >= 1 ? 0 : min(6, Int((-log10(step)).rounded(.up)))
        if decimals == 0 { return String(Int(value.rounded())) }
        return String(format: "%.\(decimals)f", value)
    }

    /// The 1, 2 or 5 × 10^k closest above `raw`.
    static func niceNumber(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let e = log10(raw).rounded(.down)
        let f = raw / pow(10, e)
        let nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        return nice * pow(10, e)
    }

    /// Removes floating-point dust such as 0.30000000000000004 from tick positions.
    private static func cleaned(_ v: Double, step: Double) -> Double {
        let digits = max(0, -log10(step).rounded(.down)) + 1
        let scale = pow(10, digits)
        let q = (v * scale).rounded() / scale
        return abs(q) < step * 1e-9 ? 0 : q
    }
}

/// Pixel rectangle of a chart's plotting area and the two axes mapped onto it.
public struct ChartPlotArea: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public var xAxis: ChartAxis
    public var yAxis: ChartAxis

    /// The pixel for a data point (y grows downwards in images); nil when an axis cannot show it.
    public func pixel(x dataX: Double, y dataY: Double) -> (x: Int, y: Int)? {
        guard let fx = xAxis.fraction(dataX), let fy = yAxis.fraction(dataY) else { return nil }
        return (x + Int((fx * Double(width - 1)).rounded()), y + height - 1 - Int((fy * Double(height - 1)).rounded()))
    }

    /// The pixel row for a y value (for bars and grid lines).
    public func pixelY(_ dataY: Double) -> Int? {
        yAxis.fraction(dataY).map { y + height - 1 - Int(($0 * Double(height - 1)).rounded()) }
    }
}
