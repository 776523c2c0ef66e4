/// Settings of the coarse-to-fine Horn–Schunck flow (DESIGN §8).
///
/// Intensities are luma in 0…255, so `smoothness` (Horn–Schunck's α) is in the same units as an image
/// gradient: with α = 10 a gradient of 10 grey levels per pixel weighs as much as the smoothness prior.
public struct OpticalFlowParameters: Sendable, Hashable, Codable {
    /// Horn–Schunck's α (regularisation weight), in grey levels per pixel.
    public var smoothness: Float
    /// Over-relaxed Gauss–Seidel sweeps per warp at every pyramid level.
    public var iterations: Int
    /// Warps (re-linearisations) per pyramid level.
    public var warpsPerLevel: Int
    /// The coarsest level is the last one whose shorter side is at least this many pixels.
    public var minimumLevelSize: Int
    /// 3×3 median filter of the flow after each warp.
    public var medianFilter: Bool
    /// Over-relaxation factor ω of the SOR sweeps (1 = Gauss–Seidel).
    public var relaxation: Float

    public init(smoothness: Float = 10, iterations: Int = 6, warpsPerLevel: Int = 2, minimumLevelSize: Int = 8,
                medianFilter: Bool = true, relaxation: Float = 1.8) {
        self.medianFilter = medianFilter
        self.relaxation = relaxation
        self.smoothness = smoothness
        self.iterations = iterations
        self.warpsPerLevel = warpsPerLevel
        self.minimumLevelSize = minimumLevelSize
    }
}

/// A dense displacement field: pixel (x, y) of the first frame moves to (x + u, y + v) in the second.
struct FlowField: Sendable, Equatable {
    var width: Int
    var height: Int
    var u: [Float]
    var v: [Float]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        u = [Float](repeating: 0, count: width * height)
        v = u
    }
}

/// A luma frame prepared once for flow: lightly smoothed and down-sampled into a pyramid
/// (index 0 is full resolution). Each frame's pyramid serves every pair it belongs to.
struct FlowPyramid: Sendable {
    var levels: [Plane]

    init(_ plane: Plane, minimumLevelSize: Int) {
        var current = plane.gaussianBlurred(sigma: 0.6)
        var levels = [current]
        while min(current.width, current.height) / 2 >= max(minimumLevelSize, 2) {
            current = current.downsampled()
            levels.append(current)
        }
        self.levels = levels
    }
}

/// Coarse-to-fine Horn–Schunck optical flow with warping at each pyramid level.
///
/// At every level the second frame is warped towards the first with the current flow, the brightness
/// constancy equation is re-linearised around that flow, and SOR sweeps solve
/// `min Σ (I_t + I_x du + I_y dv)² + α² |∇(u0 + du)|²` for the total flow (Horn & Schunck 1981, with the
/// warping of Brox et al. 2004). The flow is then upsampled (bilinear, values scaled) to the next level.
enum OpticalFlow {
    static func flow(from first: FlowPyramid, to second: FlowPyramid, parameters: OpticalFlowParameters) -> FlowField {
        let levelCount = min(first.levels.count, second.levels.count)
        var flow = FlowField(width: first.levels[levelCount - 1].width, height: first.levels[levelCount - 1].height)
        for level in stride(from: levelCount - 1, through: 0, by: -1) {
            let a = first.levels[level], b = second.levels[level]
            if flow.width != a.width || flow.height != a.height {
                flow = upsample(flow, width: a.width, height: a.height)
            }
            for _ in 0..<max(1, parameters.warpsPerLevel) {
                refine(&flow, first: a, second: b, parameters: parameters)
            }
        }
        return flow
    }

