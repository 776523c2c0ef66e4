import QVTensor

/// A node of a model tree: own parameters plus named children. Names compose into stable dotted
/// paths ("blocks.0.attn.q.weight") used by checkpoints, quantization and diagnostics.
public protocol Module: AnyObject {
    /// Parameters owned directly by this module, with their local names.
    var ownParameters: [(String, Tensor)] { get }
    /// Sub-modules with their local names.
    var children: [(String, any Module)] { get }
}

extension Module {
    public var ownParameters: [(String, Tensor)] { [] }
    public var children: [(String, any Module)] { [] }

    /// Every parameter below this module, with its dotted path, in a stable order.
    public func namedParameters(prefix: String = "") -> [(String, Tensor)] {
        var out: [(String, Tensor)] = ownParameters.map { (join(prefix, $0.0), $0.1) }
        for (name, child) in children { out += child.namedParameters(prefix: join(prefix, name)) }
        return out
    }

    /// Like `namedParameters`, without tensors owned by installed `LinearReplacement`s (quantizer
    /// state, Φ, LoRA): the model's own weights, as a full-precision checkpoint stores them.
    public func namedBaseParameters(prefix: String = "") -> [(String, Tensor)] {
        let extra = Set(namedLinears().flatMap { $0.1.replacement?.extraParameters.map { ObjectIdentifier($0.1) } ?? [] })
        return namedParameters(prefix: prefix).filter { !extra.contains(ObjectIdentifier($0.1)) }
    }

    /// Every `Linear` below this module with its dotted path: the layers quantization swaps.
    public func namedLinears(prefix: String = "") -> [(String, Linear)] {
        var out: [(String, Linear)] = []
        if let linear = self as? Linear { out.append((prefix, linear)) }
        for (name, child) in children { out += child.namedLinears(prefix: join(prefix, name)) }
        return out
    }

    /// Sets every parameter's `name` to its dotted path (done once after building a model).
    public func assignParameterNames(prefix: String = "") {
        for (name, p) in namedParameters(prefix: prefix) { p.name = name }
    }

    /// Freezes (or unfreezes) every parameter below this module.
    public func setTrainable(_ trainable: Bool) {
        for (_, p) in namedParameters() { p.requiresGrad = trainable; p.zeroGrad() }
    }

    /// Number of scalar parameters below this module.
    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.1.count } }
}

@inline(__always) func join(_ prefix: String, _ name: String) -> String {
    prefix.isEmpty ? name : (name.isEmpty ? prefix : prefix + "." + name)
}

/// A list of modules named by index ("0", "1", …).
public final class ModuleList<M: Module>: Module {
    public var items: [M]
    public init(_ items: [M]) { self.items = items }
    public var children: [(String, any Module)] { items.enumerated().map { (String($0.offset), $0.element) } }
}
