import QVMedia

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The classical no-reference measurements behind imaging quality, for one frame (luma in 0…1).
public struct ImagingQualityTerms: Sendable, Hashable, Codable {
    /// Noise standard deviation from Immerkær's (1996) Laplacian-difference mask, with a robust
    /// (median-based) scale instead of the mean absolute response.
    public var noiseSigma: Double
    /// RMS gradient at half resolution (after a binomial blur), which noise barely raises.
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
/// sharpness `1 − e^(−s/0.03)` (weight 0.25), noise `e^(−σ·255/10)` (0.25), clipping `1 − ½·clipped`
/// (0.1), contrast `min(1, c/0.15)` (0.1), tonal richness `min(1, H/6 bits)` (0.3). Tonal richness is
/// what catches quantisation: coarse levels create false contours that raise the gradient energy and
/// flat plateaus that hide noise. It also marks down flat-colour synthetic frames (few grey levels).
enum ImagingQuality {
    /// The measured terms of frame `t` (diagnostics; the score combines them with `combine`).
    static func terms(_ clip: VideoClip, frame t: Int) -> ImagingQualityTerms { terms(clip.lumaPlane(t)) }

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
        let tonal = max(1e-6, min(1, q.entropyBits / 6))
        return exp(0.25 * log(sharp) + 0.25 * log(noise) + 0.1 * log(clip) + 0.1 * log(contrast) + 0.3 * log(tonal))
    }

    /// Measures one luma plane given in 0…255.
    static func terms(_ luma: Plane) -> ImagingQualityTerms {
        let w = luma.width, h = luma.height, n = w * h
        var histogram = [Int](repeating: 0, count: 256)
        var sum = 0.0, sumSq = 0.0, clipped = 0
        var responses: [Float] = []
        responses.reserveCapacity(max(0, (w - 2) * (h - 2)))
        luma.values.withUnsafeBufferPointer { p in
            for y in 0..<h {
                let up = max(y &- 1, 0) &* w, dn = min(y &+ 1, h &- 1) &* w, row = y &* w
                for x in 0..<w {
                    let v = Double(p[row &+ x]) / 255
                    sum += v
                    sumSq += v * v
                    histogram[min(255, max(0, Int((v * 255).rounded())))] += 1
                    if v <= 2.0 / 255 || v >= 253.0 / 255 { clipped += 1 }
                    if y > 0, y < h &- 1, x > 0, x < w &- 1 {
                        // Immerkær's mask [[1,-2,1],[-2,4,-2],[1,-2,1]]: blind to planes and linear ramps.
                        let l = x &- 1, r = x &+ 1
                        let edges = p[up &+ x] + p[dn &+ x] + p[row &+ l] + p[row &+ r]
                        let corners = p[up &+ l] + p[up &+ r] + p[dn &+ l] + p[dn &+ r]
                        responses.append(abs(4 * p[row &+ x] - 2 * edges + corners))
                    }
                }
            }
        }
        // Robust scale of the mask response: for Gaussian noise of σ the response has standard deviation
        // 6σ (Σ mask² = 36) and median |response| = 0.6745·6σ. The median (instead of Immerkær's mean)
        // ignores sparse edges, stars and other isolated detail, as in MAD-based estimators.
        var sigma = 0.0
        if !responses.isEmpty {
            responses.sort()
            let m = responses.count
            let median = m % 2 == 1 ? Double(responses[m / 2]) : 0.5 * Double(responses[m / 2 - 1] + responses[m / 2])
            sigma = median / (0.6745 * 6) / 255
        }
        let mean = sum / Double(n)
        var entropy = 0.0
        for c in histogram where c > 0 {
            let pr = Double(c) / Double(n)
            entropy -= pr * log2(pr)
        }
        return ImagingQualityTerms(noiseSigma: sigma, sharpness: halfScaleGradient(luma),
                                   clippedFraction: Double(clipped) / Double(n),
                                   contrast: max(0, sumSq / Double(n) - mean * mean).squareRoot(),
                                   entropyBits: entropy)
    }

    /// RMS central-difference gradient (luma 0…1 per pixel) of the binomially down-sampled plane: the
    /// [1 2 1] blur attenuates pixel noise (its variance by ~0.14) far more than edges, so noise barely
    /// raises it, while blur of the original lowers it.
    static func halfScaleGradient(_ luma: Plane) -> Double {
        let half = (luma.width >= 4 && luma.height >= 4) ? luma.downsampled() : luma
        let w = half.width, h = half.height
        var energy = 0.0
        half.values.withUnsafeBufferPointer { p in
            for y in 0..<h {
                let up = max(y &- 1, 0) &* w, dn = min(y &+ 1, h &- 1) &* w, row = y &* w
                for x in 0..<w {
                    let gx = Double(p[row &+ min(x &+ 1, w &- 1)] - p[row &+ max(x &- 1, 0)]) / (2 * 255)
                    let gy = Double(p[dn &+ x] - p[up &+ x]) / (2 * 255)
                    energy += gx * gx + gy * gy
                }
            }
        }
        return (energy / Double(w * h)).squareRoot()
    }
}
