import QVMedia

/// Flows of one clip, computed on demand and kept: each frame's pyramid is built once, each ordered
/// pair's flow once, so the dimensions that share motion (dynamic degree, motion smoothness, overall
/// consistency) pay for it once.
struct ClipFlowCache {
    let clip: VideoClip
    let parameters: OpticalFlowParameters
    private var pyramids: [Int: FlowPyramid] = [:]
    private var flows: [PairKey: FlowField] = [:]

    private struct PairKey: Hashable { var from: Int; var to: Int }

    /// Whether chroma joins luma in the data term: only for clips with any non-grey pixel.
    let usesChroma: Bool

    init(clip: VideoClip, parameters: OpticalFlowParameters) {
        self.clip = clip
        self.parameters = parameters
        usesChroma = parameters.useChroma && clip.hasColour
    }

    mutating func pyramid(_ t: Int) -> FlowPyramid {
        if let p = pyramids[t] { return p }
        let p = FlowPyramid(channels: usesChroma ? clip.lumaChromaPlanes(t) : [clip.lumaPlane(t)],
                            minimumLevelSize: parameters.minimumLevelSize)
        pyramids[t] = p
        return p
    }

    /// Flow from frame `a` to frame `b` of the clip.
    mutating func flow(from a: Int, to b: Int) -> FlowField {
        let key = PairKey(from: a, to: b)
        if let f = flows[key] { return f }
        let f = OpticalFlow.flow(from: pyramid(a), to: pyramid(b), parameters: parameters)
        flows[key] = f
        return f
    }

    /// Forward flow a → b and its forward–backward consistency mask.
    mutating func checkedFlow(from a: Int, to b: Int) -> CheckedFlow {
        let forward = flow(from: a, to: b)
        let backward = flow(from: b, to: a)
        return CheckedFlow(forward: forward, consistent: ForwardBackward.mask(forward: forward, backward: backward))
    }
}

/// A forward flow with its per-pixel reliability.
struct CheckedFlow: Sendable {
    var forward: FlowField
    /// `true` where the forward–backward check passed and the target lies inside the frame.
    var consistent: [Bool]
}

/// The forward–backward consistency check of Sundaram, Brox & Keutzer (2010): a pixel is reliable when
/// following the forward flow and then the backward flow returns (almost) to where it started:
/// `|f + b(x + f)|² < 0.01 (|f|² + |b(x + f)|²) + 0.5`.
enum ForwardBackward {
    static func mask(forward f: FlowField, backward b: FlowField) -> [Bool] {
        let w = f.width, h = f.height
        var out = [Bool](repeating: false, count: w * h)
        f.u.withUnsafeBufferPointer { fu in
            f.v.withUnsafeBufferPointer { fv in
                b.u.withUnsafeBufferPointer { bu in
                    b.v.withUnsafeBufferPointer { bv in
                        out.withUnsafeMutableBufferPointer { o in
                            for y in 0..<h {
                                for x in 0..<w {
                                    let i = y &* w &+ x
                                    let tx = Float(x) + fu[i], ty = Float(y) + fv[i]
                                    guard tx >= 0, ty >= 0, tx <= Float(w - 1), ty <= Float(h - 1) else { continue }
                                    let ru = Plane.bilinear(bu, width: w, height: h, x: tx, y: ty)
                                    let rv = Plane.bilinear(bv, width: w, height: h, x: tx, y: ty)
                                    let du = fu[i] + ru, dv = fv[i] + rv
                                    let lhs = du * du + dv * dv
                                    let rhs = 0.01 * (fu[i] * fu[i] + fv[i] * fv[i] + ru * ru + rv * rv) + 0.5
                                    o[i] = lhs < rhs
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
