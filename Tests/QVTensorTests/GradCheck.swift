import Testing
@testable import QVTensor

/// Central-difference gradient check: compares the tape's gradient of Σ w·f(inputs) (w random)
/// with (L(x+ε) − L(x−ε))/2ε per input element, the loss summed in Double.
func gradCheck(_ label: String, _ inputs: [Tensor], eps: Float = 1e-2, rtol: Float = 2e-2, atol: Float = 2e-3,
               maxElements: Int = 48, seed: UInt64 = 7,
               sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor) {
    for t in inputs { t.requiresGrad = true; t.zeroGrad() }
    let out = f(inputs)
    var rng = SeededGenerator(seed: seed, stream: label)
    let weights = (0..<out.count).map { _ in rng.uniform(-1, 1) }
    out.backward(seed: weights)
    func loss() -> Double {
        let y = withNoGrad { f(inputs) }
        var s = 0.0
        for i in 0..<y.count { s += Double(weights[i]) * Double(y.data[i]) }
        return s
    }
    for (n, t) in inputs.enumerated() {
        let analytic = t.grad ?? [Float](repeating: 0, count: t.count)
        var indices = Array(0..<t.count)
        if indices.count > maxElements { rng.shuffle(&indices); indices = Array(indices.prefix(maxElements)) }
        for i in indices {
            let x = t.data[i]
            t.data[i] = x + eps; let lp = loss()
            t.data[i] = x - eps; let lm = loss()
            t.data[i] = x
            let numeric = Float((lp - lm) / Double(2 * eps))
            let a = analytic[i]
            let ok = Swift.abs(a - numeric) <= atol + rtol * Swift.max(Swift.abs(a), Swift.abs(numeric))
            #expect(ok, "\(label): input \(n) element \(i): analytic \(a) vs numeric \(numeric)",
                    sourceLocation: sourceLocation)
            if !ok { return }
        }
    }
}

/// Random tensor with values in [lo, hi).
func rand(_ shape: [Int], _ lo: Float = -1, _ hi: Float = 1, seed: UInt64) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, lo, hi, using: &rng)
}

/// Random tensor whose values stay at least `gap` away from every point in `avoid` (for kinks).
func randAvoiding(_ shape: [Int], _ avoid: [Float], gap: Float = 0.05, seed: UInt64) -> Tensor {
    let t = rand(shape, seed: seed)
    for i in 0..<t.count {
        for p in avoid where Swift.abs(t.data[i] - p) < gap { t.data[i] = p + (t.data[i] >= p ? gap : -gap) * 2 }
    }
    return t
}

/// Random shapes of a given rank with small dimensions.
func randomShapes(rank: Int, count: Int, seed: UInt64) -> [[Int]] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in (0..<rank).map { _ in 1 + rng.nextInt(below: 4) } }
}
