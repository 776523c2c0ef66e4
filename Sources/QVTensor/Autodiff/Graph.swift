/// Reverse-mode automatic differentiation over the tensors' recorded graph.
///
/// Each op that produces a tensor from inputs that require gradients stores its inputs (`parents`) and
/// a backward closure that reads the output's gradient and accumulates into the inputs' gradients.
/// `backward()` visits the graph in reverse topological order; intermediate gradients are released as
/// soon as they have been propagated, leaves keep theirs (accumulating across calls until `zeroGrad`).
extension Tensor {
    /// Whether an op with these inputs must record a backward step on this thread.
    static func needsGrad(_ inputs: Tensor...) -> Bool {
        GradMode.isEnabled && inputs.contains { $0.requiresGrad }
    }

    static func needsGrad(_ inputs: [Tensor]) -> Bool {
        GradMode.isEnabled && inputs.contains { $0.requiresGrad }
    }

    /// Records `backward` on `self` as the op that made it from `inputs` (if any input needs grad).
    /// The closure receives the output tensor, whose `grad` is set when it runs.
    /// Public so other modules can define fused ops with their own backward (e.g. fake quantizers).
    @discardableResult
    public func recording(_ inputs: [Tensor], backward: @escaping (Tensor) -> Void) -> Tensor {
        guard Tensor.needsGrad(inputs) else { return self }
        requiresGrad = true
        parents = inputs
        backwardFn = backward
        return self
    }

    /// Adds `delta` (same element count) into this tensor's gradient, allocating it on first use.
    /// Tensors that do not require gradients ignore it.
    public func accumulateGrad(_ delta: [Float]) {
        guard requiresGrad else { return }
        precondition(delta.count == count, "gradient of \(delta.count) values for tensor of shape \(shape)")
        if grad == nil { grad = delta; return }
        grad!.withUnsafeMutableBufferPointer { g in
            delta.withUnsafeBufferPointer { d in
                for i in 0..<g.count { g[i] += d[i] }
            }
        }
    }

    /// Adds `delta` into the gradient through a closure writing into the gradient buffer directly,
    /// avoiding a temporary when the op can accumulate itself. `body` receives a zero-initialised
    /// buffer on first use.
    public func accumulateGrad(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        guard requiresGrad else { return }
        if grad == nil { grad = [Float](repeating: 0, count: count) }
        grad!.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Back-propagates from this tensor. A scalar gets seed gradient 1; otherwise pass `seed`.
    public func backward(seed: [Float]? = nil) {
        precondition(seed != nil || count == 1, "backward() without a seed needs a scalar, got shape \(shape)")
        let order = topologicalOrder()
        accumulateGrad(seed ?? [1])
        for node in order.reversed() {
            guard let fn = node.backwardFn, node.grad != nil else { continue }
            fn(node)
            // Intermediate results do not keep gradients; this frees memory early.
            node.grad = nil
        }
    }

    /// Nodes reachable from self through recorded ops, inputs before outputs.
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while let (node, next) = stack.popLast() {
            if next < node.parents.count {
                stack.append((node, next + 1))
                let p = node.parents[next]
                if p.requiresGrad, visited.insert(ObjectIdentifier(p)).inserted { stack.append((p, 0)) }
            } else {
                order.append(node)
            }
        }
        return order
    }

    /// Drops the recorded graph below this tensor (keeps values and gradient).
    public func detachGraph() {
        parents = []
        backwardFn = nil
    }
}
