import COpenBLAS

/// A dense row-major Float64 matrix for the routines that need double precision (the Fréchet
/// distance's covariance square roots). Same conventions as `Matrix`.
public struct DoubleMatrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Row-major storage, `values[i * cols + j]` is element (i, j).
    public var values: [Double]

    /// Wraps an existing row-major buffer; throws when `values.count != rows * cols`.
    public init(rows: Int, cols: Int, values: [Double]) throws(LinearAlgebraError) {
        let (count, overflow) = rows.multipliedReportingOverflow(by: cols)
        guard rows >= 0, cols >= 0, !overflow, values.count == count else {
            throw .dimensionMismatch(
                "DoubleMatrix(rows: \(rows), cols: \(cols)) does not match a buffer of \(values.count) values")
        }
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    init(uncheckedRows rows: Int, cols: Int, values: [Double]) {
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    /// Widens a Float matrix.
    public init(_ m: Matrix) {
        self.init(uncheckedRows: m.rows, cols: m.cols, values: m.values.map(Double.init))
    }

    /// A rows × cols matrix of zeros.
    public static func zeros(rows: Int, cols: Int) -> DoubleMatrix {
        DoubleMatrix(uncheckedRows: rows, cols: cols, values: [Double](repeating: 0, count: rows * cols))
    }

    /// The n × n identity.
    public static func identity(_ n: Int) -> DoubleMatrix {
        var m = zeros(rows: n, cols: n)
        for i in 0..<n { m.values[i &* n &+ i] = 1 }
        return m
    }

    /// Element (i, j).
    public subscript(row: Int, col: Int) -> Double {
        get { values[row &* cols &+ col] }
        set { values[row &* cols &+ col] = newValue }
    }

    /// The transpose (cols × rows).
    public var transposed: DoubleMatrix {
        var out = [Double](repeating: 0, count: values.count)
        let r = rows, c = cols
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<r {
                    for j in 0..<c { dst[j &* r &+ i] = src[i &* c &+ j] }
                }
            }
        }
        return DoubleMatrix(uncheckedRows: c, cols: r, values: out)
    }

    /// Sum of the diagonal (of the leading square part).
    public var trace: Double {
        var t = 0.0
        for i in 0..<Swift.min(rows, cols) { t += self[i, i] }
        return t
    }

    /// True when every element is finite.
    public var isFinite: Bool { values.allSatisfy { $0.isFinite } }

    /// Matrix product `self · other` through `cblas_dgemm`.
    public func multiplied(by other: DoubleMatrix) throws(LinearAlgebraError) -> DoubleMatrix {
        guard cols == other.rows else {
            throw .dimensionMismatch("matrix product \(rows)×\(cols) · \(other.rows)×\(other.cols)")
        }
        var out = [Double](repeating: 0, count: rows * other.cols)
        if rows > 0, other.cols > 0, cols > 0 {
            let (m, n, k) = (try blasInt(rows), try blasInt(other.cols), try blasInt(cols))
            values.withUnsafeBufferPointer { a in
                other.values.withUnsafeBufferPointer { b in
                    out.withUnsafeMutableBufferPointer { c in
                        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k,
                                    1, a.baseAddress, k, b.baseAddress, n, 0, c.baseAddress, n)
                    }
                }
            }
        }
        return DoubleMatrix(uncheckedRows: rows, cols: other.cols, values: out)
    }

    /// Largest |aᵢⱼ − aⱼᵢ| divided by the largest |aᵢⱼ| (0 for a zero matrix).
    var relativeAsymmetry: Double {
        let n = rows
        var maxAbs = 0.0, maxDiff = 0.0
        for i in 0..<n {
            for j in 0..<n {
                maxAbs = Swift.max(maxAbs, abs(self[i, j]))
                maxDiff = Swift.max(maxDiff, abs(self[i, j] - self[j, i]))
            }
        }
        return maxAbs > 0 ? maxDiff / maxAbs : 0
    }
}
