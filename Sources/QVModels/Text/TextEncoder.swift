import QVTensor

/// The T5 role: a closed-vocabulary caption encoder (token + learned position embeddings and one
/// transformer layer). Trained with the teacher, then frozen and never quantized.
public final class TextEncoder: Module {
    public let vocabularySize: Int, length: Int, dim: Int
    /// Token id that marks padding (masked out of attention everywhere).
    public let padID: Int
    public let tokens: Tensor
    public let positions: Tensor
    public let norm1: LayerNorm, norm2: LayerNorm
    public let attention: MultiHeadAttention
    public let mlp: FeedForward

    public init(vocabularySize: Int, length: Int, dim: Int, padID: Int = 0, seed: UInt64) {
        var rng = SeededGenerator(seed: seed, stream: "text-encoder-init")
        self.vocabularySize = vocabularySize
        self.length = length
        self.dim = dim
        self.padID = padID
        tokens = Tensor.randn([vocabularySize, dim], std: 0.5, using: &rng, requiresGrad: true)
        positions = Tensor.randn([length, dim], std: 0.1, using: &rng, requiresGrad: true)
        norm1 = LayerNorm(dim); norm2 = LayerNorm(dim)
        attention = MultiHeadAttention(dim: dim, heads: 4, rng: &rng)
        mlp = FeedForward(dim, hidden: 2 * dim, rng: &rng)
        assignParameterNames(prefix: "text_encoder")
    }

    public var ownParameters: [(String, Tensor)] { [("tokens", tokens), ("positions", positions)] }
    public var children: [(String, any Module)] {
        [("norm1", norm1), ("norm2", norm2), ("attn", attention), ("mlp", mlp)]
    }

    /// Which of the B×L ids are real tokens.
    public func validMask(_ ids: [Int]) -> [Bool] { ids.map { $0 != padID } }

    /// ids: B×L token ids (row-major) → [B, L, dim].
    public func callAsFunction(_ ids: [Int]) -> Tensor {
        precondition(ids.count % length == 0, "TextEncoder: \(ids.count) ids is not a multiple of length \(length)")
        let b = ids.count / length
        var x = Tensor.embedding(tokens, ids: ids, idsShape: [b, length]) + positions
        x = x + attention(norm1(x), mask: .keyPadding(valid: validMask(ids)))
        return x + mlp(norm2(x))
    }
}
