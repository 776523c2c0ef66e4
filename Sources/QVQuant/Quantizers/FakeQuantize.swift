import QVTensor

/// Asymmetric uniform fake quantization with straight-through rounding (DESIGN.md §5):
/// q = clamp(round(x/s + z), 0, P), x̂ = s·(q − z), P = 2^bits − 1.
///
/// `x` is viewed as rows × columns; the step `s` and offset `z` are shared by a block of columns of
/// one row (`groupSize` = columns for per-row / per-channel / per-token, smaller for per-group), so
/// `scale` and `zero` have rows × (columns / groupSize) values. Gradients:
/// ∂x̂/∂x = 1 inside the range and 0 outside; ∂x̂/∂s = q − z − x/s inside and q − z outside (LSQ+);
/// ∂x̂/∂z = 0 inside and −s outside. The step's gradient is multiplied by `gradScale` (LSQ's
/// g = 1/√(N·P)).
public enum FakeQuantize {
    /// P for a bit width.
    @inline(__always) public static func levels(_ bits: Int) -> Float { Float((1 << bits) - 1) }

    /// Quantizes and dequantizes one value.
    @inline(__always) public static func value(_ x: Float, scale s: Float, zero z: Float, levels p: Float) -> Float {
        let q = Swift.min(Swift.max(roundHalfEven(x / s + z), 0), p)
        return s * (q - z)
    }

    /// The integer level of one value.
    @inline(__always) public static func level(_ x: Float, scale s: Float, zero z: Float, levels p: Float) -> Float {
        Swift.min(Swift.max(roundHalfEven(x / s + z), 0), p)
    }

    /// Differentiable fake quantization of `x` (rank ≥ 1, last axis = columns) with per-(row, group)
    /// `scale` and `zero` tensors of rows × groups values.
    public static func apply(_ x: Tensor, scale: Tensor, zero: Tensor, bits: Int, groupSize: Int? = nil,
                             gradScale: Float = 1) -> Tensor {
        let cols = x.shape.last ?? 1, rows = cols == 0 ? 0 : x.count / cols
        let g = groupSize ?? cols, groups = cols / g
        precondition(cols % g == 0, "fake quantize: \(cols) columns not divisible by group \(g)")
        precondition(scale.count == rows * groups && zero.count == rows * groups,
                     "fake quantize: scale/zero need \(rows * groups) values, got \(scale.count)/\(zero.count)")
        let p = levels(bits)
        var out = [Float](repeating: 0, count: x.count)
        x.data.withUnsafeBufferPointer { xs in
            scale.data.withUnsafeBufferPointer { s in
                zero.data.withUnsafeBufferPointer { z in
                    out.withUnsafeMutableBufferPointer { y in
                        for r in 0..<rows { for k in 0..<groups {
                            let sv = s[r * groups + k], zv = z[r * groups + k], base = r * cols + k * g
                            for j in base..<(base + g) { y[j] = value(xs[j], scale: sv, zero: zv, levels: p) }
                        } }
                    }
                }
            }
        }
        let result = Tensor(shape: x.shape, data: out)
        return result.recording([x, scale, zero]) { node in
            let gy = node.grad!, xs = x.data, s = scale.data, z = zero.data
            var dx = [Float](repeating: 0, count: x.requiresGrad ? x.count : 0)
            var ds = [Float](repeating: 0, count: scale.count), dz = [Float](repeating: 0, count: zero.count)
            for r in 0..<rows { for k in 0..<groups {
                let i = r * groups + k, sv = s[i], zv = z[i], base = r * cols + k * g
                var gs: Float = 0, gz: Float = 0
                for j in base..<(base + g) {
                    let u = xs[j] / sv + zv, q = roundHalfEven(u)
                    if q < 0 || q > p {
                        let qc: Float = q < 0 ? 0 : p
                        gs += gy[j] * (qc - zv)
                        gz -= gy[j] * sv
                    } else {
                        if !dx.isEmpty { dx[j] = gy[j] }
                        gs += gy[j] * (q - zv - xs[j] / sv)
                    }
                }
                ds[i] = gs * gradScale
                dz[i] = gz
            } }
            if x.requiresGrad { x.accumulateGrad(dx) }
            scale.accumulateGrad(ds)
            zero.accumulateGrad(dz)
        }
    }
}
