import QVTensor

/// What a quantization method installs into a `Linear` to change its forward pass in place
/// (fake-quantized weights and activations, LoRA, QVGen's Φ, …) while the layer keeps its name.
public protocol LinearReplacement: AnyObject {
    /// The layer's output for input x (…, in) given the base layer (its weight and bias).
    func forward(_ x: Tensor, base: Linear) -> Tensor
    /// Extra trainable tensors the replacement owns (quantizer steps, Φ factors…), by local name.
    var extraParameters: [(String, Tensor)] { get }
}

/// y = x·Wᵀ + b with W stored [out, in]. Every projection of the DiTs is one of these, so that
/// quantization can find each by its path and swap its forward via `replacement`.
public final class Linear: Module {
    public let inFeatures: Int
    public let outFeatures: Int
    public var weight: Tensor
    public var bias: Tensor?
    /// When set, the forward pass is delegated to it (quantized or adapted layers).
    public var replacement: (any LinearReplacement)?

    /// Kaiming-uniform-like init (PyTorch's default bound 1/√in) from the given generator;
    /// `scale` shrinks it (e.g. 0 for zero-initialised output projections and adaLN).
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, scale: Float = 1,
                rng: inout SeededGenerator) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let bound = scale / Float(inFeatures).squareRoot()
        weight = Tensor.uniform([outFeatures, inFeatures], -bound, bound, using: &rng, requiresGrad: true)
        self.bias = bias ? Tensor.zeros([outFeatures], requiresGrad: true) : nil
    }

    public var ownParameters: [(String, Tensor)] {
        var out = [("weight", weight)]
        if let bias { out.append(("bias", bias)) }
        if let replacement { out += replacement.extraParameters }
        return out
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if let replacement { return replacement.forward(x, base: self) }
        return x.linear(weight: weight, bias: bias)
    }
}

/// Layer normalisation over the last axis, with or without learned affine parameters.
public final class LayerNorm: Module {
    public var weight: Tensor?
    public var bias: Tensor?
    public let eps: Float

    public init(_ features: Int, affine: Bool = true, eps: Float = 1e-6) {
        weight = affine ? Tensor.ones([features], requiresGrad: true) : nil
        bias = affine ? Tensor.zeros([features], requiresGrad: true) : nil
        self.eps = eps
    }

    public var ownParameters: [(String, Tensor)] {
        [("weight", weight), ("bias", bias)].compactMap { n, t in t.map { (n, $0) } }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.layerNorm(weight: weight, bias: bias, eps: eps) }
}

/// Two linears with GELU between (the transformer MLP, widths in → hidden → in).
public final class FeedForward: Module {
    public let fc1: Linear
    public let fc2: Linear

    public init(_ dim: Int, hidden: Int, rng: inout SeededGenerator) {
        fc1 = Linear(dim, hidden, rng: &rng)
        fc2 = Linear(hidden, dim, rng: &rng)
    }

    public var children: [(String, any Module)] { [("fc1", fc1), ("fc2", fc2)] }

    public func callAsFunction(_ x: Tensor) -> Tensor { fc2(fc1(x).gelu()) }
}
