/// One labelled row of a contact sheet (e.g. one method or one prompt).
public struct ContactSheetRow: Sendable, Equatable {
    public var label: String
    public var clip: VideoClip
    public init(label: String, clip: VideoClip) { self.label = label; self.clip = clip }
}

/// Look of a contact sheet. All distances are in output pixels.
public struct ContactSheetStyle: Sendable, Equatable {
    /// Integer nearest-neighbour upscale of every frame; nil picks the smallest factor that makes frames
    /// at least 96 px tall (at most 8), so 32×32 frames become 96×96.
    public var scale: Int?
    /// At most this many columns; longer clips are sampled evenly (first and last frame kept).
    public var maxColumns: Int?
    public var margin: Int
    /// Space between neighbouring frames.
    public var gap: Int
    /// Space between the label column (or title) and the frames.
    public var labelGap: Int
    public var textScale: Int
    public var titleScale: Int
    public var background: RGBColor
    public var textColor: RGBColor

    public init(scale: Int? = nil, maxColumns: Int? = nil, margin: Int = 8, gap: Int = 2, labelGap: Int = 6,
                textScale: Int = 1, titleScale: Int = 2, background: RGBColor = .white, textColor: RGBColor = .black) {
        self.scale = scale; self.maxColumns = maxColumns; self.margin = margin; self.gap = gap
        self.labelGap = labelGap; self.textScale = textScale; self.titleScale = titleScale
        self.background = background; self.textColor = textColor
    }
}

/// Where everything goes on a contact sheet; `ContactSheet.render` draws exactly this.
public struct ContactSheetGeometry: Sendable, Equatable {
    public var scale: Int
    public var columns: Int
    public var rows: Int
    public var cellWidth: Int
    public var cellHeight: Int
    /// Width of the row-label column (0 when every label is empty).
    public var labelWidth: Int
    /// Height taken by the title including the gap below it (0 without a title).
    public var titleHeight: Int
    public var width: Int
    public var height: Int
    public var margin: Int
    public var gap: Int
    public var labelGap: Int

    /// Top-left pixel of the frame in row `r`, column `c`.
    public func cellOrigin(row r: Int, column c: Int) -> (x: Int, y: Int) {
        (margin + (labelWidth > 0 ? labelWidth + labelGap : 0) + c * (cellWidth + gap),
         margin + titleHeight + r * (cellHeight + gap))
    }
}

/// Contact sheets: a grid with one labelled row per clip and one column per frame (the paper's Fig. 1
/// layout), drawn with the built-in bitmap font and returned as an `RGBImage` (write it with `PNGFile`).
public enum ContactSheet {
    /// Frame indices shown for a clip of `frameCount` frames with at most `maxColumns` columns.
    public static func columnFrames(frameCount: Int, maxColumns: Int?) -> [Int] {
        guard let m = maxColumns, m < frameCount else { return Array(0..<frameCount) }
        if m <= 1 { return [0] }
        return (0..<m).map { Int((Double($0) * Double(frameCount - 1) / Double(m - 1)).rounded()) }
    }

    /// Computes the layout without drawing. Throws for no rows, no frames or an oversized sheet.
    public static func geometry(rows: [ContactSheetRow], title: String? = nil,
                                style: ContactSheetStyle = ContactSheetStyle()) throws -> ContactSheetGeometry {
        guard !rows.isEmpty else { throw MediaError.invalidArgument(what: "contact sheet", reason: "no rows given") }
        let columns = rows.map { columnFrames(frameCount: $0.clip.frameCount, maxColumns: style.maxColumns).count }.max()!
        guard columns > 0 else { throw MediaError.invalidArgument(what: "contact sheet", reason: "every clip has zero frames") }
        guard style.margin >= 0, style.gap >= 0, style.labelGap >= 0, style.textScale >= 1, style.titleScale >= 1 else {
            throw MediaError.invalidArgument(what: "contact sheet style", reason: "distances must be ≥ 0 and text scales ≥ 1")
        }
        let frameW = rows.map(\.clip.width).max()!, frameH = rows.map(\.clip.height).max()!
        let scale = style.scale ?? min(8, max(1, (96 + frameH - 1) / frameH))
        guard scale >= 1 else { throw MediaError.invalidArgument(what: "contact sheet style", reason: "scale must be ≥ 1 (got \(scale))") }
        let labelWidth = rows.map { BitmapFont.textWidth($0.label, scale: style.textScale) }.max()!
        let titleHeight = title.map { BitmapFont.textHeight($0, scale: style.titleScale) + style.labelGap } ?? 0
        let gridWidth = (labelWidth > 0 ? labelWidth + style.labelGap : 0) + columns * frameW * scale + (columns - 1) * style.gap
        let titleWidth = title.map { BitmapFont.textWidth($0, scale: style.titleScale) } ?? 0
        let width = 2 * style.margin + max(gridWidth, titleWidth)
        let height = 2 * style.margin + titleHeight + rows.count * frameH * scale + (rows.count - 1) * style.gap
        guard width * height <= 1 << 26 else {
            throw MediaError.tooLarge(path: "contact sheet", reason: "\(width)×\(height) pixels; lower scale or maxColumns")
        }
        return ContactSheetGeometry(scale: scale, columns: columns, rows: rows.count, cellWidth: frameW * scale,
                                    cellHeight: frameH * scale, labelWidth: labelWidth, titleHeight: titleHeight,
                                    width: width, height: height, margin: style.margin, gap: style.gap, labelGap: style.labelGap)
    }

    /// Draws the sheet: optional title centred on top, each row's label left of its frames (vertically
    /// centred), frames upscaled by nearest neighbour.
    public static func render(rows: [ContactSheetRow], title: String? = nil,
                              style: ContactSheetStyle = ContactSheetStyle()) throws -> RGBImage {
        let g = try geometry(rows: rows, title: title, style: style)
        var image = RGBImage(width: g.width, height: g.height, fill: style.background)
        if let title {
            let w = BitmapFont.textWidth(title, scale: style.titleScale)
            image.drawText(title, x: max(g.margin, (g.width - w) / 2), y: g.margin, color: style.textColor, scale: style.titleScale)
        }
        for (r, row) in rows.enumerated() {
            let origin = g.cellOrigin(row: r, column: 0)
            let textH = BitmapFont.textHeight(row.label, scale: style.textScale)
            image.drawText(row.label, x: g.margin, y: origin.y + max(0, (g.cellHeight - textH) / 2),
                           color: style.textColor, scale: style.textScale)
            for (c, t) in columnFrames(frameCount: row.clip.frameCount, maxColumns: style.maxColumns).enumerated() {
                let o = g.cellOrigin(row: r, column: c)
                image.blit(clip: row.clip, frame: t, x: o.x, y: o.y, scale: g.scale)
            }
        }
        return image
    }
}