    /// One warp of Horn–Schunck at one level: re-linearise around the current flow, then iterate.
    static func refine(_ flow: inout FlowField, first a: Plane, second b: Plane, parameters: OpticalFlowParameters) {
        let w = a.width, h = a.height, n = w * h
        var warped = [Float](repeating: 0, count: n)
        b.values.withUnsafeBufferPointer { src in
            flow.u.withUnsafeBufferPointer { u in
                flow.v.withUnsafeBufferPointer { v in
                    warped.withUnsafeMutableBufferPointer { o in
                        for y in 0..<h {
                            for x in 0..<w {
                                let i = y &* w &+ x
                                o[i] = Plane.bilinear(src, width: w, height: h, x: Float(x) + u[i], y: Float(y) + v[i])
                            }
                        }
                    }
                }
            }
        }
        // Per-pixel constants of the linearised data term: Ix, Iy, c = It − Ix·u0 − Iy·v0, 1/(α² + |∇I|²).
        var ix = [Float](repeating: 0, count: n), iy = ix, c = ix, inv = ix
        let alpha2 = parameters.smoothness * parameters.smoothness
        a.values.withUnsafeBufferPointer { p1 in
            warped.withUnsafeBufferPointer { p2 in
                flow.u.withUnsafeBufferPointer { u in
                    flow.v.withUnsafeBufferPointer { v in
                        ix.withUnsafeMutableBufferPointer { gx in
                            iy.withUnsafeMutableBufferPointer { gy in
                                c.withUnsafeMutableBufferPointer { cc in
                                    inv.withUnsafeMutableBufferPointer { iv in
                                        for y in 0..<h {
                                            let up = max(y &- 1, 0) &* w, dn = min(y &+ 1, h &- 1) &* w, row = y &* w
                                            let sy: Float = (y == 0 || y == h &- 1) ? 1 : 0.5
                                            for x in 0..<w {
                                                let l = max(x &- 1, 0), r = min(x &+ 1, w &- 1)
                                                let sx: Float = (x == 0 || x == w &- 1) ? 1 : 0.5
                                                let i = row &+ x
                                                let tx = Float(x) + u[i], ty = Float(y) + v[i]
                                                if tx < 0 || ty < 0 || tx > Float(w &- 1) || ty > Float(h &- 1) {
                                                    // The match lies outside the second frame: no data term here,
                                                    // the smoothness term fills the flow in from the neighbours.
                                                    gx[i] = 0; gy[i] = 0; cc[i] = 0; iv[i] = 1 / alpha2
                                                    continue
                                                }
                                                let dx = 0.5 * sx * ((p1[row &+ r] - p1[row &+ l]) + (p2[row &+ r] - p2[row &+ l]))
                                                let dy = 0.5 * sy * ((p1[dn &+ x] - p1[up &+ x]) + (p2[dn &+ x] - p2[up &+ x]))
                                                let dt = p2[i] - p1[i]
                                                gx[i] = dx
                                                gy[i] = dy
                                                cc[i] = dt - dx * u[i] - dy * v[i]
                                                iv[i] = 1 / (alpha2 + dx * dx + dy * dy)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for _ in 0..<max(1, parameters.iterations) {
            sorSweep(width: w, height: h, u: &flow.u, v: &flow.v, ix: ix, iy: iy, c: c, inv: inv,
                     relaxation: parameters.relaxation)
        }
        if parameters.medianFilter {
            flow.u = median3x3(flow.u, width: w, height: h)
            flow.v = median3x3(flow.v, width: w, height: h)
        }
    }

    /// 3×3 median (replicated border): removes isolated flow outliers after each warp, the single most
    /// effective addition to classical flow according to Sun, Roth & Black (2010).
    static func median3x3(_ values: [Float], width w: Int, height h: Int) -> [Float] {
        var out = values
        values.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                for y in 0..<h {
                    let r0 = max(y &- 1, 0) &* w, r1 = y &* w, r2 = min(y &+ 1, h &- 1) &* w
                    for x in 0..<w {
                        let xa = max(x &- 1, 0), xc = min(x &+ 1, w &- 1)
                        o[r1 &+ x] = median9(p[r0 &+ xa], p[r0 &+ x], p[r0 &+ xc], p[r1 &+ xa], p[r1 &+ x],
                                             p[r1 &+ xc], p[r2 &+ xa], p[r2 &+ x], p[r2 &+ xc])
                    }
                }
            }
        }
        return out
    }

    /// Median of nine values by the classic 19-exchange selection network (Paeth).
    @inline(__always)
    static func median9(_ a0: Float, _ a1: Float, _ a2: Float, _ a3: Float, _ a4: Float, _ a5: Float,
                        _ a6: Float, _ a7: Float, _ a8: Float) -> Float {
        var p0 = a0, p1 = a1, p2 = a2, p3 = a3, p4 = a4, p5 = a5, p6 = a6, p7 = a7, p8 = a8
        @inline(__always) func sort(_ a: inout Float, _ b: inout Float) { let lo = min(a, b); b = max(a, b); a = lo }
        sort(&p1, &p2); sort(&p4, &p5); sort(&p7, &p8)
        sort(&p0, &p1); sort(&p3, &p4); sort(&p6, &p7)
        sort(&p1, &p2); sort(&p4, &p5); sort(&p7, &p8)
        sort(&p0, &p3); sort(&p5, &p8); sort(&p4, &p7)
        sort(&p3, &p6); sort(&p1, &p4); sort(&p2, &p5)
        sort(&p4, &p7); sort(&p4, &p2); sort(&p6, &p4)
        sort(&p4, &p2)
        return p4
    }

    /// One in-place successive over-relaxation sweep (red–black Gauss–Seidel, factor ω):
    /// ū = 4-neighbour mean (replicated border), t = (Ix ū + Iy v̄ + c)/(α² + |∇I|²),
    /// u ← (1 − ω) u + ω (ū − Ix t), likewise v. With ω ≈ 1.8 it converges far faster than Jacobi.
    static func sorSweep(width w: Int, height h: Int, u: inout [Float], v: inout [Float], ix: [Float], iy: [Float],
                         c: [Float], inv: [Float], relaxation omega: Float) {
        ix.withUnsafeBufferPointer { gx in
            iy.withUnsafeBufferPointer { gy in
                c.withUnsafeBufferPointer { cc in
                    inv.withUnsafeBufferPointer { iv in
                        u.withUnsafeMutableBufferPointer { u in
                            v.withUnsafeMutableBufferPointer { v in
                                let keep = 1 - omega
                                @inline(__always) func update(_ i: Int, _ l: Int, _ r: Int, _ up: Int, _ dn: Int) {
                                    let ub = 0.25 * (u[l] + u[r] + u[up] + u[dn])
                                    let vb = 0.25 * (v[l] + v[r] + v[up] + v[dn])
                                    let t = (gx[i] * ub + gy[i] * vb + cc[i]) * iv[i]
                                    u[i] = keep * u[i] + omega * (ub - gx[i] * t)
                                    v[i] = keep * v[i] + omega * (vb - gy[i] * t)
                                }
                                // Red–black order: pixels of one colour depend only on the other colour,
                                // so a half-sweep has no serial dependency chain (same fixed point and
                                // convergence class as lexicographic SOR, several times faster here).
                                for colour in 0..<2 {
                                    for y in 0..<h {
                                        let row = y &* w
                                        let upRow = max(y &- 1, 0) &* w, dnRow = min(y &+ 1, h &- 1) &* w
                                        var x = (y &+ colour) & 1
                                        while x < w {
                                            let l = max(x &- 1, 0), r = min(x &+ 1, w &- 1)
                                            update(row &+ x, row &+ l, row &+ r, upRow &+ x, dnRow &+ x)
                                            x &+= 2
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Bilinear upsampling of a flow field to a finer level; displacements scale with the size ratio.
    static func upsample(_ flow: FlowField, width: Int, height: Int) -> FlowField {
        var out = FlowField(width: width, height: height)
        let sx = Float(flow.width) / Float(width), sy = Float(flow.height) / Float(height)
        flow.u.withUnsafeBufferPointer { u in
            flow.v.withUnsafeBufferPointer { v in
                out.u.withUnsafeMutableBufferPointer { ou in
                    out.v.withUnsafeMutableBufferPointer { ov in
                        for y in 0..<height {
                            let fy = (Float(y) + 0.5) * sy - 0.5
                            for x in 0..<width {
                                let fx = (Float(x) + 0.5) * sx - 0.5
                                let i = y &* width &+ x
                                ou[i] = Plane.bilinear(u, width: flow.width, height: flow.height, x: fx, y: fy) / sx
                                ov[i] = Plane.bilinear(v, width: flow.width, height: flow.height, x: fx, y: fy) / sy
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
