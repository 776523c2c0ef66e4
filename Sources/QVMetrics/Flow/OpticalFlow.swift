/// Settings of the coarse-to-fine Horn–Schunck flow (DESIGN §8).
///
/// Intensities are luma in 0…255, so `smoothness` (Horn–Schunck's α) is in the same units as an image
/// gradient: with α ≈ 8 a gradient of 8 grey levels per pixel weighs as much as the smoothness prior.
public struct OpticalFlowParameters: Sendable, Hashable, Codable {
    /// Horn–Schunck's α (regularisation weight), in grey levels per pixel.
    public var smoothness: Float
    /// Jacobi iterations per warp at every pyramid level.
    public var iterations: Int
    /// Warps (re-linearisations) per pyramid level.
    public var warpsPerLevel: Int
    /// The coarsest level is the last one whose shorter side is at least this many pixels.
    public var minimumLevelSize: Int

    public init(smoothness: Float = 6, iterations: Int = 12, warpsPerLevel: Int = 2, minimumLevelSize: Int = 8) {
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
/// constancy equation is re-linearised around that flow, and Jacobi iterations solve
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
        var u2 = flow.u, v2 = flow.v
        for _ in 0..<max(1, parameters.iterations) {
            jacobiStep(width: w, height: h, u: flow.u, v: flow.v, ix: ix, iy: iy, c: c, inv: inv, outU: &u2, outV: &v2)
            swap(&flow.u, &u2)
            swap(&flow.v, &v2)
        }
    }

    /// One Jacobi sweep: ū = 4-neighbour mean (replicated border), t = (Ix ū + Iy v̄ + c)/(α² + |∇I|²),
    /// u = ū − Ix t, v = v̄ − Iy t.
    static func jacobiStep(width w: Int, height h: Int, u: [Float], v: [Float], ix: [Float], iy: [Float],
                           c: [Float], inv: [Float], outU: inout [Float], outV: inout [Float]) {
        u.withUnsafeBufferPointer { u in
            v.withUnsafeBufferPointer { v in
                ix.withUnsafeBufferPointer { gx in
                    iy.withUnsafeBufferPointer { gy in
                        c.withUnsafeBufferPointer { cc in
                            inv.withUnsafeBufferPointer { iv in
                                outU.withUnsafeMutableBufferPointer { ou in
                                    outV.withUnsafeMutableBufferPointer { ov in
                                        @inline(__always) func update(_ i: Int, _ l: Int, _ r: Int, _ up: Int, _ dn: Int) {
                                            let ub = 0.25 * (u[l] + u[r] + u[up] + u[dn])
                                            let vb = 0.25 * (v[l] + v[r] + v[up] + v[dn])
                                            let t = (gx[i] * ub + gy[i] * vb + cc[i]) * iv[i]
                                            ou[i] = ub - gx[i] * t
                                            ov[i] = vb - gy[i] * t
                                        }
                                        for y in 0..<h {
                                            let row = y &* w
                                            let upRow = max(y &- 1, 0) &* w, dnRow = min(y &+ 1, h &- 1) &* w
                                            update(row, row, row &+ min(1, w &- 1), upRow, dnRow)
                                            if w > 2 {
                                                for x in 1..<(w &- 1) {
                                                    update(row &+ x, row &+ x &- 1, row &+ x &+ 1, upRow &+ x, dnRow &+ x)
                                                }
                                            }
                                            if w > 1 {
                                                let x = w &- 1
                                                update(row &+ x, row &+ x &- 1, row &+ x, upRow &+ x, dnRow &+ x)
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
