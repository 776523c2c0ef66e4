import QVMedia
@testable import QVData

/// Independent measurements on rendered pixels: the object's coverage per pixel is recovered by
/// inverting the alpha blend against the exact background render, `c = (P−B)·(O−B) / |O−B|²`.
struct ObjectMeasurement {
    var centroidX: Double
    var centroidY: Double
    var area: Double
    /// Mean colour of pixels the object covers almost fully (coverage ≥ 0.9).
    var coreColour: RGB?
    /// Orientation of the principal axis (radians, mod π) from second moments.
    var principalAngle: Double
    var coverage: [Double]
}

func measureObject(frame t: Int, clip: VideoClip, background: VideoClip, colour: RGB) -> ObjectMeasurement {
    let (H, W) = (clip.height, clip.width)
    var cov = [Double](repeating: 0, count: H * W)
    var sx = 0.0, sy = 0.0, sw = 0.0
    var cr = 0.0, cg = 0.0, cb = 0.0, cn = 0.0
    let o = [Double(colour.r), Double(colour.g), Double(colour.b)]
    for y in 0..<H {
        for x in 0..<W {
            let i = ((t * H + y) * W + x) * 3
            var num = 0.0, den = 0.0
            for ch in 0..<3 {
                let p = Double(clip.pixels[i + ch]), b = Double(background.pixels[i + ch])
                num += (p - b) * (o[ch] - b)
                den += (o[ch] - b) * (o[ch] - b)
            }
            let c = den > 0 ? min(max(num / den, 0), 1) : 0
            // Ignore rounding noise on the background.
            let w = c < 0.03 ? 0 : c
            cov[y * W + x] = w
            sx += w * (Double(x) + 0.5); sy += w * (Double(y) + 0.5); sw += w
            if w >= 0.9 {
                cr += Double(clip.pixels[i]); cg += Double(clip.pixels[i + 1]); cb += Double(clip.pixels[i + 2]); cn += 1
            }
        }
    }
    let mx = sw > 0 ? sx / sw : .nan, my = sw > 0 ? sy / sw : .nan
    var mxx = 0.0, myy = 0.0, mxy = 0.0
    for y in 0..<H {
        for x in 0..<W {
            let w = cov[y * W + x]
            let dx = Double(x) + 0.5 - mx, dy = Double(y) + 0.5 - my
            mxx += w * dx * dx; myy += w * dy * dy; mxy += w * dx * dy
        }
    }
    let angle = 0.5 * atan2Double(2 * mxy, mxx - myy)
    let core = cn > 0 ? RGB(UInt8((cr / cn).rounded()), UInt8((cg / cn).rounded()), UInt8((cb / cn).rounded())) : nil
    return ObjectMeasurement(centroidX: mx, centroidY: my, area: sw, coreColour: core, principalAngle: angle,
                             coverage: cov)
}

#if canImport(Glibc)
import Glibc
func atan2Double(_ y: Double, _ x: Double) -> Double { Glibc.atan2(y, x) }
#else
import Foundation
func atan2Double(_ y: Double, _ x: Double) -> Double { Foundation.atan2(y, x) }
#endif
