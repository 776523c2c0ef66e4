import Testing
@testable import QVMedia

@Suite("Contact sheets")
struct ContactSheetTests {
    let a = movingPatternClip(frames: 4, width: 32, height: 32)
    let b = movingPatternClip(frames: 3, width: 32, height: 32)
    var rows: [ContactSheetRow] { [ContactSheetRow(label: "ab", clip: a), ContactSheetRow(label: "long label", clip: b)] }
    let style = ContactSheetStyle(scale: 2, margin: 8, gap: 2, labelGap: 6, textScale: 1, titleScale: 2)

    @Test("Size as computed by hand: labels, title, gaps, margins, 2× frames")
    func size() throws {
        // label column 10·6−1 = 59; grid 59 + 6 + 4·64 + 3·2 = 327; title 2·7 + 6 = 20; rows 2·64 + 2.
        let g = try ContactSheet.geometry(rows: rows, title: "T", style: style)
        #expect(g.labelWidth == 59 && g.columns == 4 && g.cellWidth == 64 && g.cellHeight == 64)
        #expect(g.width == 8 + 327 + 8)
        #expect(g.height == 8 + 20 + 2 * 64 + 2 + 8)
        let img = try ContactSheet.render(rows: rows, title: "T", style: style)
        #expect(img.width == 343 && img.height == 166)
        // No title, no labels: just the frames.
        let bare = try ContactSheet.geometry(rows: [ContactSheetRow(label: "", clip: a)], style: style)
        #expect(bare.width == 16 + 4 * 64 + 3 * 2 && bare.height == 16 + 64)
    }

    @Test("Frames are placed and upscaled by nearest neighbour; missing frames stay background")
    func frames() throws {
        let g = try ContactSheet.geometry(rows: rows, title: "T", style: style)
        let img = try ContactSheet.render(rows: rows, title: "T", style: style)
        for (r, clip) in [a, b].enumerated() {
            for c in 0..<clip.frameCount {
                let o = g.cellOrigin(row: r, column: c)
                for (sx, sy) in [(0, 0), (5, 9), (31, 31), (17, 3)] {
                    let i = ((c * 32 + sy) * 32 + sx) * 3
                    let expected = RGBColor(clip.pixels[i], clip.pixels[i + 1], clip.pixels[i + 2])
                    #expect(img[o.x + 2 * sx, o.y + 2 * sy] == expected)
                    #expect(img[o.x + 2 * sx + 1, o.y + 2 * sy + 1] == expected)
                }
            }
        }
        let empty = g.cellOrigin(row: 1, column: 3)
        #expect(countInk(img, x: empty.x, y: empty.y, width: 64, height: 64) == 0)
    }

    @Test("Labels and title are drawn where expected, with exactly the glyph pixels")
    func labels() throws {
        let g = try ContactSheet.geometry(rows: rows, title: "Title", style: style)
        let img = try ContactSheet.render(rows: rows, title: "Title", style: style)
        for (r, label) in ["ab", "long label"].enumerated() {
            let y = g.cellOrigin(row: r, column: 0).y + (64 - 7) / 2
            #expect(countInk(img, x: 8, y: y, width: g.labelWidth, height: 7) == litPixels(label))
        }
        // The title band holds exactly the title's pixels at scale 2.
        #expect(countInk(img, x: 0, y: 0, width: g.width, height: 8 + 14) == 4 * litPixels("Title"))
        #expect(countInk(img, x: 0, y: 8, width: g.width / 2 - 40, height: 14) == 0)  // centred, not left
    }

    @Test("Automatic scale, column sampling and errors")
    func options() throws {
        #expect(try ContactSheet.geometry(rows: rows).scale == 3)
        #expect(ContactSheet.columnFrames(frameCount: 10, maxColumns: 4) == [0, 3, 6, 9])
        #expect(ContactSheet.columnFrames(frameCount: 3, maxColumns: 8) == [0, 1, 2])
        let g = try ContactSheet.geometry(rows: rows, style: ContactSheetStyle(scale: 1, maxColumns: 2))
        #expect(g.columns == 2)
        #expect(mediaError { try ContactSheet.render(rows: []) } != nil)
        let none = ContactSheetRow(label: "x", clip: VideoClip(frameCount: 0, height: 4, width: 4))
        #expect(mediaError { try ContactSheet.render(rows: [none]) } != nil)
    }

    @Test("Sheet round-trips through PNG")
    func png() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let img = try ContactSheet.render(rows: rows, title: "methods", style: style)
        try PNGFile.write(img, to: dir + "/sheet.png")
        #expect(try PNGFile.read(dir + "/sheet.png") == img)
    }
}
