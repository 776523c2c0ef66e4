import CLAPACKE

/// A thin singular value decomposition A = U · diag(S) · Vᵀ of an m × n matrix, k = min(m, n)
/// (or fewer columns after truncation).
public struct SVD: Sendable, Equatable {
    /// Left singular vectors as columns, m × k, orthonormal columns.
    public var u: Matrix
    /// Singular values, length k, descending and non-negative.
    public var s: [Float]
    /// Right singular vectors as rows, k × n, orthonormal rows.
    public var vt: Matrix

    /// The number of singular triplets held.
    public var rank: Int { s.count }

    /// The top-`rank` triplets (clamped to 0...k): the best rank-r approximation (Eckart–Young).
    public func truncated(to rank: Int) -> SVD {
        let r = min(max(rank, 0), s.count)
        return SVD(u: u.leadingColumns(r), s: Array(s[0..<r]), vt: vt.leadingRows(r))
    }

    /// U · diag(S) · Vᵀ (m × n).
    public func reconstructed() throws(LinearAlgebraError) -> Matrix {
        let (l, r) = balancedFactors()
        return try l.multiplied(by: r)
    }

    /// The split U·√Σ (m × k) and √Σ·Vᵀ (k × n) whose product is the decomposed matrix: QVGen's
    /// Φ = L·R initialisation (L = U_r √Σ_r, R = √Σ_r V_rᵀ) after `truncated(to: r)`.
    public func balancedFactors() -> (left: Matrix, right: Matrix) {
        let k = s.count
        var left = u
        var right = vt
        let m = u.rows, n = vt.cols
        let roots = s.map { $0.squareRoot() }
        left.values.withUnsafeMutableBufferPointer { l in
            for i in 0..<m {
                for j in 0..<k { l[i &* k &+ j] *= roots[j] }
            }
        }
        right.values.withUnsafeMutableBufferPointer { r in
            for i in 0..<k {
                let c = roots[i]
                for j in 0..<n { r[i &* n &+ j] *= c }
            }
        }
        return (left, right)
    }
}

/// The LAPACK SVD drivers `Matrix.svd()` can use.
enum SVDDriver: String {
    /// Divide and conquer: fast, occasionally fails to converge.
    case sgesdd
    /// QR iteration: slower, the robust fallback.
    case sgesvd
}

extension Matrix {
    /// Thin SVD through LAPACK `sgesdd` (divide and conquer), falling back to `sgesvd` when `sgesdd`
    /// reports non-convergence. Throws on NaN/∞ input and on LAPACK failure.
    public func svd() throws(LinearAlgebraError) -> SVD {
        do {
            return try svd(driver: .sgesdd)
        } catch .lapackFailure(routine: "sgesdd", let info) where info > 0 {
            return try svd(driver: .sgesvd)
        }
    }

    /// Thin SVD with one specific LAPACK driver, no fallback.
    func svd(driver: SVDDriver) throws(LinearAlgebraError) -> SVD {
        let m = rows, n = cols, k = Swift.min(m, n)
        guard isFinite else { throw .nonFiniteInput(routine: driver.rawValue, rows: m, cols: n) }
        if k == 0 {
            return SVD(u: .zeros(rows: m, cols: 0), s: [], vt: .zeros(rows: 0, cols: n))
        }
        // Row-major A (m × n) is column-major Aᵀ (n × m). Decomposing Aᵀ = V Σ Uᵀ in column-major
        // order yields, read back row-major, exactly Vᵀ (k × n) in LAPACK's "U" output and U (m × k)
        // in its "VT" output, so no transposition copies are needed.
        let lm = try blasInt(n), ln = try blasInt(m), lk = try blasInt(k)
        var s = [Float](repeating: 0, count: k)
        var vtOut = [Float](repeating: 0, count: k * n)  // LAPACK's U: n × k, ld = n
        var uOut = [Float](repeating: 0, count: m * k)   // LAPACK's VT: k × m, ld = k
        var superb = [Float](repeating: 0, count: Swift.max(k - 1, 1))  // sgesvd's workspace output
        var work = values  // LAPACK overwrites its input
        let jobS = Int8(UInt8(ascii: "S"))
        let info = work.withUnsafeMutableBufferPointer { a in
            s.withUnsafeMutableBufferPointer { sp in
                vtOut.withUnsafeMutableBufferPointer { up in
                    uOut.withUnsafeMutableBufferPointer { vp in
                        superb.withUnsafeMutableBufferPointer { sb in
                            switch driver {
                            case .sgesdd:
                                return LAPACKE_sgesdd(LAPACK_COL_MAJOR, jobS, lm, ln, a.baseAddress, lm,
                                                      sp.baseAddress, up.baseAddress, lm, vp.baseAddress, lk)
                            case .sgesvd:
                                return LAPACKE_sgesvd(LAPACK_COL_MAJOR, jobS, jobS, lm, ln, a.baseAddress, lm,
                                                      sp.baseAddress, up.baseAddress, lm, vp.baseAddress, lk,
                                                      sb.baseAddress)
                            }
                        }
                    }
                }
            }
        }
        if info != 0 { throw .lapackFailure(routine: driver.rawValue, info: info) }
        return SVD(u: Matrix(uncheckedRows: m, cols: k, values: uOut), s: s,
                   vt: Matrix(uncheckedRows: k, cols: n, values: vtOut))
    }

    /// The top-`rank` singular triplets (rank clamped to 0...min(m, n)).
    public func truncatedSVD(rank: Int) throws(LinearAlgebraError) -> SVD {
        try svd().truncated(to: rank)
    }

    /// Factors L (m × r) and R (r × n) with L·R the best rank-r approximation of `self`, split as
    /// L = U_r √Σ_r, R = √Σ_r V_rᵀ (QVGen's Φ initialisation, SVDQuant's low-rank branch).
    public func lowRankFactors(rank: Int) throws(LinearAlgebraError) -> (left: Matrix, right: Matrix) {
        try truncatedSVD(rank: rank).balancedFactors()
    }
}
