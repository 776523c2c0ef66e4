import Foundation

/// A grouped bar chart (e.g. latency or memory per method): one group of bars per category on the x
/// axis, one bar per series inside each group, a legend when there are several series, and optional
/// value labels above the bars. Bars grow from 0 (negative values grow downwards).
public struct BarChart: Sendable, Equatable {
    public var title: String?
    public var yLabel: String
    /// Category labels under the groups (wrapped at spaces when wider than the group).
    public var groups: [String]
    /// Series names (legend entries); one bar per series in every group.
    public var seriesNames: [String]
    /// `values[group][series]`; non-finite values leave a gap.
    public var values: [[Double]]
    public var colors: [RGBColor]
    public var showValues: Bool
    public var width: Int
    public var height: Int

    public init(title: String? = nil, yLabel: String = "", groups: [String], seriesNames: [String], values: [[Double]],
                colors: [RGBColor] = RGBColor.palette, showValues: Bool = true, width: Int = 640, height: Int = 400) {
        self.title = title; self.yLabel = yLabel; self.groups = groups; self.seriesNames = seriesNames
        self.values = values; self.colors = colors.isEmpty ? RGBColor.palette : colors
        self.showValues = showValues; self.width = width; self.height = height
    }

    var chrome: ChartChrome { ChartChrome(width: width, height: height, title: title, xLabel: "", yLabel: yLabel) }

    public func color(ofSeries i: Int) -> RGBColor { colors[i % colors.count] }

    /// The plotting rectangle and y axis (the x axis runs over group slots 0…groups.count).
    public func plotArea() throws -> ChartPlotArea {
        let what = "bar chart '\(title ?? "")'"
        guard width >= 64, height >= 64, width * height <= 1 << 26 else {
            throw MediaError.invalidArgument(what: what, reason: "size \(width)×\(height) must be ≥ 64×64 and ≤ 2^26 pixels")
        }
        guard !groups.isEmpty, !seriesNames.isEmpty else { throw MediaError.invalidArgument(what: what, reason: "no groups or no series") }
        guard values.count == groups.count, values.allSatisfy({ $0.count == seriesNames.count }) else {
            throw MediaError.invalidArgument(what: what, reason:
                "values must be \(groups.count) groups × \(seriesNames.count) series, got \(values.map(\.count))")
        }
        let finite = values.joined().filter(\.isFinite)
        let yAxis = ChartAxis.linear(dataMin: min(0, finite.min() ?? 0), dataMax: max(0, finite.max() ?? 1))
        let slot = max(1, (width - 80) / groups.count)
        let lines = groups.map { ChartChrome.wrap($0, maxWidth: slot - 4).count }.max() ?? 1
        let r = try chrome.plotRect(yAxis: yAxis, lastXTickLabel: "", xTickLines: lines)
        let xAxis = ChartAxis(lower: 0, upper: Double(groups.count), isLog: false, ticks: [], step: 1)
        return ChartPlotArea(x: r.x, y: r.y, width: r.width, height: r.height, xAxis: xAxis, yAxis: yAxis)
    }

    /// Pixel rectangle of the bar for `group`, `series` (height 0 for a zero or non-finite value).
    public func barRect(group g: Int, series s: Int, in area: ChartPlotArea) -> (x: Int, y: Int, width: Int, height: Int) {
        let slot = Double(area.width) / Double(groups.count)
        let barW = slot * 0.8 / Double(seriesNames.count)
        let x0 = area.x + Int((Double(g) * slot + slot * 0.1 + Double(s) * barW).rounded())
        let x1 = area.x + Int((Double(g) * slot + slot * 0.1 + Double(s + 1) * barW).rounded())
        let v = values[g][s]
        guard v.isFinite, let base = area.pixelY(0), let top = area.pixelY(v) else { return (x0, area.y + area.height, max(1, x1 - x0), 0) }
        return (x0, min(base, top), max(1, x1 - x0 - (seriesNames.count > 1 ? 1 : 0)), abs(base - top))
    }

    public func render() throws -> RGBImage {
        let area = try plotArea()
        var image = RGBImage(width: width, height: height, fill: .white)
        chrome.drawFrame(on: &image, area: area)
        let slot = Double(area.width) / Double(groups.count)
        for g in groups.indices {
            let cx = area.x + Int(((Double(g) + 0.5) * slot).rounded())
            chrome.drawXTickLabel(on: &image, lines: ChartChrome.wrap(groups[g], maxWidth: Int(slot) - 4), x: cx, area: area)
            for s in seriesNames.indices {
                let r = barRect(group: g, series: s, in: area)
                image.fillRect(x: r.x, y: r.y, width: r.width, height: max(1, r.height), color: color(ofSeries: s))
                let v = values[g][s]
                if showValues, v.isFinite {
                    let text = Self.compact(v)
                    let tw = BitmapFont.textWidth(text)
                    let ty = v >= 0 ? r.y - BitmapFont.glyphHeight - 2 : r.y + r.height + 2
                    image.drawText(text, x: r.x + r.width / 2 - tw / 2, y: max(area.y, ty), color: .darkGray)
                }
            }
        }
        if let zero = area.pixelY(0) { image.fillRect(x: area.x, y: zero, width: area.width, height: 1, color: .darkGray) }
        if seriesNames.count > 1 {
            ChartChrome.drawLegend(on: &image, entries: seriesNames.indices.map { (seriesNames[$0], color(ofSeries: $0)) }, area: area)
        }
        return image
    }

    /// Three significant digits, e.g. 1234 → "1234", 12.345 → "12.3", 0.01234 → "0.0123".
    static func compact(_ v: Double) -> String {
        abs(v) >= 100 ? String(Int(v.rounded())) : String(format: "%.3g", v)
    }
}
