import QVMedia
import QVTensor

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Test clips synthesised in code: continuous textures sampled at sub-pixel offsets (exact known
/// motion), shapes on backgrounds, and degradations (blur, noise, quantisation, shuffling).
enum SyntheticClips {
    /// A smooth random texture (sum of sinusoids) translated by (vx, vy) pixels per frame.
    static func translatingTexture(frames: Int = 8, size: Int = 48, vx: Double, vy: Double, seed: UInt64 = 1,
                                   grey: Bool = false) -> VideoClip {
        let texture = Texture(seed: seed)
        var pixels = [UInt8](repeating: 0, count: frames * size * size * 3)
        for t in 0..<frames {
            for y in 0..<size {
                for x in 0..<size {
                    let sx = Double(x) - vx * Double(t), sy = Double(y) - vy * Double(t)
                    let q = ((t * size + y) * size + x) * 3
                    for c in 0..<3 { pixels[q + c] = clampByte(texture.value(sx, sy, channel: grey ? 0 : c)) }
                }
            }
        }
        return VideoClip(frameCount: frames, height: size, width: size, pixels: pixels)
    }

    /// The same frame repeated.
    static func staticClip(frames: Int = 8, size: Int = 32, seed: UInt64 = 2) -> VideoClip {
        let one = translatingTexture(frames: 1, size: size, vx: 0, vy: 0, seed: seed)
        return one.selecting(frames: [Int](repeating: 0, count: frames))
    }

    /// A filled disc (or square) of `colour` moving (vx, vy) px/frame over a background, passing
    /// near the frame centre mid-clip, or exactly through `centre` (x, y) when given; `radius` in px
    /// (default 14–18% of the frame, drawn from the seed).
    static func shape(frames: Int = 8, size: Int = 32, colour: [UInt8], vx: Double, vy: Double,
                      background: Background, square: Bool = false, seed: UInt64 = 3,
                      centre: (x: Double, y: Double)? = nil, radius: Double? = nil) -> VideoClip {
        var rng = SeededGenerator(seed: seed, stream: "shape")
        let drawn = Double(size) * (0.14 + 0.04 * rng.nextDouble())
        let radius = radius ?? drawn
        let jitterX = (rng.nextDouble() - 0.5) * 3, jitterY = (rng.nextDouble() - 0.5) * 3
        let mid = centre ?? (Double(size) / 2 + jitterX, Double(size) / 2 + jitterY)
        let startX = mid.x - vx * Double(frames - 1) / 2
        let startY = mid.y - vy * Double(frames - 1) / 2
        var pixels = [UInt8](repeating: 0, count: frames * size * size * 3)
        for t in 0..<frames {
            let cx = startX + vx * Double(t), cy = startY + vy * Double(t)
            for y in 0..<size {
                for x in 0..<size {
                    let q = ((t * size + y) * size + x) * 3
                    let bg = background.colour(x: x, y: y, size: size, seed: seed)
                    let dx = Double(x) - cx, dy = Double(y) - cy
                    // Anti-aliased coverage over a 4×4 sub-pixel grid.
                    var cover = 0.0
                    for sy in 0..<4 {
                        for sx in 0..<4 {
                            let px = dx + (Double(sx) + 0.5) / 4 - 0.5, py = dy + (Double(sy) + 0.5) / 4 - 0.5
                            let inside = square ? (abs(px) < radius && abs(py) < radius) : (px * px + py * py < radius * radius)
                            if inside { cover += 1 / 16 }
                        }
                    }
                    for c in 0..<3 { pixels[q + c] = clampByte(bg[c] * (1 - cover) + Double(colour[c]) * cover) }
                }
            }
        }
        return VideoClip(frameCount: frames, height: size, width: size, pixels: pixels)
    }

    enum Background: CaseIterable {
        case nightSky, daySky, grass, sand
        var label: String {
            switch self {
            case .nightSky: "night sky"
            case .daySky: "day sky"
            case .grass: "grass"
            case .sand: "desert"
            }
        }

        func colour(x: Int, y: Int, size: Int, seed: UInt64) -> [Double] {
            let fy = Double(y) / Double(size)
            switch self {
            case .nightSky:
                var h = UInt64(x * 7919 + y * 104_729) &+ seed &* 31
                h = (h ^ (h >> 13)) &* 0x5bd1e995
                let star = (h >> 7) % 61 == 0
                return star ? [230, 230, 210] : [10 + 20 * fy, 12 + 20 * fy, 50 + 40 * fy]
            case .daySky:
                return [90 + 80 * fy, 150 + 60 * fy, 235 - 10 * fy]
            case .grass:
                let n = 18 * sin(Double(x) * 1.7 + Double(seed)) * cos(Double(y) * 2.3)
                return [40 + n, 130 + n, 35 + n / 2]
            case .sand:
                let n = 10 * sin(Double(x) * 0.9 + Double(y) * 0.4 + Double(seed))
                return [215 + n, 185 + n, 120 + n]
            }
        }
    }

    static func clampByte(_ v: Double) -> UInt8 { UInt8(min(255, max(0, v.rounded()))) }

    /// Adds Gaussian noise of standard deviation `sigma` grey levels.
    static func addingNoise(_ clip: VideoClip, sigma: Double, seed: UInt64) -> VideoClip {
        var rng = SeededGenerator(seed: seed, stream: "noise")
        var out = clip
        for i in out.pixels.indices {
            out.pixels[i] = clampByte(Double(out.pixels[i]) + sigma * Double(rng.normal()))
        }
        return out
    }

    /// Gaussian blur of every frame and channel.
    static func blurred(_ clip: VideoClip, sigma: Float) -> VideoClip {
        guard sigma > 0 else { return clip }
        var out = clip
        for t in 0..<clip.frameCount {
            for c in 0..<3 {
                let plane = clip.channelPlaneForTests(t, c).gaussianBlurred(sigma: sigma)
                for i in 0..<(clip.width * clip.height) {
                    out.pixels[(t * clip.width * clip.height + i) * 3 + c] = clampByte(Double(plane.values[i]))
                }
            }
        }
        return out
    }

    /// Requantises every channel to `levels` evenly spaced values.
    static func quantised(_ clip: VideoClip, levels: Int) -> VideoClip {
        var out = clip
        let step = 255.0 / Double(levels - 1)
        for i in out.pixels.indices {
            out.pixels[i] = clampByte((Double(out.pixels[i]) / step).rounded() * step)
        }
        return out
    }

    struct Texture {
        var waves: [(fx: Double, fy: Double, phase: Double, amp: [Double])] = []
        init(seed: UInt64) {
            var rng = SeededGenerator(seed: seed, stream: "texture")
            for _ in 0..<7 {
                let angle = rng.nextDouble() * 2 * Double.pi
                let freq = 0.12 + 0.3 * rng.nextDouble()
                waves.append((freq * cos(angle), freq * sin(angle), rng.nextDouble() * 2 * Double.pi,
                              (0..<3).map { _ in 12 + 16 * rng.nextDouble() }))
            }
        }
        func value(_ x: Double, _ y: Double, channel c: Int) -> Double {
            var v = 128.0
            for w in waves { v += w.amp[c] * sin(w.fx * x + w.fy * y + w.phase) }
            return v
        }
    }
}

@testable import QVMetrics

extension VideoClip {
    func channelPlaneForTests(_ t: Int, _ c: Int) -> Plane { channelPlane(t, channel: c) }
}
