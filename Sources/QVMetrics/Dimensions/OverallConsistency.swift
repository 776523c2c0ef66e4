import QVMedia

/// What the overall-consistency checks saw in a clip, and which stated checks held.
public struct OverallConsistencyResult: Sendable, Hashable, Codable {
    /// Palette name of the dominant non-background colour (nil when no object pixels were found).
    public var observedColour: String?
    public var observedMotion: ExpectedMotion
    /// The motion of the caption's object judged by the path of its centre (`OverallConsistency.trackedMotion`):
    /// nil when the clip has no object colour or too few frames show it. Reported beside `observedMotion`,
    /// not part of `checks` (DESIGN §8 scores the mean flow direction).
    public var trackedMotion: ExpectedMotion?
    /// Majority scene label over frames (nil without a classifier).
    public var observedScene: String?
    /// One entry per stated, checkable field: "colour", "motion", "scene".
    public var checks: [String: Bool]

    /// Fraction of checks satisfied; nil when nothing could be checked.
    public var score: Double? {
        checks.isEmpty ? nil : Double(checks.values.filter { $0 }.count) / Double(checks.count)
    }
}

/// Overall consistency: VBench scores text–video agreement with ViCLIP per video and averages over
/// videos. We keep the per-video average and replace ViCLIP with closed-vocabulary checks (DESIGN §8):
/// dominant non-background colour vs the colour word, mean flow direction vs the motion word, majority
/// scene label vs the scene word.
enum OverallConsistency {
    /// A clip is stationary when its mean top-5% flow magnitude is below this fraction of the dynamic
    /// degree threshold.
    static let stationaryFraction = 0.4
    /// Mean flow vectors shorter than this fraction of the mean moving speed are not a translation.
    static let coherenceNeeded = 0.6
    /// Distance (RGB Euclidean) beyond which a pixel differs from every border colour.
    static let backgroundDistance = 40.0
    /// Pixels of the caption's colour a frame needs before its motion is measured on them alone.
    static let focusPixelsNeeded = 4

    static func evaluate(cache: inout ClipFlowCache, expectation: ClipExpectation,
                         classifier: SceneClassifier?) -> OverallConsistencyResult {
        let clip = cache.clip
        var checks: [String: Bool] = [:]
        var palette = expectation.palette
        if let expected = expectation.objectColour, !palette.contains(expected) { palette.append(expected) }
        let focus = expectation.objectColour.flatMap { palette.firstIndex(of: $0) }
        let objects = foreground(clip, palette: palette, focus: focus)
        let colour = objects.dominant
        if let expected = expectation.objectColour { checks["colour"] = colour == expected.name }
        let motion = observedMotion(cache: &cache, objectMasks: objects.masks)
        if let expected = expectation.motion { checks["motion"] = motion == expected }
        let tracked = trackedMotion(flowMotion: motion, masks: objects.masks, focusFrames: objects.focusFrames,
                                    width: clip.width, height: clip.height)
        var scene: String?
        if let classifier, clip.frameCount > 0 {
            scene = majority(classifier.classifyFrames(clip))
            if let expected = expectation.scene { checks["scene"] = scene == expected }
        }
        return OverallConsistencyResult(observedColour: colour, observedMotion: motion, trackedMotion: tracked,
                                        observedScene: scene, checks: checks)
    }

    static func majority(_ labels: [String]) -> String? {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for l in labels {
            if counts[l] == nil { order.append(l) }
            counts[l, default: 0] += 1
        }
        return order.max { counts[$0]! < counts[$1]! || (counts[$0]! == counts[$1]! && order.firstIndex(of: $0)! > order.firstIndex(of: $1)!) }
    }

