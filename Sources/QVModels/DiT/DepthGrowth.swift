import QVTensor

extension DiTConfig {
    /// Whether a model of this shape can be grown into `target` (`VideoDiT.grow`): the same family,
    /// width and data shape, at most as deep (the SNR shift, a schedule setting, may differ).
    public func canGrow(into target: DiTConfig) -> Bool {
        var sameWidth = self
        sameWidth.depth = target.depth
        sameWidth.snrShift = target.snrShift
        return sameWidth == target && depth <= target.depth
    }
}

extension VideoDiT {
    /// Initialises this DiT from a trained, shallower one of the same family and width so that both
    /// compute exactly the same function, then training uses the added depth (model growth by block
    /// duplication, in the spirit of progressive stacking). Block j copies source block ⌊j·d/D⌋
    /// (d, D: source and target depth); the first copy of a source block is that block, every later
    /// copy has its adaLN zeroed — and, in Wan blocks, the output projection of its ungated
    /// cross-attention — so it starts as the identity and its gates open during training.
    /// Not in DESIGN.md: a QVBench addition, used to deepen the `s` teachers without discarding their training.
    public func grow(from source: VideoDiT) throws(ModelError) {
        guard source.config.canGrow(into: config) else {
            throw .incompatibleGrowth(from: source.config.name, sourceDepth: source.config.depth, to: config.name, targetDepth: config.depth)
        }
        let d = source.config.depth, target = config.depth
        let sourceParameters = Dictionary(uniqueKeysWithValues: source.namedBaseParameters())
        for (name, parameter) in namedBaseParameters() {
            var sourceName = name
            if name.hasPrefix("blocks."), let (block, rest) = Self.splitBlockPath(name) {
                sourceName = "blocks.\(block * d / target).\(rest)"
            }
            guard let values = sourceParameters[sourceName]?.data, values.count == parameter.count else {
                throw .incompatibleGrowth(from: source.config.name, sourceDepth: d, to: config.name, targetDepth: target)
            }
            parameter.data = values
        }
        for j in 0..<target where j > 0 && (j - 1) * d / target == j * d / target {
            let silenced: [Linear] = config.family == .wan
                ? [wanBlocks.items[j].adaLN, wanBlocks.items[j].crossAttention.o]
                : [cogxBlocks.items[j].adaLN]
            for linear in silenced {
                linear.weight.data = [Float](repeating: 0, count: linear.weight.count)
                if let bias = linear.bias { bias.data = [Float](repeating: 0, count: bias.count) }
            }
        }
    }

    /// "blocks.3.attn.q.weight" → (3, "attn.q.weight").
    private static func splitBlockPath(_ name: String) -> (Int, Substring)? {
        let parts = name.split(separator: ".", maxSplits: 2)
        guard parts.count == 3, let block = Int(parts[1]) else { return nil }
        return (block, parts[2])
    }
}
