import Foundation
import Testing
@testable import QVMedia

@Suite("Charts")
struct ChartTests {
    @Test("Nice linear ticks and labels")
    func linearTicks() {
        let a = ChartAxis.linear(dataMin: 0, dataMax: 1)
        #expect(a.ticks == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(a.ticks.map(a.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let b = ChartAxis.linear(dataMin: 0, dataMax: 97)
        #expect(b.ticks == [0, 20, 40, 60, 80, 100])
        #expect(b.label(40) == "40")
        let c = ChartAxis.linear(dataMin: -3, dataMax: 7)
        #expect(c.ticks == [-4, -2, 0, 2, 4, 6, 8])
        let flat = ChartAxis.linear(dataMin: 5, dataMax: 5)
        #expect(flat.lower < 5 && flat.upper > 5)
        #expect(ChartAxis.format(2e-5, step: 1e-5) == "2e-5")
        #expect(ChartAxis.linear(dataMin: 0.001, dataMax: 0.0031).ticks == [0.001, 0.0015, 0.002, 0.0025, 0.003, 0.0035])
        #expect(ChartAxis.format(1.5e7, step: 5e6) == "1.5e7")
        #expect(a.fraction(0) == 0 && a.fraction(1) == 1 && a.fraction(0.5) == 0.5)
    }

    @Test("Log ticks at decades; 10 sits halfway between 1 and 100")
    func logTicks() {
        let a = ChartAxis.logarithmic(dataMin: 0.003, dataMax: 42)
        #expect(a.lower == 1e-3 && a.upper == 100)
        #expect(a.ticks.count == 6)
        #expect(a.ticks.map(a.label) == ["0.001", "0.01", "0.1", "1", "10", "100"])
        let one = ChartAxis.logarithmic(dataMin: 2, dataMax: 7)
        #expect(one.ticks == [1, 2, 5, 10])
        let d = ChartAxis.logarithmic(dataMin: 1, dataMax: 100)
        #expect(abs(d.fraction(10)! - 0.5) < 1e-12)
        #expect(d.fraction(0) == nil && d.fraction(-1) == nil)
    }

    @Test("Line chart: size, title pixels, and the series passes through its data points")
    func lineChart() throws {
        let xs = (0...10).map(Double.init)
        let chart = LineChart(title: "Loss", xLabel: "step", yLabel: "loss",
                              series: [ChartSeries(name: "identity", x: xs, y: xs)], width: 320, height: 240, lineWidth: 1)
        let img = try chart.render()
        #expect(img.width == 320 && img.height == 240)
        let area = try chart.plotArea()
        #expect(area.x > 10 && area.y > 10 && area.x + area.width < 320 && area.y + area.height < 240)
        for v in [1.0, 3.0, 5.0, 7.0] {  // the legend box covers the top-right corner
            let p = try #require(area.pixel(x: v, y: v))
            #expect(img[p.x, p.y] == RGBColor.palette[0], "no line at data point \(v)")
        }
        // The title band (above the plotting area) holds exactly the title's glyph pixels at scale 2.
        #expect(countInk(img, x: 0, y: 0, width: 320, height: area.y - 6) == 4 * litPixels("Loss"))
        // The x-axis title sits centred under the plot.
        #expect(countInk(img, x: 0, y: 240 - 10 - 7, width: 320, height: 7) == litPixels("step"))
        // The y-axis title is drawn rotated in the left margin.
        #expect(countInk(img, x: 10, y: area.y, width: 7, height: area.height) == litPixels("loss"))
    }

    @Test("Log-y line chart maps decades evenly and skips non-positive points")
    func logChart() throws {
        let chart = LineChart(series: [ChartSeries(name: "g", x: [0, 1, 2, 3], y: [1, 10, 100, -5])], logY: true,
                              width: 300, height: 200, lineWidth: 1)
        let img = try chart.render()
        let area = try chart.plotArea()
        let p1 = try #require(area.pixel(x: 0, y: 1)), p10 = try #require(area.pixel(x: 1, y: 10))
        let p100 = try #require(area.pixel(x: 2, y: 100))
        #expect(abs(p10.y - (p1.y + p100.y) / 2) <= 1)
        for p in [p1, p10, p100] { #expect(img[p.x, p.y] == RGBColor.palette[0]) }
        #expect(area.pixel(x: 3, y: -5) == nil)
    }

    @Test("Bar chart: bar heights proportional to values, colours per series, labels drawn")
    func barChart() throws {
        let chart = BarChart(title: "Latency", yLabel: "ms", groups: ["FP32", "W8A8", "W4A4"],
                             seriesNames: ["wan", "cogx"], values: [[120, 140], [60, 70], [30, 35]], width: 480, height: 300)
        let img = try chart.render()
        #expect(img.width == 480 && img.height == 300)
        let area = try chart.plotArea()
        let r = (0..<3).map { g in (0..<2).map { s in chart.barRect(group: g, series: s, in: area) } }
        #expect(abs(Double(r[0][0].height) / Double(r[1][0].height) - 2) < 0.05)
        #expect(abs(Double(r[1][0].height) / Double(r[2][0].height) - 2) < 0.1)
        for g in 0..<3 { for s in 0..<2 {
            let b = r[g][s]
            #expect(img[b.x + b.width / 2, b.y + b.height / 2] == chart.color(ofSeries: s))
            #expect(img[b.x + b.width / 2, b.y - 1] != chart.color(ofSeries: s))
            #expect(b.x >= area.x && b.x + b.width <= area.x + area.width)
        } }
        // Bars of one group sit left of the next group's bars.
        #expect(r[0][1].x + r[0][1].width <= r[1][0].x)
        // Group labels: exactly their glyph pixels in the band under the axis (between the bars' slots).
        let labelY = area.y + area.height + 4 + 3
        #expect(countInk(img, x: area.x + 1, y: labelY, width: area.width - 1, height: 7) == litPixels("FP32W8A8W4A4"))
        // Value labels above bars.
        let top = r[0][1]
        #expect(countInk(img, x: top.x - 10, y: top.y - 9, width: top.width + 20, height: 7) == litPixels("140"))
    }

    @Test("Bad chart input throws a named error")
    func errors() {
        #expect(mediaError { try LineChart(title: "L", series: []).render() } != nil)
        let e = mediaError { try LineChart(series: [ChartSeries(name: "bad", x: [1, 2], y: [1])]).render() }
        #expect(e?.description.contains("bad") == true)
        #expect(mediaError { try LineChart(series: [ChartSeries(name: "n", y: [0, -1])], logY: true).render() } != nil)
        #expect(mediaError { try LineChart(series: [ChartSeries(name: "n", y: [1])], width: 40, height: 40).render() } != nil)
        #expect(mediaError { try BarChart(groups: ["a"], seriesNames: ["x", "y"], values: [[1]]).render() } != nil)
    }

    @Test("Charts round-trip through PNG")
    func png() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let img = try LineChart(title: "t", series: [ChartSeries(name: "s", y: [3, 1, 2])]).render()
        try PNGFile.write(img, to: dir + "/c.png")
        #expect(try PNGFile.read(dir + "/c.png") == img)
    }
}
