import CLAPACKE

/// Eigendecomposition A = V · diag(λ) · Vᵀ of a symmetric Double matrix.
public struct DoubleSymmetricEigen: Sendable, Equatable {
    /// Eigenvalues in **ascending** order (LAPACK's order).
    public var values: [Double]
    /// Orthonormal eigenvectors as **columns**: column i belongs to `values[i]` (n × n).
    public var vectors: DoubleMatrix

    /// V · diag(f(λ)) · Vᵀ: a spectral function of the decomposed matrix.
    public func spectralMap(_ f: (Double) -> Double) throws(LinearAlgebraError) -> DoubleMatrix {
        let n = values.count
        var scaled = vectors
        let mapped = values.map(f)
        scaled.values.withUnsafeMutableBufferPointer { v in
            for i in 0..<n {
                for j in 0..<n { v[i &* n &+ j] *= mapped[j] }
            }
        }
        return try scaled.multiplied(by: vectors.transposed)
    }
}

extension DoubleMatrix {
    /// Eigendecomposition of a symmetric matrix through LAPACK `dsyevd`; eigenvalues ascending.
    /// The input is symmetrised as (A + Aᵀ)/2 after checking that its relative asymmetry is at most
    /// `symmetryTolerance`. Throws on non-square, non-symmetric or non-finite input, and on LAPACK failure.
    public func symmetricEigen(symmetryTolerance: Double = 1e-5)
        throws(LinearAlgebraError) -> DoubleSymmetricEigen
    {
        guard rows == cols else {
            throw .dimensionMismatch("dsyevd needs a square matrix, got \(rows)×\(cols)")
        }
        guard isFinite else { throw .nonFiniteInput(routine: "dsyevd", rows: rows, cols: cols) }
        let n = rows
        if n == 0 { return DoubleSymmetricEigen(values: [], vectors: .zeros(rows: 0, cols: 0)) }
        let asymmetry = relativeAsymmetry
        guard asymmetry <= symmetryTolerance else {
            throw .notSymmetric(routine: "dsyevd", maxAsymmetry: asymmetry, tolerance: symmetryTolerance)
        }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { a[i &* n &+ j] = 0.5 * (self[i, j] + self[j, i]) }
        }
        let ln = try blasInt(n)
        var w = [Double](repeating: 0, count: n)
        // Symmetric input reads the same in either layout; eigenvectors come back as column-major
        // columns, i.e. row-major rows, hence the transpose.
        let info = a.withUnsafeMutableBufferPointer { ap in
            w.withUnsafeMutableBufferPointer { wp in
                LAPACKE_dsyevd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")), ln,
                               ap.baseAddress, ln, wp.baseAddress)
            }
        }
        if info != 0 { throw .lapackFailure(routine: "dsyevd", info: info) }
        return DoubleSymmetricEigen(values: w,
                                    vectors: DoubleMatrix(uncheckedRows: n, cols: n, values: a).transposed)
    }

    /// Principal square root of a symmetric positive semidefinite matrix: V · diag(√λ) · Vᵀ.
    /// Eigenvalues in [−`psdTolerance` · max|λ|, 0) are clamped to 0; more negative ones throw.
    /// The defaults accept matrices formed in Float and widened (asymmetry and negative eigenvalues
    /// of order 1e-7 relative) while still rejecting genuinely non-symmetric or indefinite input.
    public func sqrtm(symmetryTolerance: Double = 1e-5, psdTolerance: Double = 1e-6)
        throws(LinearAlgebraError) -> DoubleMatrix
    {
        let eigen = try symmetricEigen(symmetryTolerance: symmetryTolerance)
        let largest = eigen.values.map { abs($0) }.max() ?? 0
        if let smallest = eigen.values.first, smallest < -psdTolerance * largest {
            throw .notPositiveSemidefinite(routine: "sqrtm", smallestEigenvalue: smallest, tolerance: psdTolerance)
        }
        return try eigen.spectralMap { Swift.max($0, 0).squareRoot() }
    }
}

/// tr √(A·B) for symmetric positive semidefinite A and B (the cross term of the Fréchet distance
/// ‖μ₁ − μ₂‖² + tr(A + B − 2√(AB))). Computed as Σ √λᵢ of the symmetric PSD matrix √A · B · √A,
/// which has the same eigenvalues as A·B, so no non-symmetric square root is needed.
public func traceOfSqrtProduct(_ a: DoubleMatrix, _ b: DoubleMatrix,
                               psdTolerance: Double = 1e-6) throws(LinearAlgebraError) -> Double {
    guard a.rows == a.cols, b.rows == b.cols, a.rows == b.rows else {
        throw .dimensionMismatch("traceOfSqrtProduct needs equal square matrices, got \(a.rows)×\(a.cols) "
            + "and \(b.rows)×\(b.cols)")
    }
    let rootA = try a.sqrtm(psdTolerance: psdTolerance)
    let inner = try rootA.multiplied(by: b).multiplied(by: rootA)
    let eigen = try inner.symmetricEigen()
    let largest = eigen.values.map { abs($0) }.max() ?? 0
    if let smallest = eigen.values.first, smallest < -psdTolerance * largest {
        throw .notPositiveSemidefinite(routine: "traceOfSqrtProduct", smallestEigenvalue: smallest,
                                       tolerance: psdTolerance)
    }
    return eigen.values.reduce(0) { $0 + Swift.max($1, 0).squareRoot() }
}
