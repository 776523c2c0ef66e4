import Foundation
import QVTensor

/// Initial steps and offsets for static (weight) quantizers.
public enum RangeInit {
    /// Step and offset that map [lo, hi] (widened to contain 0) onto 0…P.
    @inline(__always) public static func params(lo: Float, hi: Float, bits: Int) -> (scale: Float, zero: Float) {
        let lo = Swift.min(lo, 0), hi = Swift.max(hi, 0)
        let s = Swift.max((hi - lo) / FakeQuantize.levels(bits), 1e-8)
        return (s, (-lo / s).rounded(.toNearestOrEven))
    }

    /// Per-(row, group) min/max ranges of a rows × cols matrix.
    public static func minMax(_ w: [Float], rows: Int, cols: Int, groupSize: Int? = nil, bits: Int) -> (scale: [Float], zero: [Float]) {
        search(w, rows: rows, cols: cols, groupSize: groupSize, bits: bits, shrinks: [1])
    }

    /// DESIGN §5's MSE search: for p in 1.00, 0.99, …, 0.21 shrink each block's [min, max] by p and keep
    /// the p minimising Σ|Q(w) − w|^2.4.
    public static func mseSearch(_ w: [Float], rows: Int, cols: Int, groupSize: Int? = nil, bits: Int) -> (scale: [Float], zero: [Float]) {
        search(w, rows: rows, cols: cols, groupSize: groupSize, bits: bits,
               shrinks: (0..<80).map { 1 - Float($0) * 0.01 })
    }

    static func search(_ w: [Float], rows: Int, cols: Int, groupSize: Int?, bits: Int, shrinks: [Float]) -> (scale: [Float], zero: [Float]) {
        let g = groupSize ?? cols, groups = cols / g, p = FakeQuantize.levels(bits)
        precondition(cols % g == 0 && w.count == rows * cols, "range init: bad shape \(rows)×\(cols) group \(g)")
        var scales = [Float](repeating: 1, count: rows * groups), zeros = [Float](repeating: 0, count: rows * groups)
        w.withUnsafeBufferPointer { w in
            for r in 0..<rows { for k in 0..<groups {
                let base = r * cols + k * g
                var lo = Float.infinity, hi = -Float.infinity
                for j in base..<(base + g) { lo = Swift.min(lo, w[j]); hi = Swift.max(hi, w[j]) }
                var best = (Float.infinity, Float(1), Float(0))
                for shrink in shrinks {
                    let (s, z) = params(lo: lo * shrink, hi: hi * shrink, bits: bits)
                    var err: Float = 0
                    for j in base..<(base + g) {
                        let e = Swift.abs(FakeQuantize.value(w[j], scale: s, zero: z, levels: p) - w[j])
                        err += e > 0 ? Foundation.pow(e, 2.4) : 0
                    }
                    if err < best.0 { best = (err, s, z) }
                }
                scales[r * groups + k] = best.1
                zeros[r * groups + k] = best.2
            } }
        }
        return (scales, zeros)
    }
}
