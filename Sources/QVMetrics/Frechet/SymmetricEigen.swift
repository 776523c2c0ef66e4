/// Eigendecomposition and square root of small dense symmetric matrices, in Double.
///
/// QVMetrics carries its own routines (cyclic Jacobi rotations) instead of the project's LAPACK bridge,
/// which was being written in parallel: the Fréchet distance only needs matrices of a few dozen rows,
/// where Jacobi is accurate to rounding (it is backward stable and yields orthonormal eigenvectors) and
/// fast enough. Matrices are row-major `[i * n + j]`.
enum SymmetricEigen {
    /// Eigenvalues (unsorted) and eigenvectors (column k of the row-major `vectors` pairs with value k).
    static func decompose(_ matrix: [Double], dimension n: Int) -> (values: [Double], vectors: [Double]) {
        precondition(matrix.count == n * n, "SymmetricEigen: \(matrix.count) entries for \(n)×\(n)")
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        guard n > 1 else { return (a, v) }
        a.withUnsafeMutableBufferPointer { a in
            v.withUnsafeMutableBufferPointer { v in
                var scale = 0.0
                for i in 0..<(n &* n) { scale += a[i] * a[i] }
                let tolerance = max(scale, Double.leastNormalMagnitude) * 1e-30
                for _ in 0..<60 {
                    var off = 0.0
                    for p in 0..<n { for q in (p &+ 1)..<n { off += a[p &* n &+ q] * a[p &* n &+ q] } }
                    if off <= tolerance { break }
                    for p in 0..<(n &- 1) {
                        for q in (p &+ 1)..<n {
                            let apq = a[p &* n &+ q]
                            if apq == 0 { continue }
                            let theta = (a[q &* n &+ q] - a[p &* n &+ p]) / (2 * apq)
                            let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                            let c = 1 / (t * t + 1).squareRoot(), s = t * c
                            // A ← Aᵀ-side then row-side rotation; V ← V·P.
                            for k in 0..<n {
                                let akp = a[k &* n &+ p], akq = a[k &* n &+ q]
                                a[k &* n &+ p] = c * akp - s * akq
                                a[k &* n &+ q] = s * akp + c * akq
                            }
                            for k in 0..<n {
                                let apk = a[p &* n &+ k], aqk = a[q &* n &+ k]
                                a[p &* n &+ k] = c * apk - s * aqk
                                a[q &* n &+ k] = s * apk + c * aqk
                            }
                            a[p &* n &+ q] = 0
                            a[q &* n &+ p] = 0
                            for k in 0..<n {
                                let vkp = v[k &* n &+ p], vkq = v[k &* n &+ q]
                                v[k &* n &+ p] = c * vkp - s * vkq
                                v[k &* n &+ q] = s * vkp + c * vkq
                            }
                        }
                    }
                }
            }
        }
        return ((0..<n).map { a[$0 * n + $0] }, v)
    }

    /// The symmetric positive semi-definite square root V·diag(√max(0, λ))·Vᵀ (negative eigenvalues,
    /// which only rounding can produce for a covariance, are clamped to zero).
    static func squareRoot(_ matrix: [Double], dimension n: Int) -> [Double] {
        let (values, vectors) = decompose(matrix, dimension: n)
        let roots = values.map { max(0, $0).squareRoot() }
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                var acc = 0.0
                for k in 0..<n { acc += vectors[i * n + k] * roots[k] * vectors[j * n + k] }
                out[i * n + j] = acc
                out[j * n + i] = acc
            }
        }
        return out
    }

    /// Row-major product of two n×n matrices.
    static func multiply(_ a: [Double], _ b: [Double], dimension n: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for k in 0..<n {
                let aik = a[i * n + k]
                if aik == 0 { continue }
                for j in 0..<n { out[i * n + j] += aik * b[k * n + j] }
            }
        }
        return out
    }
}
