import Testing
@testable import QVTensor

/// Ground truths here are properties (A = UΣVᵀ, orthonormality, Eckart–Young, (√A)² = A) and closed
/// forms, checked with naive Double loops that do not go through BLAS.
@Suite("Linear algebra")
struct LinearAlgebraTests {
    static func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64) -> Matrix {
        var g = SeededGenerator(seed: seed, stream: "linalg-test")
        return try! Matrix(rows: rows, cols: cols, values: (0..<(rows * cols)).map { _ in g.normal() })
    }

    /// Naive Double product (independent of cblas).
    static func naiveProduct(_ a: Matrix, _ b: Matrix) -> [Double] {
        var out = [Double](repeating: 0, count: a.rows * b.cols)
        for i in 0..<a.rows {
            for j in 0..<b.cols {
                var acc = 0.0
                for k in 0..<a.cols { acc += Double(a[i, k]) * Double(b[k, j]) }
                out[i * b.cols + j] = acc
            }
        }
        return out
    }

    static func naiveReconstruction(_ svd: SVD) -> [Double] {
        let m = svd.u.rows, n = svd.vt.cols
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var acc = 0.0
                for t in 0..<svd.s.count { acc += Double(svd.u[i, t]) * Double(svd.s[t]) * Double(svd.vt[t, j]) }
                out[i * n + j] = acc
            }
        }
        return out
    }

    static func relativeError(_ x: [Double], _ reference: Matrix) -> Double {
        var num = 0.0, den = 0.0
        for (a, b) in zip(x, reference.values) { num += (a - Double(b)) * (a - Double(b)); den += Double(b) * Double(b) }
        return (num / max(den, 1e-300)).squareRoot()
    }

    /// max |QᵀQ − I| for the columns of q.
    static func columnOrthonormalityError(_ q: Matrix) -> Double {
        let g = naiveProduct(q.transposed, q)
        var worst = 0.0
        for i in 0..<q.cols { for j in 0..<q.cols { worst = max(worst, abs(g[i * q.cols + j] - (i == j ? 1 : 0))) } }
        return worst
    }

    static let shapes: [(String, Int, Int)] = [("tall", 40, 12), ("wide", 12, 40), ("square", 25, 25), ("vector", 1, 9)]

    @Test("SVD reconstructs, is orthonormal and sorted (both LAPACK drivers)",
          arguments: shapes.indices, [SVDDriver.sgesdd, .sgesvd])
    func svdProperties(index: Int, driver: SVDDriver) throws {
        let (_, m, n) = Self.shapes[index]
        let a = Self.randomMatrix(m, n, seed: UInt64(index) + 1)
        let svd = try a.svd(driver: driver)
        let k = min(m, n)
        #expect(svd.u.rows == m && svd.u.cols == k && svd.vt.rows == k && svd.vt.cols == n && svd.s.count == k)
        #expect(Self.relativeError(Self.naiveReconstruction(svd), a) < 1e-5)
        #expect(Self.columnOrthonormalityError(svd.u) < 1e-5)
        #expect(Self.columnOrthonormalityError(svd.vt.transposed) < 1e-5)
        #expect(svd.s.allSatisfy { $0 >= 0 })
        #expect(zip(svd.s, svd.s.dropFirst()).allSatisfy { $0 >= $1 })
        let viaGemm = try svd.reconstructed()
        #expect(Self.relativeError(viaGemm.values.map(Double.init), a) < 1e-5)
        let reference = try a.svd()  // the default path, for agreement between drivers
        for (x, y) in zip(svd.s, reference.s) { #expect(abs(x - y) <= 1e-5 * reference.s[0]) }
    }

    @Test("SVD of a rank-deficient matrix: trailing σ vanish, U and V stay orthonormal")
    func rankDeficient() throws {
        let a = try Self.randomMatrix(30, 5, seed: 7).multiplied(by: Self.randomMatrix(5, 20, seed: 8))
        let svd = try a.svd()
        #expect(svd.s.count == 20)
        #expect(svd.s[4] > 1)
        #expect(svd.s[5...].allSatisfy { $0 < 1e-4 * svd.s[0] })
        #expect(Self.relativeError(Self.naiveReconstruction(svd), a) < 1e-5)
        #expect(Self.columnOrthonormalityError(svd.u) < 1e-4)
        #expect(Self.columnOrthonormalityError(svd.vt.transposed) < 1e-4)
    }

    @Test("Closed form: [[3,0],[4,5]] has σ = √45, √5")
    func closedForm() throws {
        let svd = try Matrix(rows: 2, cols: 2, values: [3, 0, 4, 5]).svd()
        #expect(abs(svd.s[0] - Float(45).squareRoot()) < 1e-5)
        #expect(abs(svd.s[1] - Float(5).squareRoot()) < 1e-5)
    }

    @Test("Eckart–Young: truncation error² equals the sum of the dropped σ²")
    func eckartYoung() throws {
        let a = Self.randomMatrix(24, 16, seed: 11)
        let full = try a.svd()
        for r in [0, 1, 4, 15, 16] {
            let approx = try a.truncatedSVD(rank: r)
            #expect(approx.rank == r)
            let recon = Self.naiveReconstruction(approx)
            var err2 = 0.0
            for (x, y) in zip(recon, a.values) { err2 += (x - Double(y)) * (x - Double(y)) }
            let dropped = full.s[r...].reduce(0.0) { $0 + Double($1) * Double($1) }
            let total = full.s.reduce(0.0) { $0 + Double($1) * Double($1) }
            #expect(abs(err2 - dropped) <= 1e-5 * total, "rank \(r): error² \(err2) vs dropped σ² \(dropped)")
        }
        #expect(try a.truncatedSVD(rank: 99).rank == 16)
    }

    @Test("Balanced factors: L·R is the rank-r approximation and LᵀL = RRᵀ = diag(σ)")
    func lowRankFactors() throws {
        let a = Self.randomMatrix(20, 30, seed: 3)
        let r = 6
        let (l, rr) = try a.lowRankFactors(rank: r)
        #expect(l.rows == 20 && l.cols == r && rr.rows == r && rr.cols == 30)
        let truncated = try a.truncatedSVD(rank: r)
        let product = Self.naiveProduct(l, rr)
        #expect(Self.relativeError(product, try truncated.reconstructed()) < 1e-5)
        let ltl = Self.naiveProduct(l.transposed, l), rrt = Self.naiveProduct(rr, rr.transposed)
        for i in 0..<r {
            for j in 0..<r {
                let expected = i == j ? Double(truncated.s[i]) : 0
                #expect(abs(ltl[i * r + j] - expected) < 1e-4 * Double(truncated.s[0]))
                #expect(abs(rrt[i * r + j] - expected) < 1e-4 * Double(truncated.s[0]))
            }
        }
    }

    @Test("Empty matrices decompose to empty factors")
    func empty() throws {
        let svd = try Matrix.zeros(rows: 0, cols: 5).svd()
        #expect(svd.s.isEmpty && svd.u.rows == 0 && svd.vt.cols == 5)
    }

    @Test("NaN or infinity in the input throws, naming the routine")
    func nonFinite() throws {
        var a = Self.randomMatrix(4, 4, seed: 5)
        a[2, 1] = .nan
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "sgesdd", rows: 4, cols: 4)) { try a.svd() }
        a[2, 1] = .infinity
        a[1, 2] = .infinity
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "ssyevd", rows: 4, cols: 4)) {
            try a.symmetricEigen()
        }
        let d = try DoubleMatrix(rows: 1, cols: 1, values: [.nan])
        #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dsyevd", rows: 1, cols: 1)) {
            try d.symmetricEigen()
        }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, cols: 2, values: [1, 2, 3]) }
    }

    static func randomSPD(_ n: Int, rank: Int, seed: UInt64) throws -> Matrix {
        let b = randomMatrix(n, rank, seed: seed)
        return try b.multiplied(by: b.transposed)
    }

    @Test("Symmetric eigendecomposition: ascending, orthonormal, reconstructs; closed form")
    func eigen() throws {
        let a = try Self.randomSPD(12, rank: 12, seed: 21).subtracting(Matrix.identity(12))
        let e = try a.symmetricEigen()
        #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(Self.columnOrthonormalityError(e.vectors) < 1e-5)
        // A v_i = λ_i v_i for every column.
        let av = Self.naiveProduct(a, e.vectors)
        for i in 0..<12 {
            for j in 0..<12 { #expect(abs(av[i * 12 + j] - Double(e.values[j]) * Double(e.vectors[i, j])) < 1e-3) }
        }
        let small = try Matrix(rows: 2, cols: 2, values: [2, 1, 1, 2]).symmetricEigen()
        #expect(abs(small.values[0] - 1) < 1e-6 && abs(small.values[1] - 3) < 1e-6)
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, cols: 2, values: [1, 5, 0, 1]).symmetricEigen() }
    }

    @Test("sqrtm(A)² = A for full-rank and rank-deficient PSD matrices; indefinite input throws")
    func squareRoot() throws {
        for (rank, seed) in [(10, UInt64(31)), (3, UInt64(32))] {
            let a = try Self.randomSPD(10, rank: rank, seed: seed)
            let root = try a.sqrtm()
            #expect(root.relativeAsymmetry < 1e-5)
            #expect(Self.relativeError(Self.naiveProduct(root, root), a) < 1e-4)
        }
        let indefinite = try Matrix(rows: 2, cols: 2, values: [1, 0, 0, -1])
        #expect(throws: LinearAlgebraError.notPositiveSemidefinite(routine: "sqrtm", smallestEigenvalue: -1,
                                                                   tolerance: 1e-3)) { try indefinite.sqrtm() }
        // A tiny negative eigenvalue is rounding noise: clamped, not an error.
        let nearlyPSD = try Matrix(rows: 2, cols: 2, values: [4, 0, 0, -1e-6]).sqrtm()
        #expect(abs(nearlyPSD[0, 0] - 2) < 1e-6 && nearlyPSD[1, 1] == 0)
    }

    @Test("Double precision: dsyevd reconstructs, sqrtm² = A, tr√(AB) matches closed forms")
    func doublePrecision() throws {
        func spd(rank: Int, seed: UInt64) throws -> DoubleMatrix {
            let f = DoubleMatrix(Self.randomMatrix(9, rank, seed: seed))
            return try f.multiplied(by: f.transposed)  // formed in Double: PSD to Double rounding
        }
        let a = try spd(rank: 9, seed: 41), b = try spd(rank: 4, seed: 42)
        let root = try a.sqrtm()
        let sq = try root.multiplied(by: root)
        for (x, y) in zip(sq.values, a.values) { #expect(abs(x - y) < 1e-9 * 100) }
        let e = try a.symmetricEigen()
        #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 <= $1 })
        // Commuting case Q diag(p) Qᵀ, Q diag(q) Qᵀ: tr√(AB) = Σ √(pᵢ qᵢ).
        let q = e.vectors
        let p: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9], w: [Double] = [9, 0, 4, 1, 0.5, 2, 3, 1, 16]
        func conj(_ d: [Double]) throws -> DoubleMatrix {
            var scaled = q
            for i in 0..<9 { for j in 0..<9 { scaled[i, j] *= d[j] } }
            return try scaled.multiplied(by: q.transposed)
        }
        let expected = zip(p, w).reduce(0.0) { $0 + ($1.0 * $1.1).squareRoot() }
        #expect(abs(try traceOfSqrtProduct(try conj(p), try conj(w)) - expected) < 1e-8 * expected)
        // Non-commuting case: tr√(AB) = tr√(BA), computed with the roles swapped.
        let ab = try traceOfSqrtProduct(a, b), ba = try traceOfSqrtProduct(b, a)
        #expect(abs(ab - ba) < 1e-6 * ab)
        // tr√(AA) = tr A.
        #expect(abs(try traceOfSqrtProduct(a, a) - a.trace) < 1e-8 * a.trace)
    }
}

