import QVMedia
import QVTensor

/// Size and quality of rendered clips.
public struct RenderSettings: Sendable, Hashable, Codable {
    public var frameCount: Int
    public var height: Int
    public var width: Int
    public var fps: Double
    /// Subsamples per pixel side for object anti-aliasing (coverage = fraction of n×n samples inside).
    public var supersampling: Int

    public init(frameCount: Int = 8, height: Int = 32, width: Int = 32, fps: Double = 8, supersampling: Int = 4) {
        self.frameCount = frameCount; self.height = height; self.width = width
        self.fps = fps; self.supersampling = supersampling
    }

    func validate() throws(MotionShapesError) {
        guard frameCount >= 1, height >= 8, width >= 8, supersampling >= 1, supersampling <= 16, fps > 0 else {
            throw .badRenderSettings("frames \(frameCount), size \(height)×\(width), fps \(fps), "
                                     + "supersampling \(supersampling): need ≥1 frame, ≥8×8 pixels, fps > 0, "
                                     + "supersampling 1…16")
        }
    }
}

/// Errors of the MotionShapes generator and data sets.
public enum MotionShapesError: Error, Sendable, Equatable, CustomStringConvertible {
    case badRenderSettings(String)
    case indexOutOfRange(index: Int, count: Int, what: String)
    case badArgument(String)

    public var description: String {
        switch self {
        case .badRenderSettings(let m): "MotionShapes render settings: \(m)"
        case let .indexOutOfRange(i, n, what): "\(what): index \(i) is outside 0..<\(n)"
        case .badArgument(let m): "MotionShapes: \(m)"
        }
    }
}

/// Per-clip ground truth for checking generated or rendered frames.
public struct ClipGroundTruth: Sendable, Equatable {
    public var caption: Caption
    public var seed: UInt64
    /// Camera offset of each frame in pixels (background content appears shifted by the negative).
    public var cameraOffsets: [(x: Float, y: Float)]
    /// One track per captioned object, in drawing order.
    public var objects: [ObjectTrack]
    /// The background's brightness jitter (1 = the scene's nominal colours).
    public var backgroundBrightness: Float

    public static func == (a: ClipGroundTruth, b: ClipGroundTruth) -> Bool {
        a.caption == b.caption && a.seed == b.seed && a.objects == b.objects
            && a.backgroundBrightness == b.backgroundBrightness
            && a.cameraOffsets.elementsEqual(b.cameraOffsets, by: { $0.x == $1.x && $0.y == $1.y })
    }
}

/// A rendered clip with its ground truth.
public struct RenderedClip: Sendable, Equatable {
    public var clip: VideoClip
    public var truth: ClipGroundTruth
}

/// Renders MotionShapes clips: textured procedural background (shifted by the camera pan), then each
/// object painted with supersampled coverage. Deterministic: (caption, seed, settings) fully decide the
/// bytes. Random draws come from independent named streams, so the background of a seed does not
/// depend on how many objects the caption has.
public struct MotionShapesRenderer: Sendable {
    public let settings: RenderSettings

    public init(settings: RenderSettings = RenderSettings()) throws(MotionShapesError) {
        try settings.validate()
        self.settings = settings
    }

    /// Renders the clip for a caption and seed.
    public func render(_ caption: Caption, seed: UInt64) -> RenderedClip {
        render(caption, seed: seed, drawObjects: true)
    }

    /// The same clip with the objects left out (background and camera pan only): reference frames for
    /// scene classifiers and an exact background for tests measuring objects.
    public func renderBackground(_ caption: Caption, seed: UInt64) -> RenderedClip {
        render(caption, seed: seed, drawObjects: false)
    }

