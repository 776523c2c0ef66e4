import Testing
@testable import QVKernels

/// One random GEMM problem and its independent integer reference.
struct ExactCase: CustomStringConvertible {
    let m, n, k, bits: Int
    let granularity: WeightGranularity
    let seed: UInt64
    var description: String { "M\(m) N\(n) K\(k) W\(bits)A\(bits) \(granularity) seed \(seed)" }
}

let exactCases: [ExactCase] = {
    let dims = [1, 3, 17, 63, 65, 130]
    var rng = TestRNG(seed: 7)
    var cases = [ExactCase]()
    for bits in [8, 4] {
        for granularity in [WeightGranularity.perChannel, .group64] {
            for i in 0..<6 {
                cases.append(ExactCase(m: dims[rng.int(0...5)], n: dims[(i + rng.int(0...5)) % 6],
                                       k: dims[i], bits: bits, granularity: granularity, seed: rng.next()))
            }
        }
    }
    cases.append(ExactCase(m: 13, n: 70, k: 96, bits: 4, granularity: .perGroup(size: 32), seed: 11))
    cases.append(ExactCase(m: 7, n: 66, k: 45, bits: 2, granularity: .perChannel, seed: 12))
    cases.append(ExactCase(m: 9, n: 64, k: 200, bits: 6, granularity: .perChannel, seed: 13))
    cases.append(ExactCase(m: 40, n: 129, k: 130, bits: 8, granularity: .group64, seed: 14))
    return cases
}()

/// Number of differing elements (or the size difference), so failures print a count, not arrays.
func mismatches<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
    guard a.count == b.count else { return max(1, abs(a.count - b.count)) }
    return zip(a, b).reduce(0) { $0 + ($1.0 == $1.1 ? 0 : 1) }
}

@Suite struct PathExactnessTests {
    @Test(arguments: exactCases)
    func everyPathMatchesTheIntegerReference(_ c: ExactCase) throws {
        var rng = TestRNG(seed: c.seed)
        let x = rng.matrix(rows: c.m, columns: c.k)
        let w = rng.matrix(rows: c.n, columns: c.k)
        let bias = (0..<c.n).map { _ in rng.float(-1, 1) }
        let weights = try PackedLinearWeights(weights: w, outFeatures: c.n, inFeatures: c.k, bits: c.bits,
                                              granularity: c.granularity)
        let acts = try QuantizedActivations(x, rows: c.m, columns: c.k, bits: c.bits, granularity: c.granularity,
                                            path: .scalar)
        let expected = Reference.accumulators(qa: acts.quantizedValues(), qw: weights.quantizedValues(),
                                              m: c.m, n: c.n, k: c.k, bits: c.bits, granularity: c.granularity)
        let scalarY = try IntegerGEMM.matmul(acts, weights: weights, bias: bias, path: .scalar, threads: 1)
        for path in KernelPath.supported {
            let d = try IntegerGEMM.accumulators(acts, weights: weights, path: path)
            #expect(mismatches(d, expected) == 0, "accumulators of \(path) on \(c)")
            let y = try IntegerGEMM.matmul(acts, weights: weights, bias: bias, path: path, threads: 1)
            #expect(mismatches(y, scalarY) == 0, "float output of \(path) differs from scalar on \(c)")
        }
    }

    /// q_a = P against q_w ∈ {0, P}: the largest positive and negative products (8-bit: 255·(−128)
    /// pairs saturate a naive vpmaddubsw), and all-zero activations.
    @Test(arguments: [8, 4])
    func extremeValuesAreExact(bits: Int) throws {
        let m = 7, n = 67, k = 130
        // Row r: every value at the row maximum except column 0 (minimum) → q = P nearly everywhere;
        // the last row is all zeros → q = 0.
        var x = [Float](repeating: 1, count: m * k)
        for r in 0..<(m - 1) { x[r * k] = -1 }
        for c in 0..<k { x[(m - 1) * k + c] = 0 }
        // Weights: half the channels saturate at q = P, half at q = 0, via tiny explicit scales.
        var w = [Float](repeating: 0, count: n * k)
        for j in 0..<n { for c in 0..<k { w[j * k + c] = j % 2 == 0 ? 5 : -5 } }
        let scales = [Float](repeating: 1e-3, count: n), zeros = (0..<n).map { Float($0 % 5) + 0.25 }
        let weights = try PackedLinearWeights(weights: w, outFeatures: n, inFeatures: k, bits: bits,
                                              scales: scales, zeroPoints: zeros)
        let pmax = (1 << bits) - 1
        #expect(weights.quantizedValue(row: 0, column: 3) == pmax)
        #expect(weights.quantizedValue(row: 1, column: 3) == 0)
        let acts = try QuantizedActivations(x, rows: m, columns: k, bits: bits)
        #expect(acts.quantizedValues()[5] == UInt8(pmax))
        let expected = Reference.accumulators(qa: acts.quantizedValues(), qw: weights.quantizedValues(),
                                              m: m, n: n, k: k, bits: bits, granularity: .perChannel)
        let scalarY = try IntegerGEMM.matmul(acts, weights: weights, path: .scalar)
        for path in KernelPath.supported {
            #expect(mismatches(try IntegerGEMM.accumulators(acts, weights: weights, path: path), expected) == 0, "\(path)")
            #expect(mismatches(try IntegerGEMM.matmul(acts, weights: weights, path: path), scalarY) == 0, "\(path)")
        }
        if bits == 8 { #expect(expected.min()! == -Int32(k - 1) * 255 * 128) }
    }

    @Test func twoThreadsEqualOneThread() throws {
        var rng = TestRNG(seed: 99)
        let m = 61, n = 70, k = 96
        let x = rng.matrix(rows: m, columns: k), w = rng.matrix(rows: n, columns: k)
        for g in [WeightGranularity.perChannel, .group64] {
            let weights = try PackedLinearWeights(weights: w, outFeatures: n, inFeatures: k, bits: 4, granularity: g)
            let one = try IntegerGEMM.matmul(x, weights: weights, threads: 1)
            let two = try IntegerGEMM.matmul(x, weights: weights, threads: 2)
            #expect(one == two)
        }
    }
}
