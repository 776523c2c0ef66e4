import QVMedia

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// FVD-style distance: the Fréchet distance between Gaussians fitted to fixed spatio-temporal features
/// of two sets of clips (FVD uses I3D activations; we use classical features, DESIGN §8).
///
/// Features per clip (66 numbers, independent of clip size):
/// - 27 lowest 3-D DCT coefficients of luma (3 temporal × 3 × 3 spatial frequencies), intensity in 0…1;
/// - 8-bin histogram of temporal differences |L_{t+1} − L_t| (grey-level octaves);
/// - 8-bin histogram of spatial gradient magnitudes (same octaves; falls under blur, rises with noise);
/// - 6-bin histogram of forward-flow magnitudes in units of min(H, W)/64 px, and an 8-bin histogram of
///   flow directions weighted by magnitude;
/// - colour moments of the clip: mean, standard deviation and skewness/3 of R, G, B in 0…1.
public enum FrechetVideoDistance {
    public static let featureCount = 27 + 8 + 8 + 6 + 8 + 9

    /// The feature vector of one clip.
    public static func features(_ clip: VideoClip, flowParameters: OpticalFlowParameters = OpticalFlowParameters()) -> [Double] {
        var cache = ClipFlowCache(clip: clip, parameters: flowParameters)
        return features(cache: &cache)
    }

    /// The feature vector, reusing (and filling) a clip's flow cache.
    static func features(cache: inout ClipFlowCache) -> [Double] {
        let clip = cache.clip
        var out = [Double]()
        out.reserveCapacity(featureCount)
        let lumas = (0..<clip.frameCount).map { clip.lumaPlane($0) }
        out.append(contentsOf: dct3D(lumas, width: clip.width, height: clip.height))
        var temporal = [Double](repeating: 0, count: 8), spatial = temporal
        for t in 0..<lumas.count {
            let p = lumas[t].values
            if t + 1 < lumas.count {
                let q = lumas[t + 1].values
                for i in p.indices { temporal[octaveBin(Double(abs(q[i] - p[i])))] += 1 }
            }
            let w = clip.width, h = clip.height
            for y in 0..<h {
                for x in 0..<w {
                    let gx = Double(p[y * w + min(x + 1, w - 1)] - p[y * w + max(x - 1, 0)]) / 2
                    let gy = Double(p[min(y + 1, h - 1) * w + x] - p[max(y - 1, 0) * w + x]) / 2
                    spatial[octaveBin((gx * gx + gy * gy).squareRoot())] += 1
                }
            }
        }
        out.append(contentsOf: normalisedSum(temporal))
        out.append(contentsOf: normalisedSum(spatial))
        var magnitude = [Double](repeating: 0, count: 6), direction = [Double](repeating: 0, count: 8)
        let unit = Double(min(clip.width, clip.height)) / 64
        for t in 0..<max(0, clip.frameCount - 1) {
            let f = cache.flow(from: t, to: t + 1)
            for i in f.u.indices {
                let u = Double(f.u[i]), v = Double(f.v[i])
                let m = (u * u + v * v).squareRoot()
                let r = m / unit
                let bin = r < 0.25 ? 0 : min(5, Int(log2(r / 0.25)) + 1)
                magnitude[bin] += 1
                if m > 0 {
                    var angle = atan2(-v, u)
                    if angle < 0 { angle += 2 * Double.pi }
                    direction[min(7, Int(angle / (2 * Double.pi) * 8))] += m
                }
            }
        }
        out.append(contentsOf: normalisedSum(magnitude))
        out.append(contentsOf: normalisedSum(direction))
        out.append(contentsOf: colourMoments(clip))
        return out
    }

    /// FVD-style distance between a generated and a reference set of clips.
    public static func distance(generated: [VideoClip], reference: [VideoClip],
                                flowParameters: OpticalFlowParameters = OpticalFlowParameters()) throws -> Double {
        guard !generated.isEmpty else { throw MetricsError.emptySet(what: "FVD generated clips") }
        guard !reference.isEmpty else { throw MetricsError.emptySet(what: "FVD reference clips") }
        let a = try FeatureGaussian(features: generated.map { features($0, flowParameters: flowParameters) })
        let b = try FeatureGaussian(features: reference.map { features($0, flowParameters: flowParameters) })
        return try a.frechetDistance(to: b)
    }

    /// Bin of a non-negative grey-level difference: [0,1), [1,2), [2,4), …, [64, ∞).
    static func octaveBin(_ value: Double) -> Int {
        value < 1 ? 0 : min(7, Int(log2(value)) + 1)
    }

    static func normalisedSum(_ v: [Double]) -> [Double] {
        let total = v.reduce(0, +)
        return total > 0 ? v.map { $0 / total } : v
    }

    /// Lowest 3×3×3 coefficients of a 3-D DCT-II over (t, y, x) of luma/255, divided by the voxel count.
    static func dct3D(_ lumas: [Plane], width w: Int, height h: Int) -> [Double] {
        let k = 3
        guard !lumas.isEmpty else { return [Double](repeating: 0, count: k * k * k) }
        let frameCoefficients = lumas.map { ConsistencyFeatures.lowFrequencyDCT($0, size: k) }
        let cosT = DCTBasis.table(length: lumas.count, count: k)
        var out = [Double](repeating: 0, count: k * k * k)
        for kt in 0..<k {
            for j in 0..<(k * k) {
                var acc = 0.0
                for t in lumas.indices { acc += cosT[kt * lumas.count + t] * frameCoefficients[t][j] }
                out[kt * k * k + j] = acc / Double(lumas.count)
            }
        }
        return out
    }

    static func colourMoments(_ clip: VideoClip) -> [Double] {
        var sum = [Double](repeating: 0, count: 3), sum2 = sum, sum3 = sum
        let n = Double(max(1, clip.pixels.count / 3))
        clip.pixels.withUnsafeBufferPointer { px in
            for i in 0..<(px.count / 3) {
                for c in 0..<3 {
                    let v = Double(px[i &* 3 &+ c]) / 255
                    sum[c] += v; sum2[c] += v * v; sum3[c] += v * v * v
                }
            }
        }
        var out: [Double] = []
        for c in 0..<3 {
            let m = sum[c] / n
            let variance = max(0, sum2[c] / n - m * m)
            let sd = variance.squareRoot()
            let third = sum3[c] / n - 3 * m * variance - m * m * m
            let skew = sd > 1e-6 ? third / (sd * sd * sd) : 0
            out.append(contentsOf: [m, sd, max(-3, min(3, skew)) / 3])
        }
        return out
    }
}
