import Foundation

/// An orthonormal block-diagonal Hadamard rotation of dimension n: Sylvester blocks of the largest
/// power of two dividing n (so 192 → three blocks of 64). Used by ViDiT-Q-style rotation:
/// y = x·Wᵀ = (x·H)·(W·H)ᵀ because H·Hᵀ = I.
public struct BlockHadamard: Sendable, Hashable {
    public let dimension: Int
    public let block: Int

    public init(dimension n: Int) {
        dimension = n
        var b = 1
        while n % (b * 2) == 0 && b * 2 <= 256 { b *= 2 }
        block = b
    }

    /// Entry (i, j) of the n×n matrix.
    public func entry(_ i: Int, _ j: Int) -> Float {
        guard i / block == j / block else { return 0 }
        let sign = ((i % block) & (j % block)).nonzeroBitCount % 2 == 0 ? Float(1) : -1
        return sign / Float(block).squareRoot()
    }

    /// Rows × n matrix times H, in place (fast Walsh–Hadamard transform per block).
    public func rotateRows(_ m: inout [Float], rows: Int) {
        let norm = 1 / Float(block).squareRoot()
        m.withUnsafeMutableBufferPointer { a in
            for r in 0..<rows {
                for start in stride(from: r * dimension, to: (r + 1) * dimension, by: block) {
                    var h = 1
                    while h < block {
                        for i in stride(from: start, to: start + block, by: 2 * h) {
                            for j in i..<(i + h) { let x = a[j], y = a[j + h]; a[j] = x + y; a[j + h] = x - y }
                        }
                        h *= 2
                    }
                    for j in start..<(start + block) { a[j] *= norm }
                }
            }
        }
    }
}