    /// Object pixels per frame and the palette colour nearest to most of them. The background is the
    /// set of colours (8 levels per channel bins holding ≥ 1% of the border band) seen on the frame's
    /// border; a pixel farther than `backgroundDistance` from all of them is an object pixel.
    ///
    /// With a `focus` colour (the caption's main object), a frame's mask keeps only the object pixels
    /// nearest to that colour when there are at least `focusPixelsNeeded` of them: the caption's motion
    /// word belongs to that object, and a second object moving otherwise ("… and a white triangle
    /// bounces") would bend the mean flow (on the ground truth of the evaluation prompts it did, in 5 of
    /// 64 clips). Frames without enough such pixels keep every object pixel.
    /// `focusFrames` lists the frames whose mask holds only the focus colour's pixels.
    static func foreground(_ clip: VideoClip, palette: [NamedColour], focus: Int? = nil)
        -> (dominant: String?, masks: [[Bool]], focusFrames: [Int]) {
        let w = clip.width, h = clip.height
        let band = max(1, min(w, h) / 8)
        var votes = [Int](repeating: 0, count: palette.count)
        var objectPixels = 0
        var masks = [[Bool]](repeating: [Bool](repeating: false, count: w * h), count: clip.frameCount)
        // Only allocated with a focus colour, and not as a copy of `masks`, whose frames it would share until written.
        var focusMasks = [[Bool]](repeating: [Bool](repeating: false, count: focus == nil ? 0 : w * h),
                                  count: focus == nil ? 0 : clip.frameCount)
        var focusPixels = [Int](repeating: 0, count: clip.frameCount)
        clip.pixels.withUnsafeBufferPointer { px in
            for t in 0..<clip.frameCount {
                let base = t * w * h * 3
                var binSum = [Double](repeating: 0, count: 512 * 3)
                var binCount = [Int](repeating: 0, count: 512)
                var borderTotal = 0
                for y in 0..<h {
                    for x in 0..<w where y < band || y >= h - band || x < band || x >= w - band {
                        let q = base + (y * w + x) * 3
                        let bin = (Int(px[q]) >> 5) * 64 + (Int(px[q + 1]) >> 5) * 8 + (Int(px[q + 2]) >> 5)
                        for c in 0..<3 { binSum[bin * 3 + c] += Double(px[q + c]) }
                        binCount[bin] += 1
                        borderTotal += 1
                    }
                }
                var background: [(Double, Double, Double)] = []
                for bin in 0..<512 where binCount[bin] * 100 >= borderTotal {
                    let n = Double(binCount[bin])
                    background.append((binSum[bin * 3] / n, binSum[bin * 3 + 1] / n, binSum[bin * 3 + 2] / n))
                }
                let limit = backgroundDistance * backgroundDistance
                for i in 0..<(w * h) {
                    let q = base + i * 3
                    let r = Double(px[q]), g = Double(px[q + 1]), b = Double(px[q + 2])
                    var nearBackground = false
                    for c in background {
                        let d = (r - c.0) * (r - c.0) + (g - c.1) * (g - c.1) + (b - c.2) * (b - c.2)
                        if d <= limit { nearBackground = true; break }
                    }
                    if nearBackground { continue }
                    objectPixels += 1
                    masks[t][i] = true
                    var best = 0, bestD = Double.infinity
                    for (k, p) in palette.enumerated() {
                        let dr = r - Double(p.red), dg = g - Double(p.green), db = b - Double(p.blue)
                        let d = dr * dr + dg * dg + db * db
                        if d < bestD { bestD = d; best = k }
                    }
                    votes[best] += 1
                    if best == focus { focusMasks[t][i] = true; focusPixels[t] += 1 }
                }
            }
        }
        let focusFrames = focus == nil ? [] : (0..<clip.frameCount).filter { focusPixels[$0] >= focusPixelsNeeded }
        for t in focusFrames { masks[t] = focusMasks[t] }
        // Fewer object pixels than 0.2% of the video: no object to judge.
        guard objectPixels * 500 >= max(1, clip.frameCount * w * h) else {
            return (nil, [[Bool]](repeating: [], count: clip.frameCount), [])
        }
        guard let top = votes.indices.max(by: { votes[$0] < votes[$1] || (votes[$0] == votes[$1] && $0 > $1) })
        else { return (nil, masks, focusFrames) }
        return (palette[top].name, masks, focusFrames)
    }

    /// Net travel of the object's centre, as a fraction of the frame's shorter side, below which a
    /// moving clip's object did not translate (it grew, turned or wobbled in place).
    static let travelNeeded = 0.05

