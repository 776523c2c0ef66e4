import CLAPACKE

/// Eigendecomposition A = V · diag(λ) · Vᵀ of a symmetric Float matrix.
public struct SymmetricEigen: Sendable, Equatable {
    /// Eigenvalues in **ascending** order (LAPACK's order).
    public var values: [Float]
    /// Orthonormal eigenvectors as **columns**: column i belongs to `values[i]` (n × n).
    public var vectors: Matrix

    /// V · diag(f(λ)) · Vᵀ: a spectral function of the decomposed matrix.
    public func spectralMap(_ f: (Float) -> Float) throws(LinearAlgebraError) -> Matrix {
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

extension Matrix {
    /// Largest |aᵢⱼ − aⱼᵢ| divided by the largest |aᵢⱼ| (0 for a zero matrix).
    var relativeAsymmetry: Double {
        let n = rows
        var maxAbs: Float = 0, maxDiff: Float = 0
        for i in 0..<n {
            for j in 0..<n {
                maxAbs = Swift.max(maxAbs, abs(self[i, j]))
                maxDiff = Swift.max(maxDiff, abs(self[i, j] - self[j, i]))
            }
        }
        return maxAbs > 0 ? Double(maxDiff / maxAbs) : 0
    }

    /// Eigendecomposition of a symmetric matrix through LAPACK `ssyevd`; eigenvalues ascending.
    /// The input is symmetrised as (A + Aᵀ)/2 after checking that its relative asymmetry is at most
    /// `symmetryTolerance`. Throws on non-square, non-symmetric or non-finite input, and on LAPACK failure.
    public func symmetricEigen(symmetryTolerance: Double = 1e-3) throws(LinearAlgebraError) -> SymmetricEigen {
        guard rows == cols else {
            throw .dimensionMismatch("ssyevd needs a square matrix, got \(rows)×\(cols)")
        }
        guard isFinite else { throw .nonFiniteInput(routine: "ssyevd", rows: rows, cols: cols) }
        let n = rows
        if n == 0 { return SymmetricEigen(values: [], vectors: .zeros(rows: 0, cols: 0)) }
        let asymmetry = relativeAsymmetry
        guard asymmetry <= symmetryTolerance else {
            throw .notSymmetric(routine: "ssyevd", maxAsymmetry: asymmetry, tolerance: symmetryTolerance)
        }
        var a = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { a[i &* n &+ j] = 0.5 * (self[i, j] + self[j, i]) }
        }
        let ln = try blasInt(n)
        var w = [Float](repeating: 0, count: n)
        // Symmetric, so the row-major buffer is also the column-major matrix; on exit it holds the
        // eigenvectors as column-major columns, i.e. as row-major rows (transposed below).
        let info = a.withUnsafeMutableBufferPointer { ap in
            w.withUnsafeMutableBufferPointer { wp in
                LAPACKE_ssyevd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")), ln,
                               ap.baseAddress, ln, wp.baseAddress)
            }
        }
        if info != 0 { throw .lapackFailure(routine: "ssyevd", info: info) }
        return SymmetricEigen(values: w, vectors: Matrix(uncheckedRows: n, cols: n, values: a).transposed)
    }

    /// Principal square root of a symmetric positive semidefinite matrix: V · diag(√λ) · Vᵀ.
    /// Eigenvalues in [−`psdTolerance` · max|λ|, 0) are rounding noise and clamped to 0; anything
    /// more negative throws `notPositiveSemidefinite`.
    public func sqrtm(symmetryTolerance: Double = 1e-3, psdTolerance: Double = 1e-3)
        throws(LinearAlgebraError) -> Matrix
    {
        let eigen = try symmetricEigen(symmetryTolerance: symmetryTolerance)
        let largest = eigen.values.map { abs(Double($0)) }.max() ?? 0
        if let smallest = eigen.values.first, Double(smallest) < -psdTolerance * largest {
            throw .notPositiveSemidefinite(routine: "sqrtm", smallestEigenvalue: Double(smallest),
                                           tolerance: psdTolerance)
        }
        return try eigen.spectralMap { Swift.max($0, 0).squareRoot() }
    }
}
