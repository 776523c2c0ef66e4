/// A named data series for a line chart; points with a non-finite coordinate (or y ≤ 0 on a log axis)
/// break the line instead of failing.
public struct ChartSeries: Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// nil: the next colour of `RGBColor.palette`.
    public var color: RGBColor?

    public init(name: String, x: [Double], y: [Double], color: RGBColor? = nil) {
        self.name = name; self.x = x; self.y = y; self.color = color
    }

    /// A series over x = 0, 1, 2, … (e.g. training steps).
    public init(name: String, y: [Double], color: RGBColor? = nil) {
        self.init(name: name, x: y.indices.map(Double.init), y: y, color: color)
    }
}

/// A line chart (e.g. loss and gradient-norm curves): several named series, optional log-y, ticks with
/// numeric labels, light grid, legend and title.
public struct LineChart: Sendable, Equatable {
    public var title: String?
    public var xLabel: String
    public var yLabel: String
    public var series: [ChartSeries]
    public var logY: Bool
    public var width: Int
    public var height: Int
    /// Line thickness in pixels.
    public var lineWidth: Int

    public init(title: String? = nil, xLabel: String = "", yLabel: String = "", series: [ChartSeries],
                logY: Bool = false, width: Int = 640, height: Int = 400, lineWidth: Int = 2) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
        self.logY = logY; self.width = width; self.height = height; self.lineWidth = lineWidth
    }

    var chrome: ChartChrome { ChartChrome(width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel) }

    /// The colour series `i` is drawn in.
    public func color(ofSeries i: Int) -> RGBColor { series[i].color ?? RGBColor.palette[i % RGBColor.palette.count] }

    /// Where the data go: the plotting rectangle and both axes. Throws for empty or mismatched data.
    public func plotArea() throws -> ChartPlotArea {
        let what = "line chart '\(title ?? "")'"
        guard width >= 64, height >= 64, width * height <= 1 << 26 else {
            throw MediaError.invalidArgument(what: what, reason: "size \(width)×\(height) must be ≥ 64×64 and ≤ 2^26 pixels")
        }
        guard !series.isEmpty else { throw MediaError.invalidArgument(what: what, reason: "no series") }
        var xs: [Double] = [], ys: [Double] = []
        for s in series {
            guard s.x.count == s.y.count else {
                throw MediaError.invalidArgument(what: "\(what), series '\(s.name)'", reason: "\(s.x.count) x values but \(s.y.count) y values")
            }
            for (x, y) in zip(s.x, s.y) where x.isFinite && y.isFinite && (!logY || y > 0) { xs.append(x); ys.append(y) }
        }
        guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else {
            throw MediaError.invalidArgument(what: what, reason: logY ? "no finite positive y value to plot on a log axis" : "no finite point to plot")
        }
        let xAxis = ChartAxis.linear(dataMin: xMin, dataMax: xMax, targetTicks: 6)
        let yAxis = logY ? ChartAxis.logarithmic(dataMin: yMin, dataMax: yMax) : ChartAxis.linear(dataMin: yMin, dataMax: yMax)
        let r = try chrome.plotRect(yAxis: yAxis, lastXTickLabel: xAxis.label(xAxis.upper), xTickLines: 1)
        return ChartPlotArea(x: r.x, y: r.y, width: r.width, height: r.height, xAxis: xAxis, yAxis: yAxis)
    }

    /// Renders the chart.
    public func render() throws -> RGBImage {
        let area = try plotArea()
        var image = RGBImage(width: width, height: height, fill: .white)
        for tick in area.xAxis.ticks {
            guard let p = area.pixel(x: tick, y: area.yAxis.lower) else { continue }
            image.fillRect(x: p.x, y: area.y, width: 1, height: area.height, color: .lightGray)
        }
        chrome.drawFrame(on: &image, area: area)
        for tick in area.xAxis.ticks {
            guard let p = area.pixel(x: tick, y: area.yAxis.lower) else { continue }
            chrome.drawXTickLabel(on: &image, lines: [area.xAxis.label(tick)], x: p.x, area: area)
        }
        for (i, s) in series.enumerated() {
            let color = color(ofSeries: i)
            let points = zip(s.x, s.y).map { area.pixel(x: $0.0, y: $0.1) }
            for (k, point) in points.enumerated() {
                guard let p = point else { continue }
                let previous = k > 0 ? points[k - 1] : nil
                let next = k + 1 < points.count ? points[k + 1] : nil
                if let q = previous {
                    image.drawLine(x0: q.x, y0: q.y, x1: p.x, y1: p.y, color: color, thickness: lineWidth)
                } else if next == nil {
                    // An isolated point (or a one-point series) gets a small marker so it stays visible.
                    image.fillRect(x: p.x - 1, y: p.y - 1, width: 3, height: 3, color: color)
                }
            }
        }
        ChartChrome.drawLegend(on: &image, entries: series.indices.map { (series[$0].name, color(ofSeries: $0)) }, area: area)
        return image
    }
}