    /// The caption object's motion from the path of its centre, as a detector-based tracker would judge
    /// it: the least-squares line through the centroids of its colour's pixels over the frames that show
    /// them (`focusFrames` of `masks`), its displacement over the clip read as a compass direction.
    /// Whether the clip moves at all stays the flow's decision (`flowMotion`); a moving clip whose
    /// object's centre travels less than `travelNeeded` is `.other`. Unlike the mean flow this does not
    /// ask every object pixel to move alike, so an object that changes shape while it travels is read by
    /// where it goes. nil when fewer than half the frames (or fewer than two) show the colour.
    static func trackedMotion(flowMotion: ExpectedMotion, masks: [[Bool]], focusFrames: [Int],
                              width w: Int, height h: Int) -> ExpectedMotion? {
        guard focusFrames.count >= 2, 2 * focusFrames.count >= masks.count else { return nil }
        guard flowMotion != .stationary else { return .stationary }
        // Every focus frame holds at least `focusPixelsNeeded` pixels, so each has a centroid.
        let points = focusFrames.map { t -> (t: Double, x: Double, y: Double) in
            var sx = 0.0, sy = 0.0, n = 0.0
            for (i, inside) in masks[t].enumerated() where inside { sx += Double(i % w); sy += Double(i / w); n += 1 }
            return (Double(t), sx / n, sy / n)
        }
        let count = Double(points.count)
        let mt = points.map(\.t).reduce(0, +) / count
        let mx = points.map(\.x).reduce(0, +) / count
        let my = points.map(\.y).reduce(0, +) / count
        var stt = 0.0, stx = 0.0, sty = 0.0
        for p in points { stt += (p.t - mt) * (p.t - mt); stx += (p.t - mt) * (p.x - mx); sty += (p.t - mt) * (p.y - my) }
        // Displacement over the whole clip along the fitted line.
        let span = Double(masks.count - 1)
        let dx = stx / stt * span, dy = sty / stt * span
        guard (dx * dx + dy * dy).squareRoot() >= travelNeeded * Double(min(w, h)) else { return .other }
        return .direction(CompassDirection(dx: dx, dy: dy))
    }

    /// Stationary / one of eight directions / other, from the dynamic-degree frame pairs' reliable flow.
    /// The direction averages the flow over object pixels of the first frame of each pair (where found):
    /// on a background with one-directional texture (stripes, a vertical sky gradient) the smoothness
    /// term leaks the object's motion into the background along the texture, which would bend the mean.
    /// Without object pixels it averages the pixels moving faster than 0.7 × the pair's top-5% speed.
    static func observedMotion(cache: inout ClipFlowCache, objectMasks: [[Bool]]) -> ExpectedMotion {
        let clip = cache.clip
        let frames = DynamicDegree.sampledFrames(clip)
        guard frames.count >= 2 else { return .stationary }
        let threshold = DynamicDegree.threshold(clip)
        var speedSum = 0.0, pairs = 0.0
        var sumX = 0.0, sumY = 0.0, sumMagnitude = 0.0, moving = 0.0
        for (a, b) in zip(frames.dropLast(), frames.dropFirst()) {
            let checked = cache.checkedFlow(from: a, to: b)
            let top = DynamicDegree.topMagnitude(checked)
            speedSum += top
            pairs += 1
            let f = checked.forward
            let floor = Float(max(0.1, 0.7 * top))
            let mask = objectMasks.indices.contains(a) ? objectMasks[a] : []
            let useMask = mask.count == f.width * f.height && mask.contains(true)
            for i in 0..<(f.width * f.height) where checked.consistent[i] {
                let m = (f.u[i] * f.u[i] + f.v[i] * f.v[i]).squareRoot()
                if useMask { guard mask[i] else { continue } } else { guard m > floor else { continue } }
                sumX += Double(f.u[i]); sumY += Double(f.v[i]); sumMagnitude += Double(m); moving += 1
            }
        }
        guard speedSum / pairs >= stationaryFraction * threshold, moving > 0 else { return .stationary }
        let meanX = sumX / moving, meanY = sumY / moving
        let coherence = (meanX * meanX + meanY * meanY).squareRoot() / (sumMagnitude / moving)
        guard coherence >= coherenceNeeded else { return .other }
        return .direction(CompassDirection(dx: meanX, dy: meanY))
    }
}
