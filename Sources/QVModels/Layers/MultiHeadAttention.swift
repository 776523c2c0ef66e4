import QVTensor

/// Multi-head attention with separate q/k/v/o projections (named like the paper's models so each
/// can be quantized on its own). Self-attention when no context is given, cross-attention otherwise.
public final class MultiHeadAttention: Module {
    public let heads: Int
    public let q: Linear, k: Linear, v: Linear, o: Linear

    public init(dim: Int, contextDim: Int? = nil, heads: Int, rng: inout SeededGenerator) {
        precondition(dim % heads == 0, "attention: dim \(dim) not divisible by \(heads) heads")
        self.heads = heads
        q = Linear(dim, dim, rng: &rng)
        k = Linear(contextDim ?? dim, dim, rng: &rng)
        v = Linear(contextDim ?? dim, dim, rng: &rng)
        o = Linear(dim, dim, rng: &rng)
    }

    public var children: [(String, any Module)] { [("q", q), ("k", k), ("v", v), ("o", o)] }

    /// x is [B, N, D]; context (keys/values) is [B, M, Dc] or x itself.
    public func callAsFunction(_ x: Tensor, context: Tensor? = nil, mask: AttentionMask? = nil) -> Tensor {
        let kv = context ?? x
        let b = x.shape[0], n = x.shape[1], m = kv.shape[1], d = q.outFeatures, dh = d / heads
        let qh = q(x).reshaped([b, n, heads, dh]).permuted([0, 2, 1, 3])
        let kh = k(kv).reshaped([b, m, heads, dh]).permuted([0, 2, 1, 3])
        let vh = v(kv).reshaped([b, m, heads, dh]).permuted([0, 2, 1, 3])
        let out = Tensor.attention(query: qh, key: kh, value: vh, mask: mask)
        return o(out.permuted([0, 2, 1, 3]).reshaped([b, n, d]))
    }
}
