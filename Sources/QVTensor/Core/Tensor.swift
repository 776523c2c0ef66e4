/// A Float32 tensor: contiguous row-major storage of arbitrary rank, and a node of the autodiff graph.
///
/// Tensors are reference types so that the graph can point at them and gradients can accumulate in
/// place; the storage itself is a value (`[Float]`), so an op never aliases another op's data.
/// Ops on tensors that require gradients record a backward closure (see `Autodiff/`), unless the
/// calling thread is inside `withNoGrad`.
public final class Tensor: @unchecked Sendable {
    /// Dimensions, outermost first. A scalar has shape `[]`.
    public let shape: [Int]
    /// Row-major values; `data.count == shape.product`.
    public var data: [Float]
    /// Accumulated gradient of the last `backward()` (nil until one reaches this tensor).
    public var grad: [Float]?
    /// Whether gradients flow to (and are kept for) this tensor. Parameters set this; frozen ones clear it.
    public var requiresGrad: Bool
    /// Optional stable name (parameters use it for checkpoints and diagnostics).
    public var name: String?

    // Graph bookkeeping (set by ops; see Autodiff/Graph.swift).
    var parents: [Tensor] = []
    var backwardFn: ((Tensor) -> Void)?

    /// A tensor with the given values (count must equal the shape's product).
    public init(shape: [Int], data: [Float], requiresGrad: Bool = false, name: String? = nil) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in \(shape)")
        precondition(data.count == shape.elementCount,
                     "Tensor: \(data.count) values do not fill shape \(shape) (\(shape.elementCount))")
        self.shape = shape
        self.data = data
        self.requiresGrad = requiresGrad
        self.name = name
    }

    /// Number of elements.
    public var count: Int { data.count }
    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// Whether this tensor was produced by an op that recorded a backward step.
    public var isLeaf: Bool { backwardFn == nil }

    /// The single value of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item: tensor of shape \(shape) has \(count) elements")
        return data[0]
    }

    /// Dimension `axis` (negative counts from the end).
    public func dim(_ axis: Int) -> Int { shape[normalizeAxis(axis, rank: rank)] }

    /// A new leaf tensor with the same values and no graph history.
    public func detached() -> Tensor { Tensor(shape: shape, data: data) }

    /// Clears the accumulated gradient.
    public func zeroGrad() { grad = nil }
}

// MARK: - Creation

extension Tensor {
    /// A scalar (rank 0) tensor.
    public convenience init(_ value: Float) { self.init(shape: [], data: [value]) }

    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        Tensor(shape: shape, data: [Float](repeating: 0, count: shape.elementCount), requiresGrad: requiresGrad)
    }

    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, 1, requiresGrad: requiresGrad)
    }

    public static func full(_ shape: [Int], _ value: Float, requiresGrad: Bool = false) -> Tensor {
        Tensor(shape: shape, data: [Float](repeating: value, count: shape.elementCount), requiresGrad: requiresGrad)
    }

    /// Standard normal values scaled by `std`, from the given generator.
    public static func randn(_ shape: [Int], std: Float = 1, using rng: inout SeededGenerator,
                             requiresGrad: Bool = false) -> Tensor {
        var values = [Float](repeating: 0, count: shape.elementCount)
        for i in values.indices { values[i] = rng.normal() * std }
        return Tensor(shape: shape, data: values, requiresGrad: requiresGrad)
    }

    /// Uniform values in [lower, upper), from the given generator.
    public static func uniform(_ shape: [Int], _ lower: Float, _ upper: Float, using rng: inout SeededGenerator,
                               requiresGrad: Bool = false) -> Tensor {
        var values = [Float](repeating: 0, count: shape.elementCount)
        for i in values.indices { values[i] = rng.uniform(lower, upper) }
        return Tensor(shape: shape, data: values, requiresGrad: requiresGrad)
    }

    /// 0, 1, …, n−1.
    public static func arange(_ n: Int) -> Tensor {
        Tensor(shape: [n], data: (0..<n).map(Float.init))
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = data.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(\(shape)\(name.map { " '\($0)'" } ?? ""): [\(preview)\(count > 8 ? ", …" : "")])"
    }
}

import Foundation
