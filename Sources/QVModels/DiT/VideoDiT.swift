import QVTensor

/// A reference video diffusion transformer of either family.
///
/// Input: noisy latents [B, T, H, W, C], timesteps in model units ([0, 1000]), encoded text
/// [B, L, textDim] with a validity mask; output: the family's prediction (velocity or v) in the
/// latents' shape. Linears named `patch_embed` stay full precision (DESIGN §5); every other Linear is
/// quantizable (`quantizableLinears`).
public final class VideoDiT: Module {
    public let config: DiTConfig
    public let patchEmbed: Linear
    public let time: TimestepEmbedder
    public let textProjection: Linear
    public let wanBlocks: ModuleList<WanBlock>
    public let cogxBlocks: ModuleList<CogXBlock>
    public let finalNorm: LayerNorm
    public let finalAdaLN: Linear
    public let finalProjection: Linear
    let positions: Tensor
    /// Called with the batch's timesteps at the start of every forward pass, so state that depends on
    /// the timestep (timestep-aware quantizers) follows whoever drives the model: trainer or sampler.
    public var timestepObserver: (([Float]) -> Void)?

    public init(_ c: DiTConfig, seed: UInt64) {
        var rng = SeededGenerator(seed: seed, stream: "dit-init")
        config = c
        patchEmbed = Linear(c.patchDim, c.hidden, rng: &rng)
        time = TimestepEmbedder(dim: c.hidden, rng: &rng)
        textProjection = Linear(c.textDim, c.hidden, rng: &rng)
        wanBlocks = ModuleList(c.family == .wan ? (0..<c.depth).map { _ in WanBlock(c, rng: &rng) } : [])
        cogxBlocks = ModuleList(c.family == .cogx ? (0..<c.depth).map { _ in CogXBlock(c, rng: &rng) } : [])
        finalNorm = LayerNorm(c.hidden, affine: false)
        finalAdaLN = Linear(c.hidden, 2 * c.hidden, scale: 0, rng: &rng)
        finalProjection = Linear(c.hidden, c.patchDim, scale: 0, rng: &rng)
        positions = positionalEmbedding3D(frames: c.frames, rows: c.latentHeight / c.patch,
                                          cols: c.latentWidth / c.patch, dim: c.hidden)
        assignParameterNames()
    }

    public var children: [(String, any Module)] {
        [("patch_embed", patchEmbed), ("time", time), ("text_proj", textProjection),
         ("blocks", config.family == .wan ? wanBlocks : cogxBlocks),
         ("final_adaln", finalAdaLN), ("final_proj", finalProjection)]
    }

    /// The layers a quantization method replaces: every Linear except the patch embedding.
    public var quantizableLinears: [(String, Linear)] { namedLinears().filter { $0.0 != "patch_embed" } }

    public func callAsFunction(_ latents: Tensor, timesteps: [Float], text: Tensor, textValid: [Bool]) -> Tensor {
        let c = config, b = latents.shape[0], l = text.shape[1]
        precondition(latents.shape == [b, c.frames, c.latentHeight, c.latentWidth, c.latentChannels],
                     "VideoDiT: latents \(latents.shape) do not match \(c.name)")
        precondition(timesteps.count == b && textValid.count == b * l, "VideoDiT: batch sizes disagree")
        timestepObserver?(timesteps)
        var x = patchEmbed(patchify(latents)) + positions
        let cond = time(timesteps).silu()
        var e = textProjection(text)
        switch c.family {
        case .wan:
            let mask = AttentionMask.keyPadding(valid: textValid)
            for block in wanBlocks.items { x = block(x, text: e, textMask: mask, cond: cond) }
        case .cogx:
            let n = c.videoTokens
            var valid: [Bool] = []
            valid.reserveCapacity(b * (l + n))
            for i in 0..<b { valid += textValid[(i * l)..<((i + 1) * l)]; valid += repeatElement(true, count: n) }
            let mask = AttentionMask.keyPadding(valid: valid)
            for block in cogxBlocks.items { (x, e) = block(x, text: e, jointMask: mask, cond: cond) }
        }
        let m = Modulation.chunks(finalAdaLN(cond), 2)
        let out = finalProjection(Modulation.modulate(finalNorm(x), shift: m[0], scale: m[1]))
        return unpatchify(out, batch: b)
    }

    /// [B, T, H, W, C] → [B, T·(H/p)·(W/p), p·p·C].
    func patchify(_ z: Tensor) -> Tensor {
        let c = config, b = z.shape[0], p = c.patch, hp = c.latentHeight / p, wp = c.latentWidth / p
        return z.reshaped([b * c.frames, hp, p, wp, p, c.latentChannels])
            .permuted([0, 1, 3, 2, 4, 5])
            .reshaped([b, c.videoTokens, c.patchDim])
    }

    /// Inverse of `patchify`.
    func unpatchify(_ tokens: Tensor, batch b: Int) -> Tensor {
        let c = config, p = c.patch, hp = c.latentHeight / p, wp = c.latentWidth / p
        return tokens.reshaped([b * c.frames, hp, wp, p, p, c.latentChannels])
            .permuted([0, 1, 3, 2, 4, 5])
            .reshaped([b, c.frames, c.latentHeight, c.latentWidth, c.latentChannels])
    }
}
