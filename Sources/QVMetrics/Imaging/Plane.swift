import QVMedia

/// A single-channel Float image, row-major (`values[y * width + x]`).
///
/// Metrics work on luma planes in 0…255 units (BT.601 weights) and on per-channel RGB planes; this is
/// the small container they share. Internal: callers see only `VideoClip` and scores.
struct Plane: Sendable, Equatable {
    var width: Int
    var height: Int
    var values: [Float]

    init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height, "Plane: \(values.count) values for \(width)×\(height)")
        self.width = width
        self.height = height
        self.values = values
    }

    init(width: Int, height: Int, fill: Float = 0) {
        self.init(width: width, height: height, values: [Float](repeating: fill, count: width * height))
    }

    var count: Int { width * height }
}

extension VideoClip {
    /// BT.601 luma of frame `t` in 0…255.
    func lumaPlane(_ t: Int) -> Plane {
        let n = height * width
        var out = [Float](repeating: 0, count: n)
        pixels.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { o in
                let base = t &* n &* 3
                for i in 0..<n {
                    let p = base &+ i &* 3
                    o[i] = 0.299 * Float(px[p]) + 0.587 * Float(px[p &+ 1]) + 0.114 * Float(px[p &+ 2])
                }
            }
        }
        return Plane(width: width, height: height, values: out)
    }

    /// BT.601 luma Y and the chroma differences Cb = 0.564(B − Y), Cr = 0.713(R − Y) of frame `t`,
    /// all in grey-level units (chroma in −128…128).
    func lumaChromaPlanes(_ t: Int) -> [Plane] {
        let n = height * width
        var y = [Float](repeating: 0, count: n), cb = y, cr = y
        pixels.withUnsafeBufferPointer { px in
            let base = t &* n &* 3
            for i in 0..<n {
                let p = base &+ i &* 3
                let r = Float(px[p]), g = Float(px[p &+ 1]), b = Float(px[p &+ 2])
                let luma = 0.299 * r + 0.587 * g + 0.114 * b
                y[i] = luma
                cb[i] = 0.564 * (b - luma)
                cr[i] = 0.713 * (r - luma)
            }
        }
        return [Plane(width: width, height: height, values: y), Plane(width: width, height: height, values: cb),
                Plane(width: width, height: height, values: cr)]
    }

    /// Whether any pixel of the clip is not grey (R, G, B not all equal).
    var hasColour: Bool {
        pixels.withUnsafeBufferPointer { px in
            var i = 0
            while i &+ 2 < px.count {
                if px[i] != px[i &+ 1] || px[i &+ 1] != px[i &+ 2] { return true }
                i &+= 3
            }
            return false
        }
    }

    /// Channel `c` (0 = R, 1 = G, 2 = B) of frame `t` as a plane in 0…255.
    func channelPlane(_ t: Int, channel c: Int) -> Plane {
        let n = height * width
        var out = [Float](repeating: 0, count: n)
        pixels.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { o in
                let base = t &* n &* 3 &+ c
                for i in 0..<n { o[i] = Float(px[base &+ i &* 3]) }
            }
        }
        return Plane(width: width, height: height, values: out)
    }
}

extension Plane {
    /// Bilinear sample at a real position, coordinates clamped to the image (replicated border).
    @inline(__always)
    static func bilinear(_ p: UnsafeBufferPointer<Float>, width: Int, height: Int, x: Float, y: Float) -> Float {
        let xc = min(max(x, 0), Float(width - 1))
        let yc = min(max(y, 0), Float(height - 1))
        let x0 = Int(xc), y0 = Int(yc)
        let x1 = min(x0 &+ 1, width &- 1), y1 = min(y0 &+ 1, height &- 1)
        let fx = xc - Float(x0), fy = yc - Float(y0)
        let r0 = y0 &* width, r1 = y1 &* width
        let top = p[r0 &+ x0] + fx * (p[r0 &+ x1] - p[r0 &+ x0])
        let bottom = p[r1 &+ x0] + fx * (p[r1 &+ x1] - p[r1 &+ x0])
        return top + fy * (bottom - top)
    }

    /// Blur with the binomial kernel [1 2 1]/4 in both directions, then keep every second pixel.
    /// Output size is ⌈w/2⌉ × ⌈h/2⌉. Used to build the flow pyramid.
    func downsampled() -> Plane {
        let w = width, h = height
        let ow = (w + 1) / 2, oh = (h + 1) / 2
        var tmp = [Float](repeating: 0, count: w * oh)
        var out = [Float](repeating: 0, count: ow * oh)
        values.withUnsafeBufferPointer { src in
            tmp.withUnsafeMutableBufferPointer { t in
                for oy in 0..<oh {
                    let y = oy &* 2
                    let ya = max(y &- 1, 0) &* w, yb = y &* w, yc = min(y &+ 1, h &- 1) &* w
                    let row = oy &* w
                    for x in 0..<w { t[row &+ x] = 0.25 * src[ya &+ x] + 0.5 * src[yb &+ x] + 0.25 * src[yc &+ x] }
                }
            }
        }
        tmp.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { o in
                for oy in 0..<oh {
                    let row = oy &* w
                    for ox in 0..<ow {
                        let x = ox &* 2
                        let xa = max(x &- 1, 0), xc = min(x &+ 1, w &- 1)
                        o[oy &* ow &+ ox] = 0.25 * t[row &+ xa] + 0.5 * t[row &+ x] + 0.25 * t[row &+ xc]
                    }
                }
            }
        }
        return Plane(width: ow, height: oh, values: out)
    }

    /// Separable Gaussian blur with standard deviation `sigma` (pixels), replicated border.
    /// `sigma <= 0` returns the plane unchanged.
    func gaussianBlurred(sigma: Float) -> Plane {
        guard sigma > 0 else { return self }
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = [Float](repeating: 0, count: 2 * radius + 1)
        var total: Float = 0
        for i in -radius...radius {
            let k = expf(-Float(i * i) / (2 * sigma * sigma))
            kernel[i + radius] = k
            total += k
        }
        for i in kernel.indices { kernel[i] /= total }
        let w = width, h = height
        var tmp = [Float](repeating: 0, count: count)
        var out = [Float](repeating: 0, count: count)
        values.withUnsafeBufferPointer { src in
            tmp.withUnsafeMutableBufferPointer { t in
                kernel.withUnsafeBufferPointer { k in
                    for y in 0..<h {
                        let row = y &* w
                        for x in 0..<w {
                            var acc: Float = 0
                            for i in -radius...radius {
                                let xx = min(max(x &+ i, 0), w &- 1)
                                acc += k[i &+ radius] * src[row &+ xx]
                            }
                            t[row &+ x] = acc
                        }
                    }
                }
            }
        }
        tmp.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { o in
                kernel.withUnsafeBufferPointer { k in
                    for y in 0..<h {
                        for x in 0..<w {
                            var acc: Float = 0
                            for i in -radius...radius {
                                let yy = min(max(y &+ i, 0), h &- 1)
                                acc += k[i &+ radius] * t[yy &* w &+ x]
                            }
                            o[y &* w &+ x] = acc
                        }
                    }
                }
            }
        }
        return Plane(width: w, height: h, values: out)
    }
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
