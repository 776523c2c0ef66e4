import QVMedia

/// Motion smoothness with VBench's procedure (`motion_smoothness.py`), AMT's frame interpolator swapped
/// for flow-warped midpoint interpolation.
///
/// Keep the even frames 0, 2, 4, …; synthesise each frame 2k+1 from frames 2k and 2k+2 only, truncate it
/// to uint8 (AMT's `tensor2img` truncates too), and compare with the real frame:
/// score = (255 − mean over synthesised frames of mean |I − Î|) / 255. As in VBench, only the odd frames
/// that lie between two even frames are compared (a trailing odd frame is not). A clip whose motion is
/// linear and whose appearance is constant scores near 1; a static uint8 clip scores exactly 1 (zero
/// flow, exact samples, exact average).
enum MotionSmoothness {
    static let minimumFrames = 3

    static func score(cache: inout ClipFlowCache) -> Double {
        let clip = cache.clip
        let evenCount = (clip.frameCount + 1) / 2
        var total = 0.0
        var frames = 0
        for k in 0..<(evenCount - 1) {
            let a = 2 * k, b = 2 * k + 2
            let flow = cache.flow(from: a, to: b)
            total += meanAbsoluteError(clip: clip, before: a, after: b, target: a + 1, flow: flow)
            frames += 1
        }
        let vfi = total / Double(max(1, frames))
        return (255 - vfi) / 255
    }

    /// Mean |I − Î| (over pixels and channels) of the midpoint interpolation of `target`.
    ///
    /// The midpoint flow m(x) satisfies m = F(x − m/2) (the motion of the point that passes x halfway);
    /// two fixed-point steps from m = F(x) solve it for smooth flows. Then Î(x) = ½(I_a(x − m/2) + I_b(x + m/2)).
    static func meanAbsoluteError(clip: VideoClip, before a: Int, after b: Int, target: Int, flow: FlowField) -> Double {
        let w = clip.width, h = clip.height
        let stride = w * h * 3
        var errorSum = 0
        clip.pixels.withUnsafeBufferPointer { px in
            flow.u.withUnsafeBufferPointer { fu in
                flow.v.withUnsafeBufferPointer { fv in
                    let pa = px.baseAddress! + a * stride
                    let pb = px.baseAddress! + b * stride
                    let pt = px.baseAddress! + target * stride
                    for y in 0..<h {
                        for x in 0..<w {
                            let i = y &* w &+ x
                            var mu = fu[i], mv = fv[i]
                            for _ in 0..<2 {
                                let sx = Float(x) - 0.5 * mu, sy = Float(y) - 0.5 * mv
                                mu = Plane.bilinear(fu, width: w, height: h, x: sx, y: sy)
                                mv = Plane.bilinear(fv, width: w, height: h, x: sx, y: sy)
                            }
                            let ax = Float(x) - 0.5 * mu, ay = Float(y) - 0.5 * mv
                            let bx = Float(x) + 0.5 * mu, by = Float(y) + 0.5 * mv
                            for c in 0..<3 {
                                let va = sampleRGB(pa, width: w, height: h, x: ax, y: ay, channel: c)
                                let vb = sampleRGB(pb, width: w, height: h, x: bx, y: by, channel: c)
                                let mid = min(255, max(0, 0.5 * (va + vb)))
                                let truncated = Int(mid)  // toward zero, as uint8 conversion of a float tensor
                                let truth = Int(pt[i &* 3 &+ c])
                                errorSum &+= abs(truncated &- truth)
                            }
                        }
                    }
                }
            }
        }
        return Double(errorSum) / Double(stride)
    }

    /// Bilinear sample of one channel of an interleaved RGB uint8 frame, replicated border.
    @inline(__always)
    static func sampleRGB(_ p: UnsafePointer<UInt8>, width: Int, height: Int, x: Float, y: Float, channel c: Int) -> Float {
        let xc = min(max(x, 0), Float(width - 1)), yc = min(max(y, 0), Float(height - 1))
        let x0 = Int(xc), y0 = Int(yc)
        let x1 = min(x0 &+ 1, width &- 1), y1 = min(y0 &+ 1, height &- 1)
        let fx = xc - Float(x0), fy = yc - Float(y0)
        let p00 = Float(p[(y0 &* width &+ x0) &* 3 &+ c]), p01 = Float(p[(y0 &* width &+ x1) &* 3 &+ c])
        let p10 = Float(p[(y1 &* width &+ x0) &* 3 &+ c]), p11 = Float(p[(y1 &* width &+ x1) &* 3 &+ c])
        let top = p00 + fx * (p01 - p00), bottom = p10 + fx * (p11 - p10)
        return top + fy * (bottom - top)
    }
}
