import QVTensor

/// A Wan-like block: adaLN-modulated self-attention, cross-attention to text, adaLN-modulated MLP,
/// gated residuals (DESIGN.md §3).
public final class WanBlock: Module {
    public let norm1: LayerNorm, norm2: LayerNorm, norm3: LayerNorm
    public let selfAttention: MultiHeadAttention
    public let crossAttention: MultiHeadAttention
    public let mlp: FeedForward
    /// c → (shift, scale, gate) for attention and MLP; zero-initialised so the block starts as identity.
    public let adaLN: Linear

    public init(_ c: DiTConfig, rng: inout SeededGenerator) {
        let d = c.hidden
        norm1 = LayerNorm(d, affine: false); norm2 = LayerNorm(d); norm3 = LayerNorm(d, affine: false)
        selfAttention = MultiHeadAttention(dim: d, heads: c.heads, rng: &rng)
        crossAttention = MultiHeadAttention(dim: d, heads: c.heads, rng: &rng)
        mlp = FeedForward(d, hidden: d * c.mlpRatio, rng: &rng)
        adaLN = Linear(d, 6 * d, scale: 0, rng: &rng)
    }

    public var children: [(String, any Module)] {
        [("norm2", norm2), ("attn", selfAttention), ("cross", crossAttention), ("mlp", mlp), ("adaln", adaLN)]
    }

    /// x [B, N, D]; text [B, L, D]; cond = SiLU(time embedding) [B, D].
    public func callAsFunction(_ x: Tensor, text: Tensor, textMask: AttentionMask, cond: Tensor) -> Tensor {
        let m = Modulation.chunks(adaLN(cond), 6)
        var x = x
        x = Modulation.gatedResidual(x, gate: m[2], selfAttention(Modulation.modulate(norm1(x), shift: m[0], scale: m[1])))
        x = x + crossAttention(norm2(x), context: text, mask: textMask)
        x = Modulation.gatedResidual(x, gate: m[5], mlp(Modulation.modulate(norm3(x), shift: m[3], scale: m[4])))
        return x
    }
}
