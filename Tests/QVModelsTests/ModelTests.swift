import Testing
@testable import QVModels
@testable import QVTensor

func tinyConfig(_ family: ModelFamily) throws -> DiTConfig {
    var c = try DiTConfig.preset("\(family.rawValue)-xs", vocabularySize: 10, textLength: 4)
    c.frames = 2
    return c
}

/// A tiny cogx DiT with every parameter perturbed (zero-initialised gates would make text irrelevant),
/// its text encoder, and one clip of latent noise: a model whose guided and conditional predictions differ.
func perturbedTinyCogx() throws -> (VideoDiT, TextEncoder, [Float]) {
    let c = try tinyConfig(.cogx)
    let model = VideoDiT(c, seed: 7)
    var rng = SeededGenerator(seed: 8)
    for (_, p) in model.namedParameters() { for i in 0..<p.count { p.data[i] += 0.05 * rng.normal() } }
    let encoder = TextEncoder(vocabularySize: 10, length: 4, dim: c.textDim, seed: 9)
    return (model, encoder, (0..<c.latentCount).map { _ in rng.normal() })
}

@Suite struct ModelTests {
    @Test(arguments: ModelFamily.allCases)
    func forwardShapesAndNames(family: ModelFamily) throws {
        let c = try tinyConfig(family)
        let model = VideoDiT(c, seed: 1)
        var rng = SeededGenerator(seed: 2)
        let x = Tensor.randn([2, c.frames, c.latentHeight, c.latentWidth, c.latentChannels], using: &rng)
        let text = Tensor.randn([2, 4, c.textDim], using: &rng)
        let y = model(x, timesteps: [10, 900], text: text, textValid: [true, true, false, false, true, true, true, false])
        #expect(y.shape == x.shape)
        let names = model.namedParameters().map(\.0)
        #expect(Set(names).count == names.count, "parameter names are unique")
        #expect(names.contains("blocks.0.attn.q.weight"))
        #expect(model.namedParameters().allSatisfy { $0.1.name == $0.0 })
        let linears = model.quantizableLinears.map(\.0)
        #expect(!linears.contains("patch_embed") && linears.contains("final_proj") && linears.contains("blocks.1.mlp.fc2"))
        #expect(linears.contains(family == .wan ? "blocks.0.cross.k" : "blocks.0.adaln"))
    }

    @Test func patchifyIsInvertible() throws {
        let c = try tinyConfig(.wan)
        let model = VideoDiT(c, seed: 1)
        var rng = SeededGenerator(seed: 3)
        let x = Tensor.randn([2, c.frames, c.latentHeight, c.latentWidth, c.latentChannels], using: &rng)
        let tokens = model.patchify(x)
        #expect(tokens.shape == [2, c.videoTokens, c.patchDim])
        #expect(model.unpatchify(tokens, batch: 2).data == x.data)
        // Token 0 holds the 2×2 latent cells at the top-left of frame 0.
        #expect(tokens.data[c.latentChannels] == x.data[c.latentChannels])  // cell (0, 1)
        #expect(tokens.data[2 * c.latentChannels] == x.data[c.latentWidth * c.latentChannels])  // cell (1, 0)
    }

    @Test(arguments: ModelFamily.allCases)
    func everyParameterReceivesGradient(family: ModelFamily) throws {
        let c = try tinyConfig(family)
        let model = VideoDiT(c, seed: 4)
        var rng = SeededGenerator(seed: 5)
        // Zero-initialised gates would block most gradients at init; perturb every parameter.
        for (_, p) in model.namedParameters() { for i in 0..<p.count { p.data[i] += 0.05 * rng.normal() } }
        let encoder = TextEncoder(vocabularySize: 10, length: 4, dim: c.textDim, seed: 6)
        let ids = [3, 4, 0, 0, 5, 6, 7, 0]
        let x = Tensor.randn([2, c.frames, c.latentHeight, c.latentWidth, c.latentChannels], using: &rng)
        let y = model(x, timesteps: [100, 700], text: encoder(ids), textValid: encoder.validMask(ids))
        y.square().mean().backward()
        for (name, p) in model.namedParameters() + encoder.namedParameters() {
            let norm = p.grad.map { $0.reduce(0) { $0 + $1 * $1 } } ?? 0
            #expect(norm > 0, "\(name) got no gradient")
        }
    }

