import QVMedia

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The classical no-reference measurements behind imaging quality, for one frame (luma in 0…1).
public struct ImagingQualityTerms: Sendable, Hashable, Codable {
    /// Immerkær's noise standard deviation (1996), from the Laplacian-difference mask.
    public var noiseSigma: Double
    /// RMS gradient after removing the noise's share (E|∇I|² − σ²)^½ (central differences).
    public var sharpness: Double
    /// Fraction of pixels at the ends of the range (luma ≤ 2/255 or ≥ 253/255).
    public var clippedFraction: Double
    /// RMS contrast: standard deviation of luma.
    public var contrast: Double
    /// Shannon entropy of the 256-bin luma histogram, in bits (tonal richness; falls under quantisation).
    public var entropyBits: Double
}

/// Imaging quality: VBench scores every frame with MUSIQ (÷100) and averages per video, then over videos.
/// We keep that aggregation and score a frame from classical no-reference terms, each mapped to (0, 1]
/// and combined as a weighted geometric mean, so the score falls monotonically when any one term worsens:
/// sharpness `1 − e^(−s/0.03)` (weight 0.35), noise `e^(−σ·255/10)` (0.35), clipping `1 − ½·clipped`
/// (0.1), contrast `min(1, c/0.15)` (0.1), tonal richness `0.5 + 0.5·min(1, H/6 bits)` (0.1).
enum ImagingQuality {
    static func score(_ clip: VideoClip) -> Double {
        guard clip.frameCount > 0 else { return 0 }
        var total = 0.0
        for t in 0..<clip.frameCount { total += combine(terms(clip.lumaPlane(t))) }
        return total / Double(clip.frameCount)
    }

    static func combine(_ q: ImagingQualityTerms) -> Double {
        let sharp = max(1e-6, 1 - exp(-q.sharpness / 0.03))
        let noise = exp(-q.noiseSigma * 255 / 10)
        let clip = 1 - 0.5 * q.clippedFraction
        let contrast = max(1e-6, min(1, q.contrast / 0.15))
        let tonal = 0.5 + 0.5 * min(1, q.entropyBits / 6)
        return exp(0.35 * log(sharp) + 0.35 * log(noise) + 0.1 * log(clip) + 0.1 * log(contrast) + 0.1 * log(tonal))
    }

    /// Measures one luma plane given in 0…255.
    static func terms(_ luma: Plane) -> ImagingQualityTerms {
        let w = luma.width, h = luma.height, n = w * h
        var histogram = [Int](repeating: 0, count: 256)
        var sum = 0.0, sumSq = 0.0, clipped = 0
        var gradientEnergy = 0.0, laplacianAbs = 0.0
        luma.values.withUnsafeBufferPointer { p in
            for y in 0..<h {
                let up = max(y &- 1, 0) &* w, dn = min(y &+ 1, h &- 1) &* w, row = y &* w
                for x in 0..<w {
                    let v = Double(p[row &+ x]) / 255
                    sum += v
                    sumSq += v * v
                    histogram[min(255, max(0, Int((v * 255).rounded())))] += 1
                    if v <= 2.0 / 255 || v >= 253.0 / 255 { clipped += 1 }
                    let l = max(x &- 1, 0), r = min(x &+ 1, w &- 1)
                    let gx = Double(p[row &+ r] - p[row &+ l]) / (2 * 255)
                    let gy = Double(p[dn &+ x] - p[up &+ x]) / (2 * 255)
                    gradientEnergy += gx * gx + gy * gy
                    if y > 0, y < h &- 1, x > 0, x < w &- 1 {
                        // Immerkær's mask [[1,-2,1],[-2,4,-2],[1,-2,1]].
                        let c = Double(p[row &+ x])
                        let edges = Double(p[up &+ x] + p[dn &+ x] + p[row &+ l] + p[row &+ r])
                        let corners = Double(p[up &+ l] + p[up &+ r] + p[dn &+ l] + p[dn &+ r])
                        laplacianAbs += abs(4 * c - 2 * edges + corners)
                    }
                }
            }
        }
        let interior = Double(max(1, (w - 2) * (h - 2)))
        let sigma = (w > 2 && h > 2) ? (Double.pi / 2).squareRoot() * laplacianAbs / (6 * interior) / 255 : 0
        let mean = sum / Double(n)
        let energy = gradientEnergy / Double(n)
        var entropy = 0.0
        for c in histogram where c > 0 {
            let pr = Double(c) / Double(n)
            entropy -= pr * log2(pr)
        }
        return ImagingQualityTerms(noiseSigma: sigma, sharpness: max(0, energy - sigma * sigma).squareRoot(),
                                   clippedFraction: Double(clipped) / Double(n),
                                   contrast: max(0, sumSq / Double(n) - mean * mean).squareRoot(),
                                   entropyBits: entropy)
    }
}
