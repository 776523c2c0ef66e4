import COpenBLAS

/// A dense row-major Float32 matrix: the exchange type of the linear-algebra routines (SVD,
/// eigendecomposition, matrix square root). Deliberately independent of `Tensor`, so callers bridge
/// with `Matrix(rows:cols:values:)` and `.values`.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Row-major storage, `values[i * cols + j]` is element (i, j); `count == rows * cols`.
    public var values: [Float]

    /// Wraps an existing row-major buffer; throws when `values.count != rows * cols`.
    public init(rows: Int, cols: Int, values: [Float]) throws(LinearAlgebraError) {
        let (count, overflow) = rows.multipliedReportingOverflow(by: cols)
        guard rows >= 0, cols >= 0, !overflow, values.count == count else {
            throw .dimensionMismatch(
                "Matrix(rows: \(rows), cols: \(cols)) does not match a buffer of \(values.count) values")
        }
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    /// Internal initialiser for buffers whose size the caller has already established.
    init(uncheckedRows rows: Int, cols: Int, values: [Float]) {
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    /// A rows × cols matrix of zeros.
    public static func zeros(rows: Int, cols: Int) -> Matrix {
        Matrix(uncheckedRows: rows, cols: cols, values: [Float](repeating: 0, count: rows * cols))
    }

    /// The n × n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = zeros(rows: n, cols: n)
        for i in 0..<n { m.values[i &* n &+ i] = 1 }
        return m
    }

    /// Element (i, j).
    public subscript(row: Int, col: Int) -> Float {
        get { values[row &* cols &+ col] }
        set { values[row &* cols &+ col] = newValue }
    }

    /// The transpose (cols × rows).
    public var transposed: Matrix {
        var out = [Float](repeating: 0, count: values.count)
        let r = rows, c = cols
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<r {
                    for j in 0..<c { dst[j &* r &+ i] = src[i &* c &+ j] }
                }
            }
        }
        return Matrix(uncheckedRows: c, cols: r, values: out)
    }

    /// Frobenius norm √Σ aᵢⱼ², accumulated in Double.
    public var frobeniusNorm: Float {
        var acc = 0.0
        for v in values { acc += Double(v) * Double(v) }
        return Float(acc.squareRoot())
    }

    /// True when every element is finite (no NaN, no ±∞).
    public var isFinite: Bool { values.allSatisfy { $0.isFinite } }

    /// Matrix product `self · other` through `cblas_sgemm`.
    public func multiplied(by other: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard cols == other.rows else {
            throw .dimensionMismatch("matrix product \(rows)×\(cols) · \(other.rows)×\(other.cols)")
        }
        var out = [Float](repeating: 0, count: rows * other.cols)
        if rows > 0, other.cols > 0, cols > 0 {
            let (m, n, k) = (try blasInt(rows), try blasInt(other.cols), try blasInt(cols))
            values.withUnsafeBufferPointer { a in
                other.values.withUnsafeBufferPointer { b in
                    out.withUnsafeMutableBufferPointer { c in
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k,
                                    1, a.baseAddress, k, b.baseAddress, n, 0, c.baseAddress, n)
                    }
                }
            }
        }
        return Matrix(uncheckedRows: rows, cols: other.cols, values: out)
    }

    /// Element-wise difference `self − other`.
    public func subtracting(_ other: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard rows == other.rows, cols == other.cols else {
            throw .dimensionMismatch("difference \(rows)×\(cols) − \(other.rows)×\(other.cols)")
        }
        var out = values
        for i in out.indices { out[i] -= other.values[i] }
        return Matrix(uncheckedRows: rows, cols: cols, values: out)
    }

    /// The sub-matrix of the first `count` columns (rows unchanged).
    public func leadingColumns(_ count: Int) -> Matrix {
        let c = Swift.min(Swift.max(count, 0), cols)
        var out = [Float](); out.reserveCapacity(rows * c)
        for i in 0..<rows { out.append(contentsOf: values[(i * cols)..<(i * cols + c)]) }
        return Matrix(uncheckedRows: rows, cols: c, values: out)
    }

    /// The sub-matrix of the first `count` rows (columns unchanged).
    public func leadingRows(_ count: Int) -> Matrix {
        let r = Swift.min(Swift.max(count, 0), rows)
        return Matrix(uncheckedRows: r, cols: cols, values: Array(values[0..<(r * cols)]))
    }
}

/// Converts a dimension to the 32-bit integer BLAS/LAPACK take, refusing sizes that do not fit.
func blasInt(_ n: Int) throws(LinearAlgebraError) -> Int32 {
    guard let v = Int32(exactly: n) else {
        throw .dimensionMismatch("dimension \(n) exceeds the 32-bit range of BLAS/LAPACK")
    }
    return v
}
