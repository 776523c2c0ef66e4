import QVTensor

/// Dynamic per-token (optionally per-token-per-group) activation fake quantization (DESIGN.md §5):
/// each token's range [min·c_lo, max·c_hi] is mapped onto 0…P at every forward, where the optional
/// learnable clipping factors c = σ(logit) are per layer or per timestep group.
///
/// Gradients: x gets the straight-through gradient inside the range (the range statistics are
/// treated as constants, as in dynamic-quantization QAT); the clip logits get the exact derivative
/// through s = (hi − lo)/P and z = round(−lo/s) (rounding straight-through).
public enum DynamicQuantize {
    /// Sigmoid logit whose factor is ≈ 0.99995: clipping starts effectively off.
    public static let initialClipLogit: Float = 10

    /// Integer levels, steps and offsets of a row-major [rows × cols] input, exactly as `apply`
    /// quantizes it (for deployment through the integer kernels). `clip` gives each row's
    /// (low, high) clipping factors, or nil for none.
    public static func levels(_ x: [Float], rows: Int, cols: Int, bits: Int, groupSize: Int? = nil,
                              clip: ((Int) -> (Float, Float))? = nil) -> (levels: [UInt8], scales: [Float], zeros: [Float]) {
        let g = groupSize ?? cols, blocks = cols / g, p = FakeQuantize.levels(bits)
        var q = [UInt8](repeating: 0, count: rows * cols)
        var scales = [Float](repeating: 0, count: rows * blocks), zeros = scales
        x.withUnsafeBufferPointer { xs in
            for r in 0..<rows {
                let (cl, ch) = clip?(r) ?? (1, 1)
                for k in 0..<blocks {
                    let base = r * cols + k * g
                    var lo = Float.infinity, hi = -Float.infinity
                    for j in base..<(base + g) { lo = Swift.min(lo, xs[j]); hi = Swift.max(hi, xs[j]) }
                    let l = Swift.min(lo, 0) * cl, h = Swift.max(hi, 0) * ch
                    let s = Swift.max((h - l) / p, 1e-8), z = (-l / s).rounded(.toNearestOrEven)
                    scales[r * blocks + k] = s
                    zeros[r * blocks + k] = z
                    for j in base..<(base + g) { q[j] = byteValue(FakeQuantize.level(xs[j], scale: s, zero: z, levels: p)) }
                }
            }
        }
        return (q, scales, zeros)
    }

    /// - Parameters:
    ///   - clipLogits: nil, or a [groups, 2] tensor of (low, high) logits.
    ///   - rowGroup: for each row of `x` (tokens), which row of `clipLogits` applies (nil: row 0).
    public static func apply(_ x: Tensor, bits: Int, groupSize: Int? = nil, clipLogits: Tensor? = nil,
                             rowGroup: [Int]? = nil) -> Tensor {
        let cols = x.shape.last ?? 1, rows = cols == 0 ? 0 : x.count / cols
        let g = groupSize ?? cols, blocks = cols / g, p = FakeQuantize.levels(bits)
        precondition(cols % g == 0, "dynamic quantize: \(cols) columns not divisible by group \(g)")
        precondition(rowGroup.map { $0.count == rows } ?? true, "dynamic quantize: \(rows) rows need group ids")
        let logits = clipLogits?.data
        func factors(_ row: Int) -> (Float, Float) {
            guard let logits else { return (1, 1) }
            let k = rowGroup?[row] ?? 0
            return (fastSigmoid(logits[2 * k]), fastSigmoid(logits[2 * k + 1]))
        }
        let n = rows * blocks
        var lows = [Float](repeating: 0, count: n), scales = lows, zeros = lows, mins = lows, maxs = lows
        var out = [Float](repeating: 0, count: x.count)
        x.data.withUnsafeBufferPointer { xs in
            for r in 0..<rows {
                let (cl, ch) = factors(r)
                for k in 0..<blocks {
                    let base = r * cols + k * g
                    var lo = Float.infinity, hi = -Float.infinity
                    for j in base..<(base + g) { lo = Swift.min(lo, xs[j]); hi = Swift.max(hi, xs[j]) }
                    let i = r * blocks + k
                    mins[i] = Swift.min(lo, 0); maxs[i] = Swift.max(hi, 0)
                    let l = mins[i] * cl, h = maxs[i] * ch
                    let s = Swift.max((h - l) / p, 1e-8), z = (-l / s).rounded(.toNearestOrEven)
                    lows[i] = l; scales[i] = s; zeros[i] = z
                    for j in base..<(base + g) { out[j] = FakeQuantize.value(xs[j], scale: s, zero: z, levels: p) }
                }
            }
        }
        let result = Tensor(shape: x.shape, data: out)
        var inputs = [x]
        if let clipLogits { inputs.append(clipLogits) }
        return result.recording(inputs) { node in
            let gy = node.grad!, xs = x.data
            var dx = [Float](repeating: 0, count: x.count)
            var dLogits = [Float](repeating: 0, count: clipLogits?.count ?? 0)
            for r in 0..<rows {
                let kGroup = rowGroup?[r] ?? 0
                for k in 0..<blocks {
                    let i = r * blocks + k, s = scales[i], z = zeros[i], l = lows[i], base = r * cols + k * g
                    var dS: Float = 0, dZ: Float = 0
                    for j in base..<(base + g) {
                        let q = roundHalfEven(xs[j] / s + z)
                        if q < 0 || q > p {
                            dS += gy[j] * ((q < 0 ? 0 : p) - z)
                            dZ -= gy[j] * s
                        } else {
                            dx[j] = gy[j]
                            dS += gy[j] * (q - z - xs[j] / s)
                        }
                    }
                    guard let logits else { continue }
                    // s = (h − l)/P, z = −l/s (rounding straight-through).
                    let dH = (dS + dZ * (l / (s * s))) / p
                    let dL = -dS / p + dZ * (-1 / s - (l / (s * s)) / p)
                    let sl = fastSigmoid(logits[2 * kGroup]), sh = fastSigmoid(logits[2 * kGroup + 1])
                    dLogits[2 * kGroup] += dL * mins[i] * sl * (1 - sl)
                    dLogits[2 * kGroup + 1] += dH * maxs[i] * sh * (1 - sh)
                }
            }
            x.accumulateGrad(dx)
            clipLogits?.accumulateGrad(dLogits)
        }
    }
}