    private func render(_ caption: Caption, seed: UInt64, drawObjects: Bool) -> RenderedClip {
        let (T, H, W) = (settings.frameCount, settings.height, settings.width)
        let unit = Float(min(H, W)) / 32
        var bgGen = SeededGenerator(seed: seed, stream: "motionshapes.background")
        let background = SceneBackground(scene: caption.scene, heightUnits: Float(H) / unit, generator: &bgGen)
        var panGen = SeededGenerator(seed: seed, stream: "motionshapes.pan")
        let panSpeed = panGen.uniform(1, 1.5) * unit
        let cameraOffsets: [(x: Float, y: Float)] = (0..<T).map { t in
            guard let p = caption.pan else { return (0, 0) }
            let v = p.cameraVector
            return (v.dx * panSpeed * Float(t), v.dy * panSpeed * Float(t))
        }
        let tracks = planTracks(caption, seed: seed)

        var canvas = [Float](repeating: 0, count: H * W * 3)
        var pixels = [UInt8](repeating: 0, count: T * H * W * 3)
        for t in 0..<T {
            paintBackground(background, offset: cameraOffsets[t], unit: unit, into: &canvas)
            if drawObjects {
                for track in tracks { paint(track, frame: t, into: &canvas) }
            }
            let base = t * H * W * 3
            canvas.withUnsafeBufferPointer { src in
                pixels.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<(H * W * 3) {
                        dst[base &+ i] = UInt8(min(max(src[i], 0), 255).rounded())
                    }
                }
            }
        }
        let clip = VideoClip(frameCount: T, height: H, width: W, fps: settings.fps, pixels: pixels)
        let truth = ClipGroundTruth(caption: caption, seed: seed, cameraOffsets: cameraOffsets, objects: tracks,
                                    backgroundBrightness: background.brightness)
        return RenderedClip(clip: clip, truth: truth)
    }

    /// Object paths; with two objects, up to 48 layouts are tried and the one keeping them farthest
    /// apart (ideally not overlapping at all) is used.
    func planTracks(_ caption: Caption, seed: UInt64) -> [ObjectTrack] {
        let planner = TrackPlanner(frameCount: settings.frameCount, width: Float(settings.width),
                                   height: Float(settings.height))
        var g0 = SeededGenerator(seed: seed, stream: "motionshapes.object0")
        guard let second = caption.secondary else {
            return [planner.plan(caption.primary, crowded: false, generator: &g0)]
        }
        var g1 = SeededGenerator(seed: seed, stream: "motionshapes.object1")
        var best: [ObjectTrack] = []
        var bestClearance = -Float.infinity
        for _ in 0..<48 {
            let a = planner.plan(caption.primary, crowded: true, generator: &g0)
            let b = planner.plan(second, crowded: true, generator: &g1)
            let c = TrackPlanner.clearance(a, b)
            if c > bestClearance { best = [a, b]; bestClearance = c }
            if c >= 1 { break }
        }
        return best
    }

    private func paintBackground(_ bg: SceneBackground, offset: (x: Float, y: Float), unit: Float,
                                 into canvas: inout [Float]) {
        let (H, W) = (settings.height, settings.width)
        let inv = 1 / unit
        canvas.withUnsafeMutableBufferPointer { out in
            for y in 0..<H {
                let wy = (Float(y) + 0.5 + offset.y) * inv
                for x in 0..<W {
                    let wx = (Float(x) + 0.5 + offset.x) * inv
                    let (r, g, b) = bg.colour(x: wx, y: wy)
                    let i = (y &* W &+ x) &* 3
                    out[i] = r; out[i &+ 1] = g; out[i &+ 2] = b
                }
            }
        }
    }

    /// Blends one object over the canvas with coverage from n×n subsamples per pixel.
    private func paint(_ track: ObjectTrack, frame t: Int, into canvas: inout [Float]) {
        let (H, W) = (settings.height, settings.width)
        let s = track.frames[t]
        let shape = track.spec.shape
        let reach = s.radius * shape.boundingRadius + 1
        let x0 = max(0, Int((s.centreX - reach).rounded(.down))), x1 = min(W - 1, Int((s.centreX + reach).rounded(.up)))
        let y0 = max(0, Int((s.centreY - reach).rounded(.down))), y1 = min(H - 1, Int((s.centreY + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let n = settings.supersampling
        let step = 1 / Float(n)
        let invR = 1 / s.radius
        let cosA = mathCos(s.angle), sinA = mathSin(s.angle)
        let (cr, cg, cb) = (Float(track.colour.r), Float(track.colour.g), Float(track.colour.b))
        let perSample = 1 / Float(n * n)
        canvas.withUnsafeMutableBufferPointer { out in
            for y in y0...y1 {
                for x in x0...x1 {
                    var inside = 0
                    for sy in 0..<n {
                        let py = Float(y) + (Float(sy) + 0.5) * step - s.centreY
                        for sx in 0..<n {
                            let px = Float(x) + (Float(sx) + 0.5) * step - s.centreX
                            // Rotate the sample into the shape's frame (inverse rotation), scale by 1/R.
                            let u = (cosA * px + sinA * py) * invR
                            let v = (-sinA * px + cosA * py) * invR
                            if shape.contains(u, v) { inside &+= 1 }
                        }
                    }
                    guard inside > 0 else { continue }
                    let c = Float(inside) * perSample
                    let i = (y &* W &+ x) &* 3
                    out[i] += (cr - out[i]) * c
                    out[i &+ 1] += (cg - out[i &+ 1]) * c
                    out[i &+ 2] += (cb - out[i &+ 2]) * c
                }
            }
        }
    }
}
