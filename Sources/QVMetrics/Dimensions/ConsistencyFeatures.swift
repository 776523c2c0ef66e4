import QVMedia

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Hand-built per-frame descriptors standing in for VBench's DINO (subject) and CLIP (background)
/// image features (DESIGN §8). Raw features are resolution independent (histograms, means, DCT
/// coefficients of intensities scaled to 0…1) so a fixed reference mean can centre any clip.
enum ConsistencyFeatures {
    static let orientationBins = 8
    static let subjectGrid = 3
    static let colourGrid = 4
    static let dctSize = 4
    static let borderBinsPerChannel = 4

    // MARK: subject

    /// Centre-weighted gradient-orientation histogram (3×3 cells × 8 unsigned orientations, soft-binned,
    /// L2-normalised) followed by centre-weighted colour moments (mean and standard deviation of R, G, B).
    static func subject(_ clip: VideoClip, frame t: Int) -> [Double] {
        let w = clip.width, h = clip.height
        let luma = clip.lumaPlane(t)
        let g = subjectGrid, bins = orientationBins
        var hist = [Double](repeating: 0, count: g * g * bins)
        let cx = Double(w - 1) / 2, cy = Double(h - 1) / 2
        let sigma = 0.35 * Double(min(w, h))
        let inv2s2 = 1 / (2 * sigma * sigma)
        var wsum = 0.0
        var sum = [Double](repeating: 0, count: 3), sumSq = sum
        luma.values.withUnsafeBufferPointer { p in
            clip.pixels.withUnsafeBufferPointer { px in
                hist.withUnsafeMutableBufferPointer { hb in
                    let base = t &* w &* h &* 3
                    for y in 0..<h {
                        let up = max(y &- 1, 0) &* w, dn = min(y &+ 1, h &- 1) &* w, row = y &* w
                        let dyc = Double(y) - cy
                        let cellY = min(g &- 1, y &* g / h)
                        for x in 0..<w {
                            let dxc = Double(x) - cx
                            let weight = exp(-(dxc * dxc + dyc * dyc) * inv2s2)
                            let q = base &+ (row &+ x) &* 3
                            for c in 0..<3 {
                                let value = Double(px[q &+ c]) / 255
                                sum[c] += weight * value
                                sumSq[c] += weight * value * value
                            }
                            wsum += weight
                            let gx = Double(p[row &+ min(x &+ 1, w &- 1)] - p[row &+ max(x &- 1, 0)])
                            let gy = Double(p[dn &+ x] - p[up &+ x])
                            let mag = (gx * gx + gy * gy).squareRoot()
                            guard mag > 1e-9 else { continue }
                            var angle = atan2(gy, gx)
                            if angle < 0 { angle += Double.pi }
                            let pos = angle / Double.pi * Double(bins) - 0.5
                            let lo = Int(floor(pos)), frac = pos - floor(pos)
                            let b0 = (lo + bins) % bins, b1 = (lo + 1 + bins) % bins
                            let cell = (cellY &* g &+ min(g &- 1, x &* g / w)) &* bins
                            hb[cell &+ b0] += weight * mag * (1 - frac)
                            hb[cell &+ b1] += weight * mag * frac
                        }
                    }
                }
            }
        }
        normaliseL2(&hist)
        var feature = hist
        for c in 0..<3 {
            let mean = sum[c] / wsum
            feature.append(mean)
            feature.append(max(0, sumSq[c] / wsum - mean * mean).squareRoot())
        }
        return feature
    }

    // MARK: background

    /// Coarse colour grid (4×4 cells of mean R, G, B, weighted ¼), the 4×4 lowest 2-D DCT coefficients
    /// of luma, and a 4×4×4 RGB histogram of the border band (an eighth of the shorter side).
    static func background(_ clip: VideoClip, frame t: Int) -> [Double] {
        let w = clip.width, h = clip.height, g = colourGrid
        var grid = [Double](repeating: 0, count: g * g * 3)
        var cellCount = [Double](repeating: 0, count: g * g)
        let nb = borderBinsPerChannel
        var border = [Double](repeating: 0, count: nb * nb * nb)
        let band = max(1, min(w, h) / 8)
        var borderCount = 0.0
        clip.pixels.withUnsafeBufferPointer { px in
            let base = t &* w &* h &* 3
            for y in 0..<h {
                let cellY = min(g &- 1, y &* g / h)
                let yBorder = y < band || y >= h &- band
                for x in 0..<w {
                    let q = base &+ (y &* w &+ x) &* 3
                    let cell = cellY &* g &+ min(g &- 1, x &* g / w)
                    let r = px[q], gg = px[q &+ 1], b = px[q &+ 2]
                    grid[cell &* 3] += Double(r)
                    grid[cell &* 3 &+ 1] += Double(gg)
                    grid[cell &* 3 &+ 2] += Double(b)
                    cellCount[cell] += 1
                    if yBorder || x < band || x >= w &- band {
                        let bin = (Int(r) &* nb / 256 &* nb &+ Int(gg) &* nb / 256) &* nb &+ Int(b) &* nb / 256
                        border[bin] += 1
                        borderCount += 1
                    }
                }
            }
        }
        var feature = [Double]()
        feature.reserveCapacity(g * g * 3 + dctSize * dctSize + border.count)
        for cell in 0..<(g * g) {
            for c in 0..<3 { feature.append(0.25 * grid[cell * 3 + c] / (255 * max(1, cellCount[cell]))) }
        }
        feature.append(contentsOf: lowFrequencyDCT(clip.lumaPlane(t), size: dctSize))
        for i in border.indices { feature.append(border[i] / max(1, borderCount)) }
        return feature
    }

    /// The `size`×`size` lowest coefficients of an orthonormal-style 2-D DCT-II of `plane`/255, divided
    /// by the pixel count so they do not depend on resolution (the DC term is the mean intensity).
    static func lowFrequencyDCT(_ plane: Plane, size k: Int) -> [Double] {
        let w = plane.width, h = plane.height
        let cosX = DCTBasis.table(length: w, count: k), cosY = DCTBasis.table(length: h, count: k)
        var rows = [Double](repeating: 0, count: h * k)
        plane.values.withUnsafeBufferPointer { p in
            for y in 0..<h {
                for kx in 0..<k {
                    var acc = 0.0
                    let row = y &* w, cb = kx &* w
                    for x in 0..<w { acc += Double(p[row &+ x]) * cosX[cb &+ x] }
                    rows[y &* k &+ kx] = acc
                }
            }
        }
        var out = [Double](repeating: 0, count: k * k)
        let scale = 1 / (255 * Double(w * h))
        for ky in 0..<k {
            for kx in 0..<k {
                var acc = 0.0
                for y in 0..<h { acc += rows[y * k + kx] * cosY[ky * h + y] }
                out[ky * k + kx] = acc * scale
            }
        }
        return out
    }

    static func normaliseL2(_ v: inout [Double]) {
        var norm = 0.0
        for x in v { norm += x * x }
        norm = norm.squareRoot()
        guard norm > 1e-12 else { return }
        for i in v.indices { v[i] /= norm }
    }
}

/// DCT-II basis rows `√2·cos(π(2n+1)k / 2N)` (k ≥ 1) and 1 (k = 0), flattened `[k * length + n]`.
enum DCTBasis {
    static func table(length n: Int, count k: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n * k)
        for kk in 0..<k {
            let norm = kk == 0 ? 1.0 : 2.0.squareRoot()
            for i in 0..<n {
                out[kk * n + i] = norm * cos(Double.pi * Double(2 * i + 1) * Double(kk) / Double(2 * n))
            }
        }
        return out
    }
}
