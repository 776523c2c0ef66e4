import QVMedia

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Aesthetic quality: VBench scores every frame with the LAION aesthetic predictor (÷10) and averages
/// per video, then over videos. We keep that aggregation and score a frame from four classical
/// photo-aesthetics cues, each in [0, 1], as a weighted mean:
/// - colourfulness (Hasler & Süsstrunk 2003) `M = σ_rgyb + 0.3·μ_rgyb`, mapped `1 − e^(−M/45)` (0.3);
/// - contrast, RMS luma `min(1, σ/0.25)` (0.25);
/// - exposure balance `1 − ((μ − ½)/½)²` times the unclipped fraction (0.25);
/// - simplicity (Ke, Tang & Jing 2006): one minus the area of the box holding 96% of the edge energy (0.2).
/// This is the weakest proxy: a learned aesthetic model judges composition and content, which these
/// cues only touch.
enum AestheticQuality {
    static func score(_ clip: VideoClip) -> Double {
        guard clip.frameCount > 0 else { return 0 }
        var total = 0.0
        for t in 0..<clip.frameCount { total += frameScore(clip, frame: t) }
        return total / Double(clip.frameCount)
    }

    static func frameScore(_ clip: VideoClip, frame t: Int) -> Double {
        let w = clip.width, h = clip.height, n = w * h
        var srg = 0.0, srg2 = 0.0, syb = 0.0, syb2 = 0.0, sl = 0.0, sl2 = 0.0
        var clipped = 0
        clip.pixels.withUnsafeBufferPointer { px in
            let base = t &* n &* 3
            for i in 0..<n {
                let r = Double(px[base &+ i &* 3]), g = Double(px[base &+ i &* 3 &+ 1]), b = Double(px[base &+ i &* 3 &+ 2])
                let rg = r - g, yb = 0.5 * (r + g) - b
                srg += rg; srg2 += rg * rg; syb += yb; syb2 += yb * yb
                let l = (0.299 * r + 0.587 * g + 0.114 * b) / 255
                sl += l; sl2 += l * l
                if l <= 2.0 / 255 || l >= 253.0 / 255 { clipped += 1 }
            }
        }
        let count = Double(n)
        let mrg = srg / count, myb = syb / count
        let vrg = max(0, srg2 / count - mrg * mrg), vyb = max(0, syb2 / count - myb * myb)
        let colourfulness = (vrg + vyb).squareRoot() + 0.3 * (mrg * mrg + myb * myb).squareRoot()
        let colourTerm = 1 - exp(-colourfulness / 45)
        let meanLuma = sl / count
        let contrastTerm = min(1, max(0, sl2 / count - meanLuma * meanLuma).squareRoot() / 0.25)
        let offset = (meanLuma - 0.5) / 0.5
        let exposureTerm = max(0, 1 - offset * offset) * (1 - Double(clipped) / count)
        let simplicityTerm = 1 - edgeBoxArea(clip.lumaPlane(t))
        return 0.3 * colourTerm + 0.25 * contrastTerm + 0.25 * exposureTerm + 0.2 * simplicityTerm
    }

    /// Fraction of the frame covered by the box that holds the central 96% of the Laplacian edge
    /// energy along each axis (2% trimmed from each side); 1 when there are no edges at all.
    static func edgeBoxArea(_ luma: Plane) -> Double {
        let w = luma.width, h = luma.height
        guard w > 2, h > 2 else { return 1 }
        var cols = [Double](repeating: 0, count: w), rows = [Double](repeating: 0, count: h)
        var total = 0.0
        luma.values.withUnsafeBufferPointer { p in
            for y in 1..<(h - 1) {
                for x in 1..<(w - 1) {
                    let i = y &* w &+ x
                    let lap = abs(Double(4 * p[i] - p[i &- 1] - p[i &+ 1] - p[i &- w] - p[i &+ w]))
                    cols[x] += lap; rows[y] += lap; total += lap
                }
            }
        }
        guard total > 1e-9 else { return 1 }
        func span(_ m: [Double]) -> Double {
            var acc = 0.0, lo = 0, hi = m.count - 1
            for i in m.indices { acc += m[i]; if acc >= 0.02 * total { lo = i; break } }
            acc = 0
            for i in m.indices.reversed() { acc += m[i]; if acc >= 0.02 * total { hi = i; break } }
            return Double(max(1, hi - lo + 1)) / Double(m.count)
        }
        return span(cols) * span(rows)
    }
}
