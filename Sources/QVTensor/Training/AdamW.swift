import CQVVectorMath
import Foundation

/// A set of parameters sharing a learning rate and weight decay (e.g. latent weights, quantizer
/// scales, QVGen's Φ, activation clipping logits — each gets its own group in QAT).
public struct ParameterGroup {
    public var name: String
    public var parameters: [Tensor]
    /// Peak learning rate; the schedule multiplies it.
    public var learningRate: Float
    public var weightDecay: Float

    public init(name: String, parameters: [Tensor], learningRate: Float, weightDecay: Float = 0) {
        self.name = name
        self.parameters = parameters
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }
}

/// AdamW (decoupled weight decay, bias-corrected moments), PyTorch's update rule:
/// p ← p·(1 − lr·wd);  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  p ← p − lr·m̂/(√v̂ + ε).
public final class AdamW {
    public var groups: [ParameterGroup]
    public let beta1: Float, beta2: Float, eps: Float
    /// Number of steps taken (the bias-correction exponent).
    public private(set) var step = 0
    private var firstMoment: [ObjectIdentifier: [Float]] = [:]
    private var secondMoment: [ObjectIdentifier: [Float]] = [:]

    public init(groups: [ParameterGroup], beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8) {
        self.groups = groups
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
    }

    /// All parameters of all groups.
    public var parameters: [Tensor] { groups.flatMap(\.parameters) }

    /// One update with every group's learning rate multiplied by `lrScale` (from a schedule).
    /// Parameters without a gradient (unused this step, or frozen) are left unchanged.
    public func update(lrScale: Float = 1) {
        step += 1
        let c1 = 1 - Foundation.pow(beta1, Float(step)), c2 = 1 - Foundation.pow(beta2, Float(step))
        let (b1, b2, eps) = (beta1, beta2, self.eps)
        for group in groups {
            let lr = group.learningRate * lrScale, decay = 1 - lr * group.weightDecay
            for p in group.parameters {
                guard let g = p.grad else { continue }
                let id = ObjectIdentifier(p)
                var m = firstMoment[id] ?? [Float](repeating: 0, count: p.count)
                var v = secondMoment[id] ?? [Float](repeating: 0, count: p.count)
                firstMoment[id] = nil; secondMoment[id] = nil  // keep the arrays uniquely referenced
                p.data.withUnsafeMutableBufferPointer { w in m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in g.withUnsafeBufferPointer { g in
                        guard w.count > 0 else { return }
                        qv_adamw_update(w.baseAddress!, m.baseAddress!, v.baseAddress!, g.baseAddress!, w.count,
                                        b1, b2, c1, c2, lr, decay, eps)
                    } }
                } }
                firstMoment[id] = m
                secondMoment[id] = v
            }
        }
    }

    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    /// The moments keyed by parameter name, plus the step count, for checkpoints.
    public func stateDict() -> [String: [Float]] {
        var state: [String: [Float]] = ["__step__": [Float(step)]]
        for p in parameters {
            let key = p.name ?? "unnamed"
            if let m = firstMoment[ObjectIdentifier(p)] { state["m." + key] = m }
            if let v = secondMoment[ObjectIdentifier(p)] { state["v." + key] = v }
        }
        return state
    }

    /// Restores moments saved by `stateDict()`; parameters are matched by name.
    public func load(stateDict state: [String: [Float]]) throws {
        step = Int(state["__step__"]?.first ?? 0)
        for p in parameters {
            let key = p.name ?? "unnamed", id = ObjectIdentifier(p)
            for (prefix, isFirst) in [("m.", true), ("v.", false)] {
                guard let values = state[prefix + key] else { continue }
                guard values.count == p.count else {
                    throw OptimizerStateError.shapeMismatch(parameter: key, expected: p.count, found: values.count)
                }
                if isFirst { firstMoment[id] = values } else { secondMoment[id] = values }
            }
        }
    }

    /// Swaps parameter `old` for `new` in its group (e.g. QVGen's Φ after a rank cut), carrying the
    /// moments over through `carry` (which maps old-sized moments to new-sized ones; nil drops them).
    public func replace(_ old: Tensor, with new: Tensor, carry: (([Float]) -> [Float])? = nil) {
        let id = ObjectIdentifier(old)
        let m = firstMoment.removeValue(forKey: id), v = secondMoment.removeValue(forKey: id)
        for g in groups.indices {
            if let i = groups[g].parameters.firstIndex(where: { $0 === old }) { groups[g].parameters[i] = new }
        }
        if let carry, let m, let v {
            let (cm, cv) = (carry(m), carry(v))
            if cm.count == new.count && cv.count == new.count {
                firstMoment[ObjectIdentifier(new)] = cm
                secondMoment[ObjectIdentifier(new)] = cv
            }
        }
    }

    /// Removes a parameter and its moments (e.g. Φ once its rank reaches 0).
    public func remove(_ p: Tensor) {
        firstMoment[ObjectIdentifier(p)] = nil
        secondMoment[ObjectIdentifier(p)] = nil
        for g in groups.indices { groups[g].parameters.removeAll { $0 === p } }
    }
}

/// Optimizer checkpoint defects.
public enum OptimizerStateError: Error, CustomStringConvertible {
    case shapeMismatch(parameter: String, expected: Int, found: Int)

    public var description: String {
        switch self {
        case let .shapeMismatch(name, expected, found):
            return "optimizer state for '\(name)' has \(found) values, parameter has \(expected): checkpoint from another model?"
        }
    }
}
