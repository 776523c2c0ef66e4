import Foundation
import Testing
@testable import QVTensor

@Suite struct TrainingKitTests {
    @Test func adamWMatchesClosedFormSteps() {
        let p = Tensor(shape: [2], data: [1, -2], requiresGrad: true)
        p.name = "p"
        let opt = AdamW(groups: [ParameterGroup(name: "g", parameters: [p], learningRate: 0.1, weightDecay: 0.01)],
                        beta1: 0.9, beta2: 0.95, eps: 1e-8)
        // Reference in Double for two steps with constant gradient g.
        var w: [Double] = [1, -2], m: [Double] = [0, 0], v: [Double] = [0, 0]
        let g: [Double] = [0.5, -0.25]
        for t in 1...2 {
            p.grad = g.map(Float.init)
            opt.update()
            for i in 0..<2 {
                w[i] *= 1 - 0.1 * 0.01
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.95 * v[i] + 0.05 * g[i] * g[i]
                let mh = m[i] / (1 - Foundation.pow(0.9, Double(t))), vh = v[i] / (1 - Foundation.pow(0.95, Double(t)))
                w[i] -= 0.1 * mh / (vh.squareRoot() + 1e-8)
            }
        }
        for i in 0..<2 { #expect(Swift.abs(Double(p.data[i]) - w[i]) < 1e-6) }
    }

    @Test func groupsUseTheirOwnRates() {
        let a = Tensor(shape: [1], data: [0], requiresGrad: true), b = Tensor(shape: [1], data: [0], requiresGrad: true)
        let opt = AdamW(groups: [ParameterGroup(name: "a", parameters: [a], learningRate: 0.1),
                                 ParameterGroup(name: "b", parameters: [b], learningRate: 0.001)])
        a.grad = [1]; b.grad = [1]
        opt.update()  // first Adam step moves by lr·sign(g)
        #expect(Swift.abs(a.data[0] + 0.1) < 1e-6 && Swift.abs(b.data[0] + 0.001) < 1e-7)
    }

    @Test func optimizerStateRoundTrips() throws {
        let p = Tensor(shape: [3], data: [1, 2, 3], requiresGrad: true)
        p.name = "w"
        let opt = AdamW(groups: [ParameterGroup(name: "g", parameters: [p], learningRate: 0.01)])
        p.grad = [1, 2, 3]; opt.update()
        let state = opt.stateDict()
        let q = Tensor(shape: [3], data: p.data, requiresGrad: true)
        q.name = "w"
        let opt2 = AdamW(groups: [ParameterGroup(name: "g", parameters: [q], learningRate: 0.01)])
        try opt2.load(stateDict: state)
        p.grad = [0.5, 0.5, 0.5]; q.grad = [0.5, 0.5, 0.5]
        opt.update(); opt2.update()
        #expect(p.data == q.data)
        let bad = Tensor(shape: [2], data: [0, 0], requiresGrad: true)
        bad.name = "w"
        #expect(throws: OptimizerStateError.self) {
            try AdamW(groups: [ParameterGroup(name: "g", parameters: [bad], learningRate: 0.01)]).load(stateDict: state)
        }
    }

    @Test func cosineScheduleWithWarmup() {
        let s = CosineSchedule(totalSteps: 100, warmupFraction: 0.1)
        #expect(s.warmupSteps == 10)
        #expect(Swift.abs(s.factor(at: 0) - 0.1) < 1e-6)
        #expect(s.factor(at: 9) == 1)
        #expect(Swift.abs(s.factor(at: 55) - 0.5) < 1e-6)  // halfway through the cosine
        #expect(s.factor(at: 100) < 1e-6)
    }

    @Test func clippingScalesToMaxNorm() {
        let a = Tensor(shape: [2], data: [0, 0], requiresGrad: true), b = Tensor(shape: [1], data: [0], requiresGrad: true)
        a.grad = [3, 0]; b.grad = [4]
        let norm = clipGradientNorm([a, b], maxNorm: 1)
        #expect(norm == 5)
        #expect(Swift.abs(globalGradientNorm([a, b]) - 1) < 1e-5)
        a.grad = [Float.nan, 0]
        #expect(!clipGradientNorm([a, b], maxNorm: 1).isFinite)
    }

    @Test func randomGeneratorIsDeterministicAndUnbiased() {
        var r1 = SeededGenerator(seed: 42), r2 = SeededGenerator(seed: 42)
        #expect((0..<10).map { _ in r1.next() } == (0..<10).map { _ in r2.next() })
        var r = SeededGenerator(seed: 1)
        var counts = [Int](repeating: 0, count: 3)
        for _ in 0..<30_000 { counts[r.nextInt(below: 3)] += 1 }
        #expect(counts.allSatisfy { Swift.abs($0 - 10_000) < 400 })
        let normals = (0..<20_000).map { _ in r.normal() }
        let mean = normals.reduce(0, +) / 20_000
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20_000
        #expect(Swift.abs(mean) < 0.03 && Swift.abs(variance - 1) < 0.05)
    }
}
