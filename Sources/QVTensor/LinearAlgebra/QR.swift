import CLAPACKE

extension Matrix {
    /// Thin QR decomposition A = Q·R through LAPACK `sgeqrf` + `sorgqr`: for an m × n matrix and
    /// k = min(m, n), Q is m × k with orthonormal columns and R is k × n upper triangular (trapezoidal
    /// when m < n). Throws on non-finite input and LAPACK failure.
    public func thinQR() throws(LinearAlgebraError) -> (q: Matrix, r: Matrix) {
        let m = rows, n = cols, k = Swift.min(m, n)
        guard isFinite else { throw .nonFiniteInput(routine: "sgeqrf", rows: m, cols: n) }
        if k == 0 { return (.zeros(rows: m, cols: 0), .zeros(rows: 0, cols: n)) }
        let lm = try blasInt(m), ln = try blasInt(n), lk = try blasInt(k)
        var a = values
        var tau = [Float](repeating: 0, count: k)
        let info = a.withUnsafeMutableBufferPointer { ap in
            tau.withUnsafeMutableBufferPointer { tp in
                LAPACKE_sgeqrf(LAPACK_ROW_MAJOR, lm, ln, ap.baseAddress, ln, tp.baseAddress)
            }
        }
        if info != 0 { throw .lapackFailure(routine: "sgeqrf", info: info) }
        // R: the upper triangle of the first k rows.
        var r = [Float](repeating: 0, count: k * n)
        for i in 0..<k {
            for j in i..<n { r[i &* n &+ j] = a[i &* n &+ j] }
        }
        // Q: sorgqr expands the reflectors held below the diagonal of the first k columns.
        var qBuffer = [Float](repeating: 0, count: m * k)
        for i in 0..<m {
            for j in 0..<k { qBuffer[i &* k &+ j] = a[i &* n &+ j] }
        }
        let info2 = qBuffer.withUnsafeMutableBufferPointer { qp in
            tau.withUnsafeBufferPointer { tp in
                LAPACKE_sorgqr(LAPACK_ROW_MAJOR, lm, lk, lk, qp.baseAddress, lk, tp.baseAddress)
            }
        }
        if info2 != 0 { throw .lapackFailure(routine: "sorgqr", info: info2) }
        return (Matrix(uncheckedRows: m, cols: k, values: qBuffer), Matrix(uncheckedRows: k, cols: n, values: r))
    }
}

extension SVD {
    /// The thin SVD of the product `left · right` (m × r times r × n) without forming the m × n
    /// product: QR-factor `left` and `rightᵀ`, decompose the small core R₁R₂ᵀ, and rotate its singular
    /// vectors back. This is QVGen's rank-decay step (re-orthogonalise and sort Φ = L·R), costing
    /// O((m + n)·r²) instead of an SVD of the full weight-sized matrix. Holds min(m, n, r) triplets.
    public static func ofProduct(_ left: Matrix, _ right: Matrix) throws(LinearAlgebraError) -> SVD {
        guard left.cols == right.rows else {
            throw .dimensionMismatch("SVD.ofProduct \(left.rows)×\(left.cols) · \(right.rows)×\(right.cols)")
        }
        let (q1, r1) = try left.thinQR()             // m × k1, k1 × r
        let (q2, r2) = try right.transposed.thinQR()  // n × k2, k2 × r
        let core = try r1.multiplied(by: r2.transposed).svd()  // k1 × k2
        let u = try q1.multiplied(by: core.u)                   // m × kc
        let vt = try core.vt.multiplied(by: q2.transposed)      // kc × n
        return SVD(u: u, s: core.s, vt: vt)
    }
}
