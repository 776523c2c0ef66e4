import Foundation
import Testing
@testable import QVModels
@testable import QVQuant
@testable import QVTensor

func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64, outliers: Bool = false) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    let t = Tensor.randn([rows, cols], std: 0.5, using: &rng)
    if outliers { for r in 0..<rows { t.data[r * cols + rng.nextInt(below: cols)] *= 25 } }
    return t
}

@Suite struct QuantizerTests {
    @Test(arguments: [2, 3, 4, 8])
    func valuesLieOnTheGridAndAreIdempotent(bits: Int) {
        let w = randomMatrix(6, 32, seed: UInt64(bits))
        let (s, z) = RangeInit.mseSearch(w.data, rows: 6, cols: 32, bits: bits)
        let st = Tensor(shape: [6, 1], data: s), zt = Tensor(shape: [6, 1], data: z)
        let q = FakeQuantize.apply(w, scale: st, zero: zt, bits: bits)
        let p = FakeQuantize.levels(bits)
        for r in 0..<6 { for j in 0..<32 {
            let level = q.data[r * 32 + j] / s[r] + z[r]
            #expect(Swift.abs(level - level.rounded()) < 1e-3 && level > -1e-3 && level < p + 1e-3)
        } }
        let qq = FakeQuantize.apply(q, scale: st, zero: zt, bits: bits)
        #expect(zip(q.data, qq.data).allSatisfy { Swift.abs($0 - $1) <= 1e-6 * Swift.max(1, Swift.abs($0)) })
        // Inside the range the error is at most half a step.
        for r in 0..<6 { for j in 0..<32 {
            let x = w.data[r * 32 + j], lo = -z[r] * s[r], hi = (p - z[r]) * s[r]
            if x >= lo && x <= hi { #expect(Swift.abs(q.data[r * 32 + j] - x) <= s[r] / 2 + 1e-6) }
        } }
    }

    @Test func mseSearchNeverLosesToMinMax() {
        let w = randomMatrix(8, 64, seed: 3, outliers: true)
        func err(_ p: (scale: [Float], zero: [Float])) -> Float {
            FakeQuantize.apply(w, scale: Tensor(shape: [8, 1], data: p.scale), zero: Tensor(shape: [8, 1], data: p.zero), bits: 4)
                .data.enumerated().reduce(0) { $0 + Foundation.pow(Swift.abs($1.element - w.data[$1.offset]), 2.4) }
        }
        #expect(err(RangeInit.mseSearch(w.data, rows: 8, cols: 64, bits: 4)) <= err(RangeInit.minMax(w.data, rows: 8, cols: 64, bits: 4)))
    }

    @Test func perGroupBeatsPerChannelOnOutlierWeights() {
        let w = randomMatrix(16, 256, seed: 4, outliers: true)
        func mse(_ group: Int?) -> Float {
            let g = group ?? 256
            let p = RangeInit.mseSearch(w.data, rows: 16, cols: 256, groupSize: group, bits: 4)
            let q = FakeQuantize.apply(w, scale: Tensor(shape: [16, 256 / g], data: p.scale),
                                       zero: Tensor(shape: [16, 256 / g], data: p.zero), bits: 4, groupSize: group)
            return zip(q.data, w.data).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        #expect(mse(64) < mse(nil))
    }

    /// The "un-rounded" surrogate of x̂ at a point: round(u) replaced by round(u₀) + (u − u₀), clamp kept.
    func surrogate(_ x: Double, s: Double, z: Double, x0: Double, s0: Double, z0: Double, p: Double) -> Double {
        let u0 = x0 / s0 + z0, u = x / s + z
        let q = (u0.rounded(.toNearestOrEven) + (u - u0))
        let qc = u0.rounded(.toNearestOrEven) < 0 ? 0 : (u0.rounded(.toNearestOrEven) > p ? p : q)
        return s * (qc - z)
    }

    @Test(arguments: [false, true])
    func lsqGradientsMatchTheUnroundedFormula(learnZero: Bool) {
        var rng = SeededGenerator(seed: 5)
        let x = Tensor.uniform([3, 8], -2, 2, using: &rng, requiresGrad: true)
        let s = Tensor(shape: [3, 1], data: [0.2, 0.15, 0.3], requiresGrad: true)
        let z = Tensor(shape: [3, 1], data: [7, 8, 6], requiresGrad: learnZero)
        let gradScale: Float = 0.5
        let w = (0..<24).map { _ in rng.uniform(-1, 1) }
        FakeQuantize.apply(x, scale: s, zero: z, bits: 4, gradScale: gradScale).backward(seed: w)
        let eps = 1e-4
        for r in 0..<3 {
            func loss(_ ds: Double, _ dz: Double) -> Double {
                (0..<8).reduce(0.0) { acc, j in
                    let xv = Double(x.data[r * 8 + j]), s0 = Double(s.data[r]), z0 = Double(z.data[r])
                    return acc + Double(w[r * 8 + j]) * surrogate(xv, s: s0 + ds, z: z0 + dz, x0: xv, s0: s0, z0: z0, p: 15)
                }
            }
            let numericS = (loss(eps, 0) - loss(-eps, 0)) / (2 * eps) * Double(gradScale)
            #expect(Swift.abs(Double(s.grad![r]) - numericS) < 1e-3 * Swift.max(1, Swift.abs(numericS)))
            if learnZero {
                let numericZ = (loss(0, eps) - loss(0, -eps)) / (2 * eps)
                #expect(Swift.abs(Double(z.grad![r]) - numericZ) < 1e-3 * Swift.max(1, Swift.abs(numericZ)))
            }
        }
        // Straight-through for x: 1 inside the range, 0 where clamped.
        for i in 0..<24 {
            let u = x.data[i] / s.data[i / 8] + z.data[i / 8]
            let inside = u.rounded(.toNearestOrEven) >= 0 && u.rounded(.toNearestOrEven) <= 15
            #expect(x.grad![i] == (inside ? w[i] : 0))
        }
    }

    @Test func dynamicClipGradientMatchesTheUnroundedFormula() {
        var rng = SeededGenerator(seed: 6)
        let x = Tensor.uniform([4, 16], -1, 3, using: &rng)
        let logits = Tensor(shape: [1, 2], data: [1.5, 0.8], requiresGrad: true)
        let w = (0..<64).map { _ in rng.uniform(-1, 1) }
        DynamicQuantize.apply(x, bits: 4, clipLogits: logits).backward(seed: w)
        // Surrogate in Double: ranges from the clipped min/max, rounding of u and of z linearised at the point.
        func loss(_ dl: Double, _ dh: Double) -> Double {
            var total = 0.0
            for r in 0..<4 {
                let row = (0..<16).map { Double(x.data[r * 16 + $0]) }
                let mn = Swift.min(row.min()!, 0), mx = Swift.max(row.max()!, 0)
                func sz(_ a: Double, _ b: Double) -> (Double, Double, Double) {
                    let cl = 1 / (1 + Foundation.exp(-a)), ch = 1 / (1 + Foundation.exp(-b))
                    let s = (mx * ch - mn * cl) / 15
                    return (s, -mn * cl / s, 0)
                }
                let (s0, zraw0, _) = sz(1.5, 0.8), (s, zraw, _) = sz(1.5 + dl, 0.8 + dh)
                let z0 = zraw0.rounded(.toNearestOrEven), z = z0 + (zraw - zraw0)
                for j in 0..<16 {
                    total += Double(w[r * 16 + j]) * surrogate(row[j], s: s, z: z, x0: row[j], s0: s0, z0: z0, p: 15)
                }
            }
            return total
        }
        let eps = 1e-5
        let nl = (loss(eps, 0) - loss(-eps, 0)) / (2 * eps), nh = (loss(0, eps) - loss(0, -eps)) / (2 * eps)
        #expect(Swift.abs(Double(logits.grad![0]) - nl) < 2e-3 * Swift.max(1, Swift.abs(nl)))
        #expect(Swift.abs(Double(logits.grad![1]) - nh) < 2e-3 * Swift.max(1, Swift.abs(nh)))
    }

    @Test func dynamicPerTokenRangesFollowEachToken() {
        let x = Tensor(shape: [2, 4], data: [0, 1, 2, 3, -10, 0, 5, 10])
        let q = DynamicQuantize.apply(x, bits: 8)
        for (a, b) in zip(q.data, x.data) { #expect(Swift.abs(a - b) < 0.05) }
        let q2 = DynamicQuantize.apply(x, bits: 2)
        #expect(Swift.abs(q2.data[3] - 3) < 1e-5)  // row 0: s = 1, z = 0, exact
        // Row 1: s = 20/3, z = round(1.5) = 2, so 10 maps to level min(round(3.5), 3) = 3 → 20/3.
        #expect(Swift.abs(q2.data[7] - 20.0 / 3) < 1e-4 && Swift.abs(q2.data[4] + 40.0 / 3) < 1e-4)
    }
}
