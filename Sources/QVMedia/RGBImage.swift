/// An 8-bit RGB colour.
public struct RGBColor: Sendable, Equatable, Hashable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    public static let black = RGBColor(0, 0, 0)
    public static let white = RGBColor(255, 255, 255)
    public static let lightGray = RGBColor(225, 225, 225)
    public static let gray = RGBColor(128, 128, 128)
    public static let darkGray = RGBColor(60, 60, 60)

    /// Ten well-separated series colours (the familiar "category10" hues).
    public static let palette: [RGBColor] = [
        RGBColor(31, 119, 180), RGBColor(255, 127, 14), RGBColor(44, 160, 44), RGBColor(214, 39, 40),
        RGBColor(148, 103, 189), RGBColor(140, 86, 75), RGBColor(227, 119, 194), RGBColor(127, 127, 127),
        RGBColor(188, 189, 34), RGBColor(23, 190, 207),
    ]
}

/// A single RGB picture (contact sheets, plots, PNG files): `height` rows of `width` interleaved RGB
/// pixels, `pixels[(y * width + x) * 3 + c]`.
public struct RGBImage: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    /// Interleaved RGB bytes; keep the count at width × height × 3 when mutating directly.
    public var pixels: [UInt8]

    /// An image filled with one colour. Sizes must be positive.
    public init(width: Int, height: Int, fill: RGBColor = .white) {
        precondition(width > 0 && height > 0, "RGBImage: bad size \(width)×\(height)")
        self.width = width
        self.height = height
        var px = [UInt8](repeating: 0, count: width * height * 3)
        px.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i < p.count { p[i] = fill.r; p[i &+ 1] = fill.g; p[i &+ 2] = fill.b; i &+= 3 }
        }
        self.pixels = px
    }

    /// Wraps existing interleaved RGB bytes; throws when the count does not match the size.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0, pixels.count == width * height * 3 else {
            throw MediaError.invalidArgument(what: "RGBImage", reason:
                "\(pixels.count) bytes do not make a \(width)×\(height) RGB image (need \(max(0, width * height * 3)))")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Frame `t` of a clip as an image.
    public init(clip: VideoClip, frame t: Int) {
        precondition(t >= 0 && t < clip.frameCount, "RGBImage(clip:frame:): frame \(t) of \(clip.frameCount)")
        self.width = clip.width
        self.height = clip.height
        self.pixels = Array(clip.frame(t))
    }

    /// The colour at (x, y); (0, 0) is the top-left pixel.
    public subscript(x: Int, y: Int) -> RGBColor {
        get {
            let i = (y * width + x) * 3
            return RGBColor(pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 3
            pixels[i] = newValue.r; pixels[i + 1] = newValue.g; pixels[i + 2] = newValue.b
        }
    }

    /// Fills the rectangle [x, x+w) × [y, y+h), clipped to the image.
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, color: RGBColor) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        let wd = width
        pixels.withUnsafeMutableBufferPointer { p in
            for yy in y0..<y1 {
                var i = (yy &* wd &+ x0) &* 3
                for _ in x0..<x1 { p[i] = color.r; p[i &+ 1] = color.g; p[i &+ 2] = color.b; i &+= 3 }
            }
        }
    }

    /// Draws a 1-pixel rectangle outline.
    public mutating func strokeRect(x: Int, y: Int, width w: Int, height h: Int, color: RGBColor) {
        fillRect(x: x, y: y, width: w, height: 1, color: color)
        fillRect(x: x, y: y + h - 1, width: w, height: 1, color: color)
        fillRect(x: x, y: y, width: 1, height: h, color: color)
        fillRect(x: x + w - 1, y: y, width: 1, height: h, color: color)
    }

    /// Draws a line from (x0, y0) to (x1, y1) with Bresenham's algorithm; `thickness` > 1 stamps a square.
    public mutating func drawLine(x0: Int, y0: Int, x1: Int, y1: Int, color: RGBColor, thickness: Int = 1) {
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy, x = x0, y = y0
        let half = (thickness - 1) / 2
        // At most dx + dy + 1 steps: the loop is bounded by construction.
        for _ in 0...(dx - dy) {
            if thickness <= 1 {
                if x >= 0, y >= 0, x < width, y < height { self[x, y] = color }
            } else {
                fillRect(x: x - half, y: y - half, width: thickness, height: thickness, color: color)
            }
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// Copies `source` with its top-left at (x, y), each source pixel becoming a `scale`×`scale` block
    /// (nearest-neighbour upscaling, so tiny 32×32 frames stay crisp). Clipped to this image.
    public mutating func blit(_ source: RGBImage, x: Int, y: Int, scale: Int = 1) {
        blit(width: source.width, height: source.height, pixels: source.pixels, x: x, y: y, scale: scale)
    }

    /// Copies frame `t` of `clip` like `blit(_:x:y:scale:)`.
    public mutating func blit(clip: VideoClip, frame t: Int, x: Int, y: Int, scale: Int = 1) {
        let start = t * clip.frameStride
        clip.pixels.withUnsafeBufferPointer { src in
            blitRaw(srcW: clip.width, srcH: clip.height, src: UnsafeBufferPointer(rebasing: src[start..<(start + clip.frameStride)]),
                    x: x, y: y, scale: scale)
        }
    }

    private mutating func blit(width sw: Int, height sh: Int, pixels src: [UInt8], x: Int, y: Int, scale: Int) {
        src.withUnsafeBufferPointer { blitRaw(srcW: sw, srcH: sh, src: $0, x: x, y: y, scale: scale) }
    }

    private mutating func blitRaw(srcW: Int, srcH: Int, src: UnsafeBufferPointer<UInt8>, x: Int, y: Int, scale: Int) {
        let s = max(1, scale), dw = width, dh = height
        pixels.withUnsafeMutableBufferPointer { dst in
            for sy in 0..<srcH {
                for ry in 0..<s {
                    let dy = y &+ sy &* s &+ ry
                    if dy < 0 || dy >= dh { continue }
                    let srow = sy &* srcW &* 3, drow = dy &* dw &* 3
                    for sx in 0..<srcW {
                        let si = srow &+ sx &* 3
                        for rx in 0..<s {
                            let dx = x &+ sx &* s &+ rx
                            if dx < 0 || dx >= dw { continue }
                            let di = drow &+ dx &* 3
                            dst[di] = src[si]; dst[di &+ 1] = src[si &+ 1]; dst[di &+ 2] = src[si &+ 2]
                        }
                    }
                }
            }
        }
    }
}
