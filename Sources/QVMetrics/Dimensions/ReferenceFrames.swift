import QVMedia
import QVTensor

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// A fixed, seeded set of synthetic frames (smooth colour gradients, sinusoidal textures, random
/// discs and boxes) whose mean feature centres the consistency features.
///
/// VBench's DINO/CLIP features are not centred, but they are learned so that unrelated images have low
/// cosine similarity. Our hand-built features are all-positive (histograms, means) and would have cosines
/// near 1 for any two frames; subtracting the mean over a broad reference set restores the contrast.
/// The set is generated in code (seed 0x5143_5642), so the centring never changes between runs.
enum ReferenceFrames {
    static let frameCount = 32
    static let size = 48

    static let clip: VideoClip = makeClip()

    /// Mean subject feature over the reference frames.
    static let subjectMean: [Double] = meanFeature { ConsistencyFeatures.subject(clip, frame: $0) }
    /// Mean background feature over the reference frames.
    static let backgroundMean: [Double] = meanFeature { ConsistencyFeatures.background(clip, frame: $0) }

    private static func meanFeature(_ extract: (Int) -> [Double]) -> [Double] {
        var mean = extract(0)
        for t in 1..<frameCount {
            let f = extract(t)
            for i in mean.indices { mean[i] += f[i] }
        }
        for i in mean.indices { mean[i] /= Double(frameCount) }
        return mean
    }

    private static func makeClip() -> VideoClip {
        var rng = SeededGenerator(seed: 0x5143_5642, stream: "QVMetrics.ReferenceFrames")
        let s = size
        var pixels = [UInt8](repeating: 0, count: frameCount * s * s * 3)
        for t in 0..<frameCount {
            let c0 = (0..<3).map { _ in rng.nextDouble() * 255 }
            let c1 = (0..<3).map { _ in rng.nextDouble() * 255 }
            let angle = rng.nextDouble() * 2 * Double.pi
            let freq = 0.1 + rng.nextDouble() * 0.6
            let phase = rng.nextDouble() * 2 * Double.pi
            let amp = rng.nextDouble() * 60
            let texAngle = rng.nextDouble() * Double.pi
            var shapes: [(cx: Double, cy: Double, r: Double, box: Bool, colour: [Double])] = []
            for _ in 0..<(1 + rng.nextInt(below: 3)) {
                shapes.append((rng.nextDouble() * Double(s), rng.nextDouble() * Double(s),
                               3 + rng.nextDouble() * Double(s) / 4, rng.nextInt(below: 2) == 0,
                               (0..<3).map { _ in rng.nextDouble() * 255 }))
            }
            for y in 0..<s {
                for x in 0..<s {
                    let a = (cos(angle) * Double(x) + sin(angle) * Double(y)) / Double(s) + 0.5
                    let mix = min(1, max(0, a))
                    let tex = amp * sin(freq * (cos(texAngle) * Double(x) + sin(texAngle) * Double(y)) + phase)
                    var colour = (0..<3).map { c0[$0] * (1 - mix) + c1[$0] * mix + tex }
                    for shape in shapes {
                        let dx = Double(x) - shape.cx, dy = Double(y) - shape.cy
                        let inside = shape.box ? (abs(dx) < shape.r && abs(dy) < shape.r) : (dx * dx + dy * dy < shape.r * shape.r)
                        if inside { colour = shape.colour }
                    }
                    let q = ((t * s + y) * s + x) * 3
                    for c in 0..<3 { pixels[q + c] = UInt8(min(255, max(0, colour[c].rounded()))) }
                }
            }
        }
        return VideoClip(frameCount: frameCount, height: s, width: s, pixels: pixels)
    }
}
