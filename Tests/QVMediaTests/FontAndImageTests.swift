import Testing
@testable import QVMedia

/// Number of lit font pixels for `text` at scale 1 (each set bit of each glyph row).
func litPixels(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { sum, s in sum + BitmapFont.rows(for: s).reduce(0) { $0 + $1.nonzeroBitCount } }
}

/// Non-background pixels inside a rectangle.
func countInk(_ img: RGBImage, x: Int, y: Int, width: Int, height: Int, background: RGBColor = .white) -> Int {
    var n = 0
    for yy in max(0, y)..<min(img.height, y + height) { for xx in max(0, x)..<min(img.width, x + width) where img[xx, yy] != background { n += 1 } }
    return n
}

@Suite("Bitmap font and RGBImage")
struct FontAndImageTests {
    @Test("Every printable ASCII character has a glyph; space is blank, others are not")
    func table() {
        #expect(BitmapFont.table.count == 95 * 7)
        for v in 33...126 { #expect(litPixels(String(UnicodeScalar(UInt8(v)))) > 0, "glyph \(v) is empty") }
        #expect(litPixels(" ") == 0)
        #expect(Array(BitmapFont.rows(for: "é")) == Array(BitmapFont.rows(for: "?")))
        // No two glyphs are identical (each character is distinguishable).
        let glyphs = (32...126).map { Array(BitmapFont.rows(for: UnicodeScalar(UInt8($0)))) }
        #expect(Set(glyphs.map { $0.map(String.init).joined(separator: ",") }).count == 95)
    }

    @Test("'A' draws exactly its 5×7 pattern")
    func drawA() {
        let art = [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"]
        var img = RGBImage(width: 7, height: 9)
        img.drawText("A", x: 1, y: 1, color: .black)
        for y in 0..<9 { for x in 0..<7 {
            let inGlyph = x >= 1 && x < 6 && y >= 1 && y < 8
            let on = inGlyph && Array(art[y - 1])[x - 1] == "#"
            #expect(img[x, y] == (on ? RGBColor.black : RGBColor.white), "pixel \(x),\(y)")
        } }
    }

    @Test("Text size: width 6n−1 per line, height 7 + 9 per extra line, scaled")
    func metrics() {
        #expect(BitmapFont.textWidth("abc") == 17)
        #expect(BitmapFont.textWidth("abc", scale: 3) == 51)
        #expect(BitmapFont.textWidth("") == 0)
        #expect(BitmapFont.textWidth("ab\nabcd") == 23)
        #expect(BitmapFont.textHeight("x") == 7)
        #expect(BitmapFont.textHeight("x\ny", scale: 2) == 32)
        var img = RGBImage(width: 40, height: 30)
        img.drawText("Hi!", x: 2, y: 3, color: .black, scale: 2)
        #expect(countInk(img, x: 0, y: 0, width: 40, height: 30) == 4 * litPixels("Hi!"))
        #expect(countInk(img, x: 2, y: 3, width: BitmapFont.textWidth("Hi!", scale: 2), height: 14) == 4 * litPixels("Hi!"))
    }

    @Test("Rotated text is the upright text turned 90° anticlockwise")
    func rotated() {
        let text = "Loss 1e-3"
        let w = BitmapFont.textWidth(text), h = BitmapFont.glyphHeight
        var upright = RGBImage(width: w, height: h)
        upright.drawText(text, x: 0, y: 0, color: .black)
        var turned = RGBImage(width: h, height: w)
        turned.drawTextRotatedLeft(text, x: 0, y: 0, color: .black)
        for y in 0..<h { for x in 0..<w { #expect(turned[y, w - 1 - x] == upright[x, y]) } }
    }

    @Test("fillRect clips, drawLine hits both endpoints, blit upscales by nearest neighbour")
    func primitives() throws {
        var img = RGBImage(width: 10, height: 8)
        img.fillRect(x: -3, y: 6, width: 5, height: 10, color: .black)
        #expect(countInk(img, x: 0, y: 0, width: 10, height: 8) == 2 * 2)
        img.drawLine(x0: 1, y0: 1, x1: 8, y1: 4, color: RGBColor(255, 0, 0))
        #expect(img[1, 1] == RGBColor(255, 0, 0) && img[8, 4] == RGBColor(255, 0, 0))
        let src = try RGBImage(width: 2, height: 1, pixels: [1, 2, 3, 4, 5, 6])
        var big = RGBImage(width: 6, height: 3)
        big.blit(src, x: 0, y: 0, scale: 3)
        #expect(big[2, 2] == RGBColor(1, 2, 3) && big[3, 0] == RGBColor(4, 5, 6) && big[5, 2] == RGBColor(4, 5, 6))
        #expect(mediaError { try RGBImage(width: 2, height: 2, pixels: [0]) } != nil)
    }
}

@Suite("In-memory clip resize")
struct ClipResizeTests {
    @Test("Area halving equals the 2×2 block mean (±1); same size is identity; bilinear keeps flat colour")
    func halve() throws {
        let clip = movingPatternClip(frames: 3, width: 40, height: 30)
        let half = try clip.resized(to: FrameSize(width: 20, height: 15))
        #expect(half.frameCount == 3 && half.width == 20 && half.height == 15 && half.fps == clip.fps)
        var worst = 0
        for t in 0..<3 { for y in 0..<15 { for x in 0..<20 { for c in 0..<3 {
            var s = 0
            for dy in 0..<2 { for dx in 0..<2 { s += Int(clip.pixels[((t * 30 + 2 * y + dy) * 40 + 2 * x + dx) * 3 + c]) } }
            worst = max(worst, abs(Int(half.pixels[((t * 15 + y) * 20 + x) * 3 + c]) - (s + 2) / 4))
        } } } }
        #expect(worst <= 1, "area resize deviates from the block mean by \(worst)")
        #expect(try clip.resized(to: FrameSize(width: 40, height: 30)) == clip)
        let flat = VideoClip(frameCount: 1, height: 8, width: 8, pixels: [UInt8](repeating: 77, count: 8 * 8 * 3))
        let up = try flat.resized(to: FrameSize(width: 13, height: 11), filter: .bilinear)
        #expect(up.pixels.allSatisfy { $0 == 77 })
        #expect(mediaError { try flat.resized(to: FrameSize(width: 0, height: 4)) } != nil)
    }
}
