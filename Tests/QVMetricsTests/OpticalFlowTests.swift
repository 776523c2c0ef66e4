import Testing
import QVMedia
@testable import QVMetrics

@Suite struct OpticalFlowTests {
    /// Mean flow over the reliable interior of pair (0, 1).
    static func meanFlow(_ clip: VideoClip) -> (u: Double, v: Double) {
        var cache = ClipFlowCache(clip: clip, parameters: OpticalFlowParameters())
        var su = 0.0, sv = 0.0, n = 0.0
        for t in 0..<(clip.frameCount - 1) {
            let checked = cache.checkedFlow(from: t, to: t + 1)
            let f = checked.forward
            for y in 6..<(f.height - 6) {
                for x in 6..<(f.width - 6) where checked.consistent[y * f.width + x] {
                    su += Double(f.u[y * f.width + x]); sv += Double(f.v[y * f.width + x]); n += 1
                }
            }
        }
        return (su / n, sv / n)
    }

    @Test(arguments: [(0.5, 0.0), (1.0, 0.5), (0.0, -1.5), (2.0, 0.0), (-2.0, 2.0), (3.0, 0.0), (0.0, 3.0)])
    func recoversKnownTranslation(vx: Double, vy: Double) {
        for (size, grey) in [(48, false), (32, true), (64, false)] {
            let clip = SyntheticClips.translatingTexture(frames: 3, size: size, vx: vx, vy: vy, grey: grey)
            let m = Self.meanFlow(clip)
            let speed = (vx * vx + vy * vy).squareRoot()
            let err = ((m.u - vx) * (m.u - vx) + (m.v - vy) * (m.v - vy)).squareRoot()
            #expect(err <= 0.15 * speed, "\(size) px, grey \(grey): true (\(vx), \(vy)), estimated (\(m.u), \(m.v))")
        }
    }

    /// The flow of a grey clip is the same with and without the chroma option (chroma planes are skipped).
    @Test func greyClipsUseLumaOnly() {
        let clip = SyntheticClips.translatingTexture(frames: 2, size: 24, vx: 1, vy: 0.5, grey: true)
        var withChroma = ClipFlowCache(clip: clip, parameters: OpticalFlowParameters())
        var lumaOnly = ClipFlowCache(clip: clip, parameters: OpticalFlowParameters(useChroma: false))
        #expect(!withChroma.usesChroma)
        #expect(withChroma.flow(from: 0, to: 1) == lumaOnly.flow(from: 0, to: 1))
    }

    @Test func staticPairHasExactlyZeroFlow() {
        let clip = SyntheticClips.staticClip(frames: 2, size: 32)
        var cache = ClipFlowCache(clip: clip, parameters: OpticalFlowParameters())
        let f = cache.flow(from: 0, to: 1)
        #expect(f.u.allSatisfy { $0 == 0 } && f.v.allSatisfy { $0 == 0 })
    }
}
