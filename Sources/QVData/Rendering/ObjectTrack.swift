import QVTensor

/// Ground truth of one object in one frame, in pixel coordinates (pixel (i, j) covers [i, i+1)×[j, j+1),
/// y down).
public struct ObjectFrameState: Sendable, Equatable, Codable {
    public var centreX: Float
    public var centreY: Float
    /// The shape's scale R in pixels (a circle's radius).
    public var radius: Float
    /// Rotation in radians (clockwise on screen, since y points down).
    public var angle: Float
    /// Exact area in pixels² (shape area factor × R²), before clipping at the frame border.
    public var area: Float
}

/// One object's planned path through a clip, with its seed-jittered colour.
public struct ObjectTrack: Sendable, Equatable {
    public var spec: ObjectSpec
    /// The colour actually painted: the caption colour plus a small per-seed shade jitter.
    public var colour: RGB
    /// Translation speed in pixels per frame (0 unless the motion is `moves`).
    public var speed: Float
    public var frames: [ObjectFrameState]
}

/// Plans object paths: sizes, start positions and speeds drawn from a seeded generator, chosen so
/// every object stays fully inside the frame for the whole clip (speeds are capped when a long clip
/// would otherwise carry the object out).
struct TrackPlanner {
    let frameCount: Int
    let width: Float
    let height: Float
    /// Pixels per reference pixel (the shorter side / 32).
    var unit: Float { min(width, height) / 32 }
    let margin: Float = 0.5

    func plan(_ spec: ObjectSpec, crowded: Bool, generator g: inout SeededGenerator) -> ObjectTrack {
        let baseRadius = (crowded ? g.uniform(3.6, 4.6) : g.uniform(4.8, 6.4)) * unit
        var colour = spec.colour.rgb
        colour.r = jitter(colour.r, &g); colour.g = jitter(colour.g, &g); colour.b = jitter(colour.b, &g)
        let steps = Float(max(frameCount - 1, 1))
        var scaleStart: Float = 1, scaleEnd: Float = 1
        switch spec.motion {
        // Edges move ~0.7–1 px/frame at 32 px over 8 frames: above the dynamic-degree threshold.
        case .grows: scaleStart = g.uniform(0.5, 0.6); scaleEnd = g.uniform(1.4, 1.55)
        case .shrinks: scaleStart = g.uniform(1.4, 1.55); scaleEnd = g.uniform(0.5, 0.6)
        default: break
        }
        let extent = spec.shape.boundingRadius * baseRadius * max(scaleStart, scaleEnd) + margin
        let lowX = extent, highX = max(width - extent, extent)
        let lowY = extent, highY = max(height - extent, extent)
        var angle: Float = 0, spin: Float = 0
        if spec.motion == .rotates {
            angle = g.uniform(0, 2 * Float.pi)
            spin = g.uniform(15, 30) * Float.pi / 180 * (g.nextInt(below: 2) == 0 ? 1 : -1)
        }
        var speed: Float = 0
        var positions: [(Float, Float)] = []
        switch spec.motion {
        case .moves(let direction):
            let (dx, dy) = direction.unitVector
            speed = g.uniform(1, 2) * unit
            if dx != 0 { speed = min(speed, (highX - lowX) / (abs(dx) * steps)) }
            if dy != 0 { speed = min(speed, (highY - lowY) / (abs(dy) * steps)) }
            let travel = speed * steps
            let x0 = start(low: lowX, high: highX, travel: dx * travel, spread: crowded, &g)
            let y0 = start(low: lowY, high: highY, travel: dy * travel, spread: crowded, &g)
            positions = (0..<frameCount).map { t in (x0 + dx * speed * Float(t), y0 + dy * speed * Float(t)) }
        case .bounces:
            let x = start(low: lowX, high: highX, travel: 0, spread: crowded, &g)
            let floorY = highY - g.uniform(0, 0.1) * (highY - lowY)
            let jump = min(g.uniform(0.25, 0.35) * min(width, height), floorY - lowY)
            let period = g.uniform(4, 6)
            let phase = g.uniform(0, 1)
            positions = (0..<frameCount).map { t in
                (x, floorY - jump * abs(mathSin(Float.pi * (Float(t) / period + phase))))
            }
        default:
            let p = (start(low: lowX, high: highX, travel: 0, spread: crowded, &g), start(low: lowY, high: highY, travel: 0, spread: crowded, &g))
            positions = Array(repeating: p, count: frameCount)
        }
        let frames = positions.enumerated().map { t, p -> ObjectFrameState in
            let s = scaleStart + (scaleEnd - scaleStart) * Float(t) / steps
            let r = baseRadius * s
            return ObjectFrameState(centreX: p.0, centreY: p.1, radius: r, angle: angle + spin * Float(t),
                                    area: spec.shape.areaFactor * r * r)
        }
        return ObjectTrack(spec: spec, colour: colour, speed: speed, frames: frames)
    }

    /// A start coordinate such that start + travel stays in [low, high]; objects that do not travel
    /// along this axis start in the middle half of the allowed range, or anywhere in it when `spread`
    /// (two objects need the room to stay apart).
    private func start(low: Float, high: Float, travel: Float, spread: Bool, _ g: inout SeededGenerator) -> Float {
        if travel == 0 {
            let quarter = spread ? 0 : (high - low) / 4
            return g.uniform(low + quarter, high - quarter + 1e-6)
        }
        let lo = travel > 0 ? low : low - travel
        let hi = travel > 0 ? high - travel : high
        return hi > lo ? g.uniform(lo, hi) : (lo + hi) / 2
    }

    private func jitter(_ c: UInt8, _ g: inout SeededGenerator) -> UInt8 {
        UInt8(min(max(Float(c) + g.uniform(-8, 8), 0), 255).rounded())
    }

    /// Smallest centre-to-centre gap minus the two bounding radii over the clip (negative = overlap).
    static func clearance(_ a: ObjectTrack, _ b: ObjectTrack) -> Float {
        var best = Float.infinity
        for (fa, fb) in zip(a.frames, b.frames) {
            let d = ((fa.centreX - fb.centreX) * (fa.centreX - fb.centreX)
                     + (fa.centreY - fb.centreY) * (fa.centreY - fb.centreY)).squareRoot()
            best = min(best, d - fa.radius * a.spec.shape.boundingRadius - fb.radius * b.spec.shape.boundingRadius)
        }
        return best
    }
}
