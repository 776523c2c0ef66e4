import Testing
@testable import QVModels
@testable import QVTensor

@Suite struct DepthGrowthTests {
    /// A shallow model with every parameter random (adaLN included, so no block is the identity).
    func trainedLooking(_ c: DiTConfig, seed: UInt64) -> VideoDiT {
        let model = VideoDiT(c, seed: seed)
        var rng = SeededGenerator(seed: seed, stream: "perturb")
        for (_, p) in model.namedParameters() { p.data = p.data.map { $0 + 0.2 * rng.normal() } }
        return model
    }

    /// Growing 2 blocks into 5 keeps the function bit for bit, and the added blocks still learn: their
    /// adaLN (and Wan's cross-attention output) receives gradient.
    @Test(arguments: ModelFamily.allCases)
    func grownModelComputesTheSameFunctionAndLearns(family: ModelFamily) throws {
        let shallow = try tinyConfig(family)
        var deep = shallow
        deep.depth = 5
        let source = trainedLooking(shallow, seed: 11)
        let grown = VideoDiT(deep, seed: 12)
        try grown.grow(from: source)
        var rng = SeededGenerator(seed: 13)
        let x = Tensor.randn([2, shallow.frames, shallow.latentHeight, shallow.latentWidth, shallow.latentChannels], using: &rng)
        let text = Tensor.randn([2, 4, shallow.textDim], using: &rng)
        let valid = [true, true, false, false, true, true, true, false]
        #expect(grown(x, timesteps: [30, 870], text: text, textValid: valid).data
                == source(x, timesteps: [30, 870], text: text, textValid: valid).data)

        // Blocks 0, 3 copy source blocks 0, 1 (j·2/5); blocks 1, 2, 4 are added identities.
        let added = [1, 2, 4]
        grown(x, timesteps: [30, 870], text: text, textValid: valid).square().mean().backward()
        for j in 0..<5 {
            let adaLN = family == .wan ? grown.wanBlocks.items[j].adaLN : grown.cogxBlocks.items[j].adaLN
            #expect(adaLN.weight.data.allSatisfy { $0 == 0 } == added.contains(j), "block \(j)")
            #expect(adaLN.weight.grad?.contains { $0 != 0 } == true, "block \(j) adaLN gets gradient")
        }
        if family == .wan {
            #expect(grown.wanBlocks.items[3].selfAttention.q.weight.data == source.wanBlocks.items[1].selfAttention.q.weight.data)
            #expect(grown.wanBlocks.items[4].crossAttention.o.weight.data.allSatisfy { $0 == 0 })
            #expect(grown.wanBlocks.items[4].crossAttention.o.weight.grad?.contains { $0 != 0 } == true)
        }
    }

    @Test func growthRefusesAnotherWidthOrAShallowerTarget() throws {
        let c = try tinyConfig(.cogx)
        var wider = c
        wider.hidden = 2 * c.hidden
        wider.depth = 4
        #expect(throws: ModelError.self) { try VideoDiT(wider, seed: 1).grow(from: VideoDiT(c, seed: 2)) }
        var shallower = c
        shallower.depth = 1
        #expect(throws: ModelError.self) { try VideoDiT(shallower, seed: 1).grow(from: VideoDiT(c, seed: 2)) }
        var wan = try tinyConfig(.wan)
        wan.depth = 4
        #expect(throws: ModelError.self) { try VideoDiT(wan, seed: 1).grow(from: VideoDiT(c, seed: 2)) }
    }
}
