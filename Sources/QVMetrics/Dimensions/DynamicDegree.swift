import QVMedia

/// The outcome of the dynamic-degree test for one clip.
public struct DynamicDegreeResult: Sendable, Hashable, Codable {
    /// VBench's per-video decision: at least `requiredPairs` pairs move more than `threshold`.
    public var isDynamic: Bool
    /// Per consecutive pair (after VBench's ~8 fps frame sampling): mean of the top 5% flow magnitudes.
    public var pairScores: [Double]
    /// 6·min(H, W)/256 px, times max(1, 8/fps) as in VBench.
    public var threshold: Double
    /// round-half-even(4·T/16), T = number of sampled frames (Python's `round`).
    public var requiredPairs: Int
    /// Continuous companion: fraction of pairs above the threshold.
    public var movingPairRatio: Double
}

/// Dynamic degree with VBench's rule (`dynamic_degree.py`), RAFT swapped for Horn–Schunck.
///
/// VBench samples frames every round(fps/8) frames, measures each consecutive pair's flow, takes the
/// mean of the largest 5% magnitudes, and calls the video dynamic when at least round(4·T/16) pairs exceed
/// `max(1, 8/fps)·6·min(H, W)/256` pixels. We add (DESIGN §8) a forward–backward consistency mask and drop
/// a 3-px border before ranking magnitudes, so unreliable flow (occlusions, frame edges) cannot make a
/// static clip look dynamic. If fewer than 5% of the inner pixels pass the check, all inner pixels are used.
enum DynamicDegree {
    static let border = 3

    /// The frame indices VBench would look at: every round(fps/8)-th frame.
    static func sampledFrames(_ clip: VideoClip) -> [Int] {
        let interval = max(1, roundHalfEven(clip.fps / 8))
        return Array(stride(from: 0, to: clip.frameCount, by: interval))
    }

    /// `max(1, 8/fps)·6·min(H, W)/256` pixels.
    static func threshold(_ clip: VideoClip) -> Double {
        let factor = clip.fps > 0 ? max(1.0, 8.0 / clip.fps) : 1.0
        return factor * 6.0 * Double(min(clip.height, clip.width)) / 256.0
    }

    static func evaluate(cache: inout ClipFlowCache) -> DynamicDegreeResult {
        let clip = cache.clip
        let frames = sampledFrames(clip)
        let threshold = threshold(clip)
        let required = roundHalfEven(4.0 * Double(frames.count) / 16.0)
        var scores: [Double] = []
        for (a, b) in zip(frames.dropLast(), frames.dropFirst()) {
            scores.append(topMagnitude(cache.checkedFlow(from: a, to: b)))
        }
        // VBench's check_move: count pairs above the threshold, stop as soon as the count reaches the
        // requirement (so with a requirement of 0 any clip with one pair is dynamic, as in VBench).
        var count = 0
        var dynamic = false
        for s in scores {
            if s > threshold { count += 1 }
            if count >= required { dynamic = true; break }
        }
        let moving = scores.filter { $0 > threshold }.count
        return DynamicDegreeResult(isDynamic: dynamic, pairScores: scores, threshold: threshold,
                                   requiredPairs: required,
                                   movingPairRatio: scores.isEmpty ? 0 : Double(moving) / Double(scores.count))
    }

    /// Mean of the top 5% flow magnitudes over consistent pixels away from the border.
    static func topMagnitude(_ flow: CheckedFlow) -> Double {
        let f = flow.forward
        let w = f.width, h = f.height
        let inset = (w > 2 * border && h > 2 * border) ? border : 0
        var reliable: [Float] = [], all: [Float] = []
        reliable.reserveCapacity(w * h)
        all.reserveCapacity(w * h)
        for y in inset..<(h - inset) {
            for x in inset..<(w - inset) {
                let i = y * w + x
                let m = (f.u[i] * f.u[i] + f.v[i] * f.v[i]).squareRoot()
                all.append(m)
                if flow.consistent[i] { reliable.append(m) }
            }
        }
        let pool = reliable.count * 20 >= all.count ? reliable : all
        return meanOfTopFraction(pool, fraction: 0.05)
    }

    /// Mean of the largest ⌊n·fraction⌋ values (at least one), VBench's `cut_index = int(h*w*0.05)`.
    static func meanOfTopFraction(_ values: [Float], fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let cut = max(1, Int(Double(values.count) * fraction))
        let sorted = values.sorted(by: >)
        var sum = 0.0
        for i in 0..<cut { sum += Double(sorted[i]) }
        return sum / Double(cut)
    }
}

/// Python 3's `round` on a double: to the nearest integer, ties to even.
func roundHalfEven(_ x: Double) -> Int {
    Int(x.rounded(.toNearestOrEven))
}
