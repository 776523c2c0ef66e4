import CQVVectorMath
import Foundation
import Testing
@testable import QVTensor

/// The C vector kernels behind the elementwise ops: exact against the Swift scalar formulas they
/// replace, reductions against Double references, and every op they serve checked at lengths past
/// (and ragged against) the 16-lane blocks.
@Suite struct VectorMathTests {
    static let lengths = [0, 1, 7, 15, 16, 17, 31, 33, 100, 1027]

    @Test func pathIsOneOfTheClones() {
        let path = String(cString: qv_vector_math_path())
        #expect(["avx512f", "x86-64-v3", "default"].contains(path))
    }

    @Test(arguments: lengths)
    func activationsAreBitIdenticalToTheScalarFormulas(n: Int) {
        let x = rand([n], -9, 9, seed: UInt64(n)).data
        var y = [Float](repeating: .nan, count: n + 1), slope = y
        let c: Float = 0.797_884_56
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in qv_exp(xp.baseAddress!, yp.baseAddress!, n) }
            #expect(Array(y.prefix(n)) == x.map(fastExp))
            #expect(y[n].isNaN, "wrote past the end")
            y.withUnsafeMutableBufferPointer { yp in slope.withUnsafeMutableBufferPointer { sp in
                qv_gelu(xp.baseAddress!, yp.baseAddress!, sp.baseAddress!, n)
            } }
            #expect(Array(y.prefix(n)) == x.map { v in 0.5 * v * (1 + fastTanh(c * (v + 0.044715 * v * v * v))) })
            #expect(Array(slope.prefix(n)) == x.map { v in
                let t = fastTanh(c * (v + 0.044715 * v * v * v))
                return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * c * (1 + 3 * 0.044715 * v * v)
            })
            y.withUnsafeMutableBufferPointer { yp in qv_silu(xp.baseAddress!, yp.baseAddress!, nil, n) }
            #expect(Array(y.prefix(n)) == x.map { $0 * fastSigmoid($0) })
            #expect(y[n].isNaN && slope[n].isNaN, "wrote past the end")
        }
    }

    @Test(arguments: lengths)
    func dotMatchesDoubleReference(n: Int) {
        let a = rand([n], seed: 1).data, b = rand([n], seed: 2).data
        let exact = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let broadcast = a.reduce(0.0) { $0 + Double($1) * Double(b.first ?? 0) }
        #expect(Swift.abs(Double(qv_dot(a, b, 1, n)) - exact) < 1e-5 * Double(max(n, 1)))
        if n > 0 { #expect(Swift.abs(Double(qv_dot(a, b, 0, n)) - broadcast) < 1e-5 * Double(n)) }
    }

    @Test(arguments: [(3, 1), (2, 17), (4, 33), (1, 100)])
    func softmaxAndLayerNormMatchDoubleReference(rows: Int, cols: Int) {
        let x = rand([rows, cols], -4, 4, seed: 3)
        let soft = x.softmax(), norm = x.layerNorm(eps: 1e-6)
        for r in 0..<rows {
            let row = x.data[(r * cols)..<((r + 1) * cols)].map(Double.init)
            let m = row.max()!, e = row.map { Foundation.exp($0 - m) }, total = e.reduce(0, +)
            let mean = row.reduce(0, +) / Double(cols)
            let sd = (row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(cols) + 1e-6).squareRoot()
            for j in 0..<cols {
                #expect(Swift.abs(Double(soft.data[r * cols + j]) - e[j] / total) < 1e-6)
                #expect(Swift.abs(Double(norm.data[r * cols + j]) - (row[j] - mean) / sd) < 1e-4)
            }
        }
    }

    @Test func fullyMaskedSoftmaxRowIsZero() {
        let x = Tensor(shape: [2, 18], data: [Float](repeating: -.infinity, count: 18) + (0..<18).map(Float.init))
        let y = x.softmax()
        #expect(y.data.prefix(18).allSatisfy { $0 == 0 })
        #expect(Swift.abs(y.data.suffix(18).reduce(0, +) - 1) < 1e-6)
    }

    @Test func opsPastTheVectorBlocksPassGradientChecks() {
        let x = rand([2, 3, 37], seed: 41)
        gradCheck("layernorm 37", [x]) { $0[0].layerNorm() }
        gradCheck("layernorm affine 37", [x, rand([37], seed: 42), rand([37], seed: 43)]) {
            $0[0].layerNorm(weight: $0[1], bias: $0[2])
        }
        gradCheck("layernorm weight only", [x, rand([37], seed: 44)]) { $0[0].layerNorm(weight: $0[1]) }
        gradCheck("softmax 37", [rand([3, 37], -2, 2, seed: 45)]) { $0[0].softmax() }
        gradCheck("linear bias 20→17", [rand([2, 3, 20], seed: 46), rand([17, 20], seed: 47), rand([17], seed: 48)]) {
            $0[0].linear(weight: $0[1], bias: $0[2])
        }
        gradCheck("gelu 37", [rand([2, 37], -3, 3, seed: 49)]) { $0[0].gelu() }
        gradCheck("silu 37", [x]) { $0[0].silu() }
        gradCheck("exp 37", [x]) { $0[0].exp() }
        let q = rand([1, 2, 19, 20], seed: 51), k = rand([1, 2, 21, 20], seed: 52), v = rand([1, 2, 21, 18], seed: 53)
        gradCheck("attention 19×21", [q, k, v]) { Tensor.attention(query: $0[0], key: $0[1], value: $0[2]) }
    }

    /// The fused x·b + c of adaLN modulation ([B, N, D]·[B, 1, D] + [B, 1, D]) and gated residuals
    /// (+ [B, N, D]), and a shape it does not fuse (b larger than x), against the composed ops.
    @Test(arguments: [([2, 3, 37], [2, 1, 37], [2, 1, 37]), ([2, 3, 37], [2, 1, 37], [2, 3, 37]),
                      ([2, 3, 19], [2, 3, 1], [19]), ([3, 1], [3, 4], [4])])
    func multiplyAddEqualsComposedOps(shapeX: [Int], shapeB: [Int], shapeC: [Int]) {
        let x = rand(shapeX, seed: 81), b = rand(shapeB, seed: 82), c = rand(shapeC, seed: 83)
        #expect(x.multiplyAdd(b, c).data == (x * b + c).data)
        gradCheck("multiplyAdd \(shapeX) \(shapeB) \(shapeC)", [x, b, c], maxElements: 24) { $0[0].multiplyAdd($0[1], $0[2]) }
    }

    @Test func linearWithBiasEqualsMatmulPlusBias() {
        let x = rand([3, 5, 19], seed: 61), w = rand([23, 19], seed: 62), b = rand([23], seed: 63)
        let fused = x.linear(weight: w, bias: b), composed = x.matmul(w, transposeOther: true) + b
        #expect(fused.shape == composed.shape)
        for (p, q) in zip(fused.data, composed.data) { #expect(Swift.abs(p - q) < 1e-5) }
    }

    /// Broadcast pairs that produce each row layout: one merged row, rows with a broadcast partner
    /// row, a stride-0 inner axis (per-row scalars), a leading scalar and zero-size axes.
    @Test(arguments: [
        ([4, 5, 37], [4, 5, 37]), ([4, 5, 37], [4, 1, 37]), ([4, 5, 37], [37]), ([4, 5, 37], [4, 5, 1]),
        ([1], [3, 18]), ([3, 1, 18], [1, 4, 1]), ([2, 0, 3], [3]), ([1, 1], [1]),
    ])
    func broadcastRowsMatchNaiveIndexing(shapeA: [Int], shapeB: [Int]) {
        let a = rand(shapeA, seed: 71), b = rand(shapeB, 0.5, 1.5, seed: 72)
        let out = broadcastShapes(shapeA, shapeB)!
        let sa = broadcastStrides(shapeA, to: out), sb = broadcastStrides(shapeB, to: out)
        for (kind, op) in [(Tensor.BinaryKind.add, { (x: Float, y: Float) in x + y }), (.mul, { $0 * $1 }),
                           (.div, { $0 / $1 }), (.max, { Swift.max($0, $1) })] {
            let y = a.binaryOp(b, kind)
            var expected: [Float] = []
            Tensor.forEachBroadcast(out, sa, sb) { _, i, j in expected.append(op(a.data[i], b.data[j])) }
            #expect(y.shape == out && y.data == expected, "\(kind) \(shapeA) ∘ \(shapeB)")
        }
        if out.elementCount > 0 && out.elementCount <= 400 {
            gradCheck("mul \(shapeA) \(shapeB)", [a, b], maxElements: 24) { $0[0] * $0[1] }
            gradCheck("sub \(shapeB) \(shapeA)", [b, a], maxElements: 24) { $0[0] - $0[1] }
            gradCheck("div \(shapeA) \(shapeB)", [a, b], maxElements: 24) { $0[0] / $0[1] }
        }
    }

    @Test func rowPlanMergesContiguousAxes() {
        let same = BroadcastRows([4, 5, 37], [185, 37, 1], [185, 37, 1])
        #expect(same.outer.isEmpty && same.inner == 740)
        let gate = BroadcastRows([4, 5, 37], [185, 37, 1], broadcastStrides([4, 1, 37], to: [4, 5, 37]))
        #expect(gate.outer == [4, 5] && gate.inner == 37 && gate.innerStrideB == 1)
        let perRow = BroadcastRows([4, 5, 37], [185, 37, 1], broadcastStrides([4, 5, 1], to: [4, 5, 37]))
        #expect(perRow.outer == [20] && perRow.inner == 37 && perRow.innerStrideB == 0)
    }
}
