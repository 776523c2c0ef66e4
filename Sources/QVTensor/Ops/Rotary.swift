import Foundation

/// Fixed rotation angles for rotary position embeddings: one angle per (token, pair) of a head's
/// channels, pairing channel j with channel j + dh/2 ("half-split" layout).
public struct RotaryAngles: Sendable, Equatable {
    /// Tokens the table covers and rotation pairs per token (head dim / 2).
    public let tokens: Int, pairs: Int
    /// cos and sin of the angle of pair p at token i, at index i·pairs + p.
    public let cos: [Float], sin: [Float]

    /// `angles[i][p]` is the angle of pair p at token i; every row must have `pairs` entries.
    public init(angles: [[Float]], pairs: Int) {
        precondition(angles.allSatisfy { $0.count == pairs }, "RotaryAngles: every token needs \(pairs) angles")
        tokens = angles.count
        self.pairs = pairs
        let flat = angles.flatMap { $0 }
        cos = flat.map { Float(Foundation.cos(Double($0))) }
        sin = flat.map { Float(Foundation.sin(Double($0))) }
    }
}

extension Tensor {
    /// Rotates channel pairs (j, j + dh/2) of the last axis by the token's angles:
    /// y_j = x_j cos − x_{j+h} sin, y_{j+h} = x_{j+h} cos + x_j sin. The second-to-last axis is the
    /// token axis and must have `angles.tokens` entries. Used on attention queries and keys so that
    /// their dot product depends on relative positions (RoFormer; CogVideoX's 3-D RoPE).
    public func rotary(_ angles: RotaryAngles) -> Tensor {
        let dh = shape.last ?? 0, n = shape.count >= 2 ? shape[shape.count - 2] : 0, half = angles.pairs
        precondition(dh == 2 * half && n == angles.tokens,
                     "rotary: shape \(shape) does not fit \(angles.tokens) tokens × \(2 * half) channels")
        let input = self
        let out = Tensor.rotate(data, angles, inverse: false)
        return Tensor(shape: shape, data: out).recording([input]) { node in
            // The transpose of a rotation is the rotation by the negative angle.
            let back = Tensor.rotate(node.grad!, angles, inverse: true)
            input.accumulateGrad { dx in
                for i in 0..<dx.count { dx[i] += back[i] }
            }
        }
    }

    static func rotate(_ x: [Float], _ angles: RotaryAngles, inverse: Bool) -> [Float] {
        let half = angles.pairs, dh = 2 * half, n = angles.tokens
        var y = uninitializedFloats(x.count)
        let sign: Float = inverse ? -1 : 1
        x.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { y in
            angles.cos.withUnsafeBufferPointer { c in angles.sin.withUnsafeBufferPointer { s in
                var row = 0
                while row < x.count {
                    let token = (row / dh) % n, t = token * half
                    for p in 0..<half {
                        let a = x[row + p], b = x[row + half + p], cs = c[t + p], sn = sign * s[t + p]
                        y[row + p] = a * cs - b * sn
                        y[row + half + p] = b * cs + a * sn
                    }
                    row += dh
                }
            } }
        } }
        return y
    }
}
