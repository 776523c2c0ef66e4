/// Shape arithmetic shared by every op: element counts, strides, axis normalisation, broadcasting.
extension Collection where Element == Int {
    /// Product of the dimensions (1 for a scalar).
    @inlinable public var elementCount: Int { reduce(1, *) }
}

extension Array where Element == Int {

    /// Row-major strides.
    public var rowMajorStrides: [Int] {
        var strides = [Int](repeating: 1, count: count)
        var s = 1
        for i in stride(from: count - 1, through: 0, by: -1) { strides[i] = s; s *= self[i] }
        return strides
    }
}

/// Maps a possibly negative axis into 0..<rank, or stops with a message naming the axis.
@inlinable func normalizeAxis(_ axis: Int, rank: Int) -> Int {
    let a = axis < 0 ? axis + rank : axis
    precondition(a >= 0 && a < Swift.max(rank, 1), "axis \(axis) out of range for rank \(rank)")
    return a
}

/// NumPy broadcasting of two shapes, or nil if they are incompatible.
public func broadcastShapes(_ a: [Int], _ b: [Int]) -> [Int]? {
    let n = Swift.max(a.count, b.count)
    var out = [Int](repeating: 1, count: n)
    for i in 0..<n {
        let da = i < n - a.count ? 1 : a[i - (n - a.count)]
        let db = i < n - b.count ? 1 : b[i - (n - b.count)]
        if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
    }
    return out
}

/// Strides that read `shape` as if broadcast to `target` (0 along broadcast dimensions).
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = shape.rowMajorStrides
    let offset = target.count - shape.count
    return (0..<target.count).map { i in
        i < offset ? 0 : (shape[i - offset] == 1 && target[i] != 1 ? 0 : own[i - offset])
    }
}

/// An array of `n` floats whose contents are unspecified: for op outputs that every code path writes
/// in full (it skips the zero fill, which showed up as ~4% of a train step).
@inline(__always) func uninitializedFloats(_ n: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
}