@Suite("QR and SVD of a product")
struct QRTests {
    @Test("Thin QR: Q orthonormal, R upper triangular, QR = A", arguments: [(30, 8), (8, 30), (12, 12)])
    func thinQR(shape: (Int, Int)) throws {
        let a = LinearAlgebraTests.randomMatrix(shape.0, shape.1, seed: 77)
        let (q, r) = try a.thinQR()
        let k = min(shape.0, shape.1)
        #expect(q.rows == shape.0 && q.cols == k && r.rows == k && r.cols == shape.1)
        #expect(LinearAlgebraTests.columnOrthonormalityError(q) < 1e-5)
        for i in 0..<k { for j in 0..<min(i, shape.1) { #expect(r[i, j] == 0) } }
        #expect(LinearAlgebraTests.relativeError(LinearAlgebraTests.naiveProduct(q, r), a) < 1e-5)
    }

    @Test("SVD.ofProduct matches the SVD of the explicit product (QVGen rank decay)",
          arguments: [(48, 8, 40), (20, 12, 36), (10, 16, 6)])
    func ofProduct(dims: (Int, Int, Int)) throws {
        let (m, r, n) = dims
        let l = LinearAlgebraTests.randomMatrix(m, r, seed: 5), rr = LinearAlgebraTests.randomMatrix(r, n, seed: 6)
        let product = try l.multiplied(by: rr)
        let fast = try SVD.ofProduct(l, rr)
        let direct = try product.svd()
        #expect(fast.s.count == min(m, n, r))
        for (x, y) in zip(fast.s, direct.s) { #expect(abs(x - y) <= 1e-4 * direct.s[0]) }
        #expect(LinearAlgebraTests.relativeError(LinearAlgebraTests.naiveReconstruction(fast), product) < 1e-5)
        #expect(LinearAlgebraTests.columnOrthonormalityError(fast.u) < 1e-5)
        #expect(LinearAlgebraTests.columnOrthonormalityError(fast.vt.transposed) < 1e-5)
        #expect(zip(fast.s, fast.s.dropFirst()).allSatisfy { $0 >= $1 })
        // Rank decay: truncating the product's SVD gives the best lower-rank Φ.
        let half = try fast.truncated(to: r / 2).reconstructed()
        let best = try direct.truncated(to: r / 2).reconstructed()
        #expect(LinearAlgebraTests.relativeError(half.values.map(Double.init), best) < 1e-4)
    }
}
