/// Settings of the coarse-to-fine Horn–Schunck flow (DESIGN §8).
///
/// Intensities are in 0…255 (luma Y and, for colour clips, the chroma differences Cb, Cr), so
/// `smoothness` (Horn–Schunck's α) is in the same units as an image gradient: with α = 10 a gradient of
/// 10 grey levels per pixel weighs as much as the smoothness prior.
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
    /// Use chroma (Cb, Cr) beside luma in the data term of colour clips. Luma alone cannot see an
    /// isoluminant object (a red disc on green grass has nearly the luma of the grass).
    public var useChroma: Bool

    public init(smoothness: Float = 10, iterations: Int = 6, warpsPerLevel: Int = 2, minimumLevelSize: Int = 8,
                medianFilter: Bool = true, relaxation: Float = 1.8, useChroma: Bool = true) {
        self.useChroma = useChroma
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

/// A frame prepared once for flow: its channels (luma, then chroma if used), lightly smoothed and
/// down-sampled into a pyramid (index 0 is full resolution). Each frame's pyramid serves every pair it
/// belongs to.
struct FlowPyramid: Sendable {
    /// `levels[level][channel]`.
    var levels: [[Plane]]

    init(channels: [Plane], minimumLevelSize: Int) {
        var current = channels.map { $0.gaussianBlurred(sigma: 0.6) }
        var levels = [current]
        while min(current[0].width, current[0].height) / 2 >= max(minimumLevelSize, 2) {
            current = current.map { $0.downsampled() }
            levels.append(current)
        }
        self.levels = levels
    }
}

/// Coarse-to-fine Horn–Schunck optical flow with warping at each pyramid level.
///
/// At every level the second frame is warped towards the first with the current flow, the constancy
/// equation of every channel is re-linearised around that flow, and SOR sweeps solve
/// `min Σ_c (I_t + I_x du + I_y dv)² + α² |∇(u0 + du)|²` for the total flow (Horn & Schunck 1981, with
/// the warping of Brox et al. 2004). Per pixel the data term is the 2×2 structure tensor J = Σ_c ∇I_c∇I_cᵀ,
/// so a sweep solves (J + α²I)(u, v) = α²(ū, v̄) − b; with one channel this is Horn–Schunck's own update.
/// The flow is then upsampled (bilinear, values scaled) to the next level.
enum OpticalFlow {
    static func flow(from first: FlowPyramid, to second: FlowPyramid, parameters: OpticalFlowParameters) -> FlowField {
        let levelCount = min(first.levels.count, second.levels.count)
        var flow = FlowField(width: first.levels[levelCount - 1][0].width, height: first.levels[levelCount - 1][0].height)
        for level in stride(from: levelCount - 1, through: 0, by: -1) {
            let a = first.levels[level], b = second.levels[level]
            if flow.width != a[0].width || flow.height != a[0].height {
                flow = upsample(flow, width: a[0].width, height: a[0].height)
            }
            for _ in 0..<max(1, parameters.warpsPerLevel) {
                refine(&flow, first: a, second: b, parameters: parameters)
            }
        }
        return flow
    }

    /// One warp of Horn–Schunck at one level: re-linearise around the current flow, then iterate.
    static func refine(_ flow: inout FlowField, first a: [Plane], second b: [Plane], parameters: OpticalFlowParameters) {
        let w = a[0].width, h = a[0].height, n = w * h
        let alpha2 = parameters.smoothness * parameters.smoothness
        // Per pixel: the inverse of J + α²I (symmetric: i11, i12, i22) and b = Σ_c ∇I_c·c_c, where
        // c_c = I_t − I_x·u0 − I_y·v0.
        var j11 = [Float](repeating: 0, count: n), j12 = j11, j22 = j11, b1 = j11, b2 = j11
        var inside = [Bool](repeating: true, count: n)
        var warped = [Float](repeating: 0, count: n)
        flow.u.withUnsafeBufferPointer { u in
            flow.v.withUnsafeBufferPointer { v in
                inside.withUnsafeMutableBufferPointer { ins in
                    for y in 0..<h {
                        for x in 0..<w {
                            let i = y &* w &+ x
                            let tx = Float(x) + u[i], ty = Float(y) + v[i]
                            ins[i] = tx >= 0 && ty >= 0 && tx <= Float(w &- 1) && ty <= Float(h &- 1)
                        }
                    }
                }
            }
        }
        for channel in a.indices {
            b[channel].values.withUnsafeBufferPointer { src in
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
            accumulate(first: a[channel].values, warped: warped, width: w, height: h, u: flow.u, v: flow.v,
                       inside: inside, j11: &j11, j12: &j12, j22: &j22, b1: &b1, b2: &b2)
        }
        // Out-of-frame matches keep J = 0, b = 0: no data term, the smoothness term fills the flow in.
        var i11 = j11, i12 = j12, i22 = j22
        for i in 0..<n {
            let a11 = j11[i] + alpha2, a22 = j22[i] + alpha2, a12 = j12[i]
            let inv = 1 / (a11 * a22 - a12 * a12)
            i11[i] = a22 * inv
            i22[i] = a11 * inv
            i12[i] = -a12 * inv
        }
        for _ in 0..<max(1, parameters.iterations) {
            sorSweep(width: w, height: h, u: &flow.u, v: &flow.v, i11: i11, i12: i12, i22: i22, b1: b1, b2: b2,
                     alpha2: alpha2, relaxation: parameters.relaxation)
        }
        if parameters.medianFilter {
            flow.u = median3x3(flow.u, width: w, height: h)
            flow.v = median3x3(flow.v, width: w, height: h)
        }
    }

    /// Adds one channel's linearised data term to the structure tensor J and the vector b.
    static func accumulate(first: [Float], warped: [Float], width w: Int, height h: Int, u: [Float], v: [Float],
                           inside: [Bool], j11: inout [Float], j12: inout [Float], j22: inout [Float],
                           b1: inout [Float], b2: inout [Float]) {
        first.withUnsafeBufferPointer { p1 in
            warped.withUnsafeBufferPointer { p2 in
                u.withUnsafeBufferPointer { u in
                    v.withUnsafeBufferPointer { v in
                        inside.withUnsafeBufferPointer { ins in
                            j11.withUnsafeMutableBufferPointer { j11 in
                                j12.withUnsafeMutableBufferPointer { j12 in
                                    j22.withUnsafeMutableBufferPointer { j22 in
                                        b1.withUnsafeMutableBufferPointer { b1 in
                                            b2.withUnsafeMutableBufferPointer { b2 in
                                                for y in 0..<h {
                                                    let up = max(y &- 1, 0) &* w, dn = min(y &+ 1, h &- 1) &* w, row = y &* w
                                                    let sy: Float = (y == 0 || y == h &- 1) ? 1 : 0.5
                                                    for x in 0..<w {
                                                        let i = row &+ x
                                                        guard ins[i] else { continue }
                                                        let l = max(x &- 1, 0), r = min(x &+ 1, w &- 1)
                                                        let sx: Float = (x == 0 || x == w &- 1) ? 1 : 0.5
                                                        let dx = 0.5 * sx * ((p1[row &+ r] - p1[row &+ l]) + (p2[row &+ r] - p2[row &+ l]))
                                                        let dy = 0.5 * sy * ((p1[dn &+ x] - p1[up &+ x]) + (p2[dn &+ x] - p2[up &+ x]))
                                                        let c = (p2[i] - p1[i]) - dx * u[i] - dy * v[i]
                                                        j11[i] += dx * dx
                                                        j12[i] += dx * dy
                                                        j22[i] += dy * dy
                                                        b1[i] += dx * c
                                                        b2[i] += dy * c
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
            }
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
    /// ū = 4-neighbour mean (replicated border), (u, v)_GS = (J + α²I)⁻¹ (α²(ū, v̄) − b),
    /// u ← (1 − ω) u + ω u_GS, likewise v.
    static func sorSweep(width w: Int, height h: Int, u: inout [Float], v: inout [Float], i11: [Float], i12: [Float],
                         i22: [Float], b1: [Float], b2: [Float], alpha2: Float, relaxation omega: Float) {
        i11.withUnsafeBufferPointer { i11 in
            i12.withUnsafeBufferPointer { i12 in
                i22.withUnsafeBufferPointer { i22 in
                    b1.withUnsafeBufferPointer { b1 in
                        b2.withUnsafeBufferPointer { b2 in
                            u.withUnsafeMutableBufferPointer { u in
                                v.withUnsafeMutableBufferPointer { v in
                                    let keep = 1 - omega
                                    let quarterAlpha2 = 0.25 * alpha2
                                    // Red–black order: pixels of one colour depend only on the other colour,
                                    // so a half-sweep has no serial dependency chain (same fixed point and
                                    // convergence class as lexicographic SOR, several times faster here).
                                    for colour in 0..<2 {
                                        for y in 0..<h {
                                            let row = y &* w
                                            let upRow = max(y &- 1, 0) &* w, dnRow = min(y &+ 1, h &- 1) &* w
                                            var x = (y &+ colour) & 1
                                            while x < w {
                                                let i = row &+ x
                                                let l = row &+ max(x &- 1, 0), r = row &+ min(x &+ 1, w &- 1)
                                                let r1 = quarterAlpha2 * (u[l] + u[r] + u[upRow &+ x] + u[dnRow &+ x]) - b1[i]
                                                let r2 = quarterAlpha2 * (v[l] + v[r] + v[upRow &+ x] + v[dnRow &+ x]) - b2[i]
                                                u[i] = keep * u[i] + omega * (i11[i] * r1 + i12[i] * r2)
                                                v[i] = keep * v[i] + omega * (i12[i] * r1 + i22[i] * r2)
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
