import QVTensor

/// A CogVideoX-like block: one attention over the joint [text; video] sequence and one shared MLP,
/// with separate ("expert") adaLN modulation for the text and video streams (DESIGN.md §3).
public final class CogXBlock: Module {
    public let norm1: LayerNorm, norm2: LayerNorm
    public let attention: MultiHeadAttention
    public let mlp: FeedForward
    /// c → (shift, scale, gate) × (attention, MLP) for video, then the same six for text.
    public let adaLN: Linear

    public init(_ c: DiTConfig, rng: inout SeededGenerator) {
        let d = c.hidden
        norm1 = LayerNorm(d, affine: false); norm2 = LayerNorm(d, affine: false)
        attention = MultiHeadAttention(dim: d, heads: c.heads, rng: &rng)
        mlp = FeedForward(d, hidden: d * c.mlpRatio, rng: &rng)
        adaLN = Linear(d, 12 * d, scale: 0, rng: &rng)
    }

    public var children: [(String, any Module)] { [("attn", attention), ("mlp", mlp), ("adaln", adaLN)] }

    /// Video x [B, N, D] and text e [B, L, D] → updated (x, e). `jointMask` covers the L + N keys.
    public func callAsFunction(_ x: Tensor, text e: Tensor, jointMask: AttentionMask, cond: Tensor) -> (Tensor, Tensor) {
        let m = Modulation.chunks(adaLN(cond), 12)
        let l = e.shape[1], n = x.shape[1]
        var x = x, e = e
        let hv = Modulation.modulate(norm1(x), shift: m[0], scale: m[1])
        let he = Modulation.modulate(norm1(e), shift: m[6], scale: m[7])
        let a = attention(Tensor.concat([he, hv], axis: 1), mask: jointMask).split(sizes: [l, n], axis: 1)
        x = Modulation.gatedResidual(x, gate: m[2], a[1])
        e = Modulation.gatedResidual(e, gate: m[8], a[0])
        let fv = Modulation.modulate(norm2(x), shift: m[3], scale: m[4])
        let fe = Modulation.modulate(norm2(e), shift: m[9], scale: m[10])
        let f = mlp(Tensor.concat([fe, fv], axis: 1)).split(sizes: [l, n], axis: 1)
        x = Modulation.gatedResidual(x, gate: m[5], f[1])
        e = Modulation.gatedResidual(e, gate: m[11], f[0])
        return (x, e)
    }
}
