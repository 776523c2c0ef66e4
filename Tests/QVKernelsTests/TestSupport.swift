// Independent references for the kernel tests: a Swift quantizer following DESIGN.md §5 directly,
// integer accumulators from the unpacked quantized values, and a Double-precision dequantized GEMM.
// None of this reads the packed layouts.
@testable import QVKernels
import QVTensor

/// The project's seeded generator (QVTensor) with the helpers the kernel tests use.
struct TestRNG {
    var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }
    /// Uniform in [lo, hi).
    mutating func float(_ lo: Float, _ hi: Float) -> Float {
        lo + (hi - lo) * Float(next() >> 40) / 16_777_216
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
    /// Rows with random per-row offset and spread, so zero points vary (some rows all positive).
    mutating func matrix(rows: Int, columns: Int) -> [Float] {
        var out = [Float]()
        out.reserveCapacity(rows * columns)
        for _ in 0..<rows {
            let center = float(-2, 2), spread = float(0.05, 3)
            for _ in 0..<columns { out.append(center + spread * float(-1, 1)) }
        }
        return out
    }
}

enum Reference {
    static func groupLength(_ g: WeightGranularity, columns: Int) -> Int {
        switch g {
        case .perChannel: columns
        case .perGroup(let size): size
        }
    }

    /// DESIGN.md §5 min/max rule and q = clamp(round(x/s + z), 0, P).
    static func params(_ values: ArraySlice<Float>, bits: Int) -> (s: Float, z: Float) {
        let pmax = Float((1 << bits) - 1)
        let mn = values.min()!, mx = values.max()!
        var s = (mx - mn) / pmax
        if !(s > 0) || !s.isFinite {
            let c = max(abs(mx), abs(mn))
            s = c > 0 ? c / pmax : 1
        }
        return (s, (-mn / s).rounded())
    }

    static func quantize(_ x: Float, s: Float, z: Float, bits: Int) -> UInt8 {
        let v = (x / s + z).rounded()
        return UInt8(min(max(v, 0), Float((1 << bits) - 1)))
    }

    /// Quantized values, scales and zero points, row-major, per row or per row per group.
    static func quantizeRows(_ x: [Float], rows: Int, columns: Int, bits: Int, granularity: WeightGranularity,
                             scales: [Float]? = nil, zeros: [Float]? = nil)
        -> (q: [UInt8], s: [Float], z: [Float], sums: [Int32]) {
        let glen = groupLength(granularity, columns: columns)
        let groups = (columns + glen - 1) / glen
        var q = [UInt8](repeating: 0, count: rows * columns)
        var ss = [Float](), zs = [Float](), sums = [Int32]()
        for r in 0..<rows {
            for g in 0..<groups {
                let lo = r * columns + g * glen, hi = r * columns + min(columns, (g + 1) * glen)
                var (s, z) = params(x[lo..<hi], bits: bits)
                if let scales { s = scales[r * groups + g]; z = zeros?[r * groups + g] ?? 0 }
                var sum: Int32 = 0
                for i in lo..<hi {
                    q[i] = quantize(x[i], s: s, z: z, bits: bits)
                    sum += Int32(q[i])
                }
                ss.append(s); zs.append(z); sums.append(sum)
            }
        }
        return (q, ss, zs, sums)
    }

    /// D[m][g][n] = Σ_{k ∈ g} q_a[m][k] · (q_w[n][k] − offset).
    static func accumulators(qa: [UInt8], qw: [UInt8], m: Int, n: Int, k: Int, bits: Int,
                             granularity: WeightGranularity) -> [Int32] {
        let glen = groupLength(granularity, columns: k), groups = (k + glen - 1) / glen
        let offset = Int32(IntegerGEMM.weightOffset(bits: bits))
        var out = [Int32](repeating: 0, count: m * groups * n)
        for i in 0..<m {
            for g in 0..<groups {
                for j in 0..<n {
                    var sum: Int32 = 0
                    for c in (g * glen)..<min(k, (g + 1) * glen) {
                        sum += Int32(qa[i * k + c]) * (Int32(qw[j * k + c]) - offset)
                    }
                    out[(i * groups + g) * n + j] = sum
                }
            }
        }
        return out
    }

    /// Double-precision Σ x̂ ŵ + bias, and the magnitude Σ |x̂||ŵ| + |bias| used to scale tolerances.
    static func dequantizedGEMM(xhat: [Float], what: [Float], bias: [Float]?, m: Int, n: Int, k: Int)
        -> (y: [Double], magnitude: [Double]) {
        var y = [Double](repeating: 0, count: m * n), mag = y
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0, a = 0.0
                for c in 0..<k {
                    let p = Double(xhat[i * k + c]) * Double(what[j * k + c])
                    s += p; a += abs(p)
                }
                let b = Double(bias?[j] ?? 0)
                y[i * n + j] = s + b
                mag[i * n + j] = a + abs(b)
            }
        }
        return (y, mag)
    }
}