    @Test func guidanceOneEqualsConditionalPrediction() throws {
        let (model, encoder, x) = try perturbedTinyCogx()
        let sampler = Sampler(model: model, textEncoder: encoder, guidanceInterval: .everyStep)
        let cond = sampler.guidedPrediction(x, batch: 1, timestep: 400, tokens: [3, 4, 5, 0], nullTokens: [1, 0, 0, 0], guidance: 1)
        // The batched guided path with w = 1 must give the same numbers (u + 1·(c − u) = c).
        let viaBatch = sampler.guidedPrediction(x, batch: 1, timestep: 400, tokens: [3, 4, 5, 0], nullTokens: [1, 0, 0, 0],
                                                guidance: 1.000001)
        for (a, b) in zip(cond, viaBatch) { #expect(Swift.abs(a - b) < 1e-4) }
        let guided = sampler.guidedPrediction(x, batch: 1, timestep: 400, tokens: [3, 4, 5, 0], nullTokens: [1, 0, 0, 0], guidance: 6)
        #expect(zip(cond, guided).contains { Swift.abs($0 - $1) > 1e-4 })
    }

    /// A stochastic sampler (η > 0) is reproducible per seed, differs from the deterministic one, and a
    /// clip does not depend on the clips sampled beside it.
    @Test func stochasticSamplingIsSeededPerClip() throws {
        let (model, encoder, _) = try perturbedTinyCogx()
        var sampler = Sampler(model: model, textEncoder: encoder)
        let ids = [3, 4, 0, 0], other = [5, 6, 7, 0], null = [0, 0, 0, 0]
        let deterministic = sampler.sample(tokens: ids, nullTokens: null, seeds: [9], steps: 4, guidance: 6)
        sampler.eta = 1
        let alone = sampler.sample(tokens: ids, nullTokens: null, seeds: [9], steps: 4, guidance: 6)
        let again = sampler.sample(tokens: ids, nullTokens: null, seeds: [9], steps: 4, guidance: 6)
        let paired = sampler.sample(tokens: other + ids, nullTokens: null + null, seeds: [4, 9], steps: 4, guidance: 6)
        #expect(alone == again)
        #expect(zip(alone, deterministic).map { Swift.abs($0 - $1) }.max()! > 1e-2)
        let second = Array(paired[alone.count...])
        #expect(zip(alone, second).map { Swift.abs($0 - $1) }.max()! < 1e-4)
    }

    @Test func guidanceAppliesOnlyInsideItsInterval() throws {
        let (model, encoder, x) = try perturbedTinyCogx()
        let everyStep = Sampler(model: model, textEncoder: encoder, guidanceInterval: .everyStep)
        let limited = Sampler(model: model, textEncoder: encoder, guidanceInterval: GuidanceInterval(lowest: 700, highest: 1000))
        func predict(_ s: Sampler, _ t: Float, _ w: Float) -> [Float] {
            s.guidedPrediction(x, batch: 1, timestep: t, tokens: [3, 4, 5, 0], nullTokens: [1, 0, 0, 0], guidance: w)
        }
        // Below the interval: exactly the conditional prediction; inside (bounds included): the guided one.
        #expect(predict(limited, 400, 6) == predict(everyStep, 400, 1))
        #expect(predict(limited, 699, 6) == predict(everyStep, 699, 1))
        #expect(predict(limited, 700, 6) == predict(everyStep, 700, 6))
        #expect(predict(limited, 999, 6) == predict(everyStep, 999, 6))
        #expect(predict(limited, 999, 6) != predict(limited, 999, 1))
    }

    @Test func familiesGuideWhereTheirSamplersShould() throws {
        #expect(try DiTConfig.preset("wan-s", vocabularySize: 10).defaultGuidanceInterval == .everyStep)
        #expect(try DiTConfig.preset("cogx-s", vocabularySize: 10).defaultGuidanceInterval == GuidanceInterval(lowest: 700, highest: 1000))
        let model = VideoDiT(try tinyConfig(.cogx), seed: 1)
        let encoder = TextEncoder(vocabularySize: 10, length: 4, dim: model.config.textDim, seed: 2)
        #expect(Sampler(model: model, textEncoder: encoder).guidanceInterval.lowest == 700)
        #expect(ModelFamily(presetName: "cogx-s") == .cogx && ModelFamily(presetName: "wan-xs") == .wan)
        #expect(ModelFamily(presetName: "vae-s") == nil && ModelFamily(presetName: "") == nil)
    }

    @Test func guidanceIntervalParsesAndPrints() {
        #expect(GuidanceInterval(parsing: "700:1000") == GuidanceInterval(lowest: 700, highest: 1000))
        #expect(GuidanceInterval(parsing: "all") == .everyStep)
        #expect(GuidanceInterval(parsing: "0:1000")?.coversEveryStep == true)
        for bad in ["1000:700", "700", "a:b", "-1:500", "500:1001", "700:1000:2", "", "nan:900"] {
            #expect(GuidanceInterval(parsing: bad) == nil, "\(bad) should be refused")
        }
        for text in ["700:1000", "all", "250.5:600"] {
            #expect(GuidanceInterval(parsing: text)?.description == text)
        }
        #expect(GuidanceInterval(lowest: 700, highest: 1000).label(weight: 6) == "CFG 6.0 at t >= 700")
        #expect(GuidanceInterval(lowest: 0, highest: 300).range == "t <= 300")
        #expect(GuidanceInterval(lowest: 200, highest: 300).range == "200 <= t <= 300")
        #expect(GuidanceInterval.everyStep.label(weight: 5) == "CFG 5.0")
    }
}
