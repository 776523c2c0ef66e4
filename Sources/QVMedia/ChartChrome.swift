/// The parts every chart shares: layout of title, axis labels and tick labels around the plotting area,
/// grid, axes, tick labels and the legend. Text uses `BitmapFont` (ticks and labels at scale 1, title at 2).
struct ChartChrome {
    static let margin = 10
    static let tickLength = 4
    static let titleScale = 2

    var width: Int
    var height: Int
    var title: String?
    var xLabel: String
    var yLabel: String

    /// The plotting rectangle left after reserving room for text. `xTickLines` is the number of text lines
    /// under the x axis (1 for numeric ticks, more for wrapped bar-group labels).
    func plotRect(yAxis: ChartAxis, lastXTickLabel: String, xTickLines: Int) throws -> (x: Int, y: Int, width: Int, height: Int) {
        let yTickWidth = yAxis.ticks.map { BitmapFont.textWidth(yAxis.label($0)) }.max() ?? 0
        let left = Self.margin + (yLabel.isEmpty ? 0 : BitmapFont.glyphHeight + 6) + yTickWidth + 4 + Self.tickLength
        let top = Self.margin + (title.map { BitmapFont.textHeight($0, scale: Self.titleScale) + 10 } ?? 4)
        let bottom = Self.margin + Self.tickLength + 3 + (xTickLines - 1) * BitmapFont.lineHeight + BitmapFont.glyphHeight
            + (xLabel.isEmpty ? 0 : BitmapFont.lineHeight + 4)
        let right = max(Self.margin, BitmapFont.textWidth(lastXTickLabel) / 2 + 4)
        let w = width - left - right, h = height - top - bottom
        guard w >= 20, h >= 20 else {
            throw MediaError.invalidArgument(what: "chart '\(title ?? "")'", reason:
                "\(width)×\(height) leaves no room to plot (\(w)×\(h)); make the chart larger")
        }
        return (left, top, w, h)
    }

    /// Title, y-axis title, x-axis title, horizontal grid and y ticks with labels, and the two axis lines.
    func drawFrame(on image: inout RGBImage, area: ChartPlotArea) {
        if let title {
            let w = BitmapFont.textWidth(title, scale: Self.titleScale)
            image.drawText(title, x: max(2, (width - w) / 2), y: Self.margin, color: .black, scale: Self.titleScale)
        }
        for tick in area.yAxis.ticks {
            guard let py = area.pixelY(tick) else { continue }
            image.fillRect(x: area.x, y: py, width: area.width, height: 1, color: .lightGray)
            image.fillRect(x: area.x - Self.tickLength, y: py, width: Self.tickLength, height: 1, color: .darkGray)
            let text = area.yAxis.label(tick)
            image.drawText(text, x: area.x - Self.tickLength - 3 - BitmapFont.textWidth(text),
                           y: py - BitmapFont.glyphHeight / 2, color: .black)
        }
        if !yLabel.isEmpty {
            let w = BitmapFont.textWidth(yLabel)
            image.drawTextRotatedLeft(yLabel, x: Self.margin, y: area.y + max(0, (area.height - w) / 2), color: .black)
        }
        if !xLabel.isEmpty {
            let w = BitmapFont.textWidth(xLabel)
            image.drawText(xLabel, x: area.x + (area.width - w) / 2, y: height - Self.margin - BitmapFont.glyphHeight, color: .black)
        }
        image.fillRect(x: area.x, y: area.y, width: 1, height: area.height, color: .darkGray)
        image.fillRect(x: area.x, y: area.y + area.height - 1, width: area.width, height: 1, color: .darkGray)
    }

    /// Draws centred text lines under the x axis at pixel column `x`.
    func drawXTickLabel(on image: inout RGBImage, lines: [String], x: Int, area: ChartPlotArea) {
        image.fillRect(x: x, y: area.y + area.height, width: 1, height: Self.tickLength, color: .darkGray)
        for (i, line) in lines.enumerated() {
            let w = BitmapFont.textWidth(line)
            image.drawText(line, x: x - w / 2, y: area.y + area.height + Self.tickLength + 3 + i * BitmapFont.lineHeight, color: .black)
        }
    }

    /// A boxed legend in the top-right corner of the plotting area: colour swatch and name per entry.
    static func drawLegend(on image: inout RGBImage, entries: [(String, RGBColor)], area: ChartPlotArea) {
        guard !entries.isEmpty else { return }
        let textW = entries.map { BitmapFont.textWidth($0.0) }.max() ?? 0
        let boxW = 6 + 12 + 4 + textW + 6, boxH = 4 + entries.count * 11 + 2
        let bx = area.x + area.width - boxW - 6, by = area.y + 6
        image.fillRect(x: bx, y: by, width: boxW, height: boxH, color: .white)
        image.strokeRect(x: bx, y: by, width: boxW, height: boxH, color: .gray)
        for (i, entry) in entries.enumerated() {
            let ey = by + 5 + i * 11
            image.fillRect(x: bx + 6, y: ey + 1, width: 12, height: 5, color: entry.1)
            image.drawText(entry.0, x: bx + 22, y: ey, color: .black)
        }
    }

    /// Splits a label into lines of at most `maxWidth` pixels at spaces (words longer than that stay whole).
    static func wrap(_ text: String, maxWidth: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if BitmapFont.textWidth(candidate) <= maxWidth || current.isEmpty { current = candidate } else {
                lines.append(current); current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [""] : lines
    }
}
