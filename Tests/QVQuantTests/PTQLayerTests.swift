import Testing
import Foundation
@testable import QVModels
@testable import QVQuant
import QVTensor

@Suite struct PTQLayerTests {
    @Test func layerOutputErrorMatchesNaiveSums() {
        let estimate: [Float] = [1, 2, 3, 4, 5, 6], reference: [Float] = [1, 1, 3, 3, 6, 6]
        let e = LayerOutputError.compare(estimate, reference, columns: 2, groups: [0, 1, 0], groupCount: 2)
        // Rows: (1,2)/(1,1) → 1 of 2; (3,4)/(3,3) → 1 of 18; (5,6)/(6,6) → 1 of 72.
        #expect(Swift.abs(e.overall - 3.0 / 92) < 1e-12)
        #expect(Swift.abs(e.byGroup[0]! - 2.0 / 74) < 1e-12)
        #expect(Swift.abs(e.byGroup[1]! - 1.0 / 18) < 1e-12)
        #expect(Swift.abs(e.groupBalanced - (2.0 / 74 + 1.0 / 18) / 2) < 1e-12)
    }

    @Test func balancingFactorsMoveActivationOutliersIntoWeights() {
        let a: [Float] = [20, 1, 0.5, 4], w: [Float] = [0.1, 0.4, 2, 1]
        // α = 1: every balanced activation channel has max 1 (a_j / m_j = 1).
        for (aj, mj) in zip(a, ChannelBalancing.factors(activationAbsMax: a, weightAbsMax: w, alpha: 1)) {
            #expect(Swift.abs(aj / mj - 1) < 1e-5)
        }
        // α = 0.5: balanced activation and weight maxima meet at √(a·w).
        for ((aj, wj), mj) in zip(zip(a, w), ChannelBalancing.factors(activationAbsMax: a, weightAbsMax: w, alpha: 0.5)) {
            #expect(Swift.abs(aj / mj - (aj * wj).squareRoot()) < 1e-4)
            #expect(Swift.abs(wj * mj - (aj * wj).squareRoot()) < 1e-4)
        }
        // The outlier channel gets the largest divisor.
        let m = ChannelBalancing.factors(activationAbsMax: a, weightAbsMax: [1, 1, 1, 1], alpha: 0.5)
        #expect(m.firstIndex(of: m.max()!) == 0)
        // SVDQuant's λ = a^α / w^β in closed form.
        let l = SVDQuantLayer.smoothing(activationAbsMax: a, weightAbsMax: w, alpha: 0.75, beta: 0.25)
        for i in 0..<4 { #expect(Swift.abs(l[i] - Float(pow(Double(a[i]), 0.75) / pow(Double(w[i]), 0.25))) < 1e-4 * l[i]) }
    }

    @Test func alphaSearchPicksTheLowestErrorGridPoint() {
        let (base, cal) = PTQFixtures.layer()
        let spec = PTQFixtures.spec(4, 6)
        let options = ViDiTQOptions(alphas: [0, 0.5, 0.9], timestepAware: true)
        let choice = ChannelBalancing.search(base: base, calibration: cal, groupCount: 2, spec: spec, options: options)
        // Statistics: all, t0, t1, mean → 1 + 4 × 3 candidates.
        #expect(choice.grid.count == 13)
        let wMax = ChannelBalancing.columnAbsMax(base.weight.data, rows: base.outFeatures, cols: base.inFeatures)
        var recomputed: [Double] = []
        for c in choice.grid {
            let q = QuantizedLinear(base: base, spec: spec)
            if let alpha = c.alpha {
                let stat = ChannelBalancing.statistics(of: cal, timestepAware: true).first { $0.0 == c.statistic }!.1
                q.setInputTransform(base: base, smoothing: ChannelBalancing.factors(activationAbsMax: stat, weightAbsMax: wMax, alpha: alpha),
                                    hadamard: false)
            }
            recomputed.append(LayerOutputError.measure(q, base: base, rows: cal.sampleTensor, groups: cal.sampleGroups,
                                                       groupCount: 2).groupBalanced)
        }
        for (c, r) in zip(choice.grid, recomputed) { #expect(Swift.abs(c.error - r) <= 1e-12 * Swift.max(r, 1)) }
        #expect(choice.best.error == recomputed.min()!)
        // With a 20× outlier channel, balancing must beat the unbalanced layer.
        #expect(choice.best.alpha != nil && choice.best.error < choice.grid[0].error)
    }

    @Test func svdQuantGridPicksTheLowestErrorPoint() throws {
        let (base, cal) = PTQFixtures.layer(64, 40, seed: 3)
        let spec = PTQFixtures.spec(4, 6)
        let options = SVDQuantOptions(rank: 8, alphas: [0, 0.5, 1], betas: [0, 0.5], refinementIterations: 0)
        let r = try SVDQuantLayer.quantize(base: base, name: "t", calibration: cal, groupCount: 2, spec: spec, options: options)
        #expect(r.grid.count == 6)
        let wMax = ChannelBalancing.columnAbsMax(base.weight.data, rows: 40, cols: 64)
        for p in r.grid {
            let lambda = SVDQuantLayer.smoothing(activationAbsMax: cal.absMax, weightAbsMax: wMax, alpha: p.alpha, beta: p.beta)
            let wHat = SVDQuantLayer.smoothedWeight(base.weight.data, rows: 40, cols: 64, smoothing: lambda)
            let q = SVDQuantLayer.quantizer(base: base, spec: spec, smoothing: lambda,
                                            split: try SVDQuantLayer.split(wHat, full: wHat, rows: 40, cols: 64, rank: 8))
            let e = LayerOutputError.measure(q, base: base, rows: cal.sampleTensor, groups: cal.sampleGroups, groupCount: 2).overall
            #expect(Swift.abs(e - p.error) <= 1e-12 * Swift.max(e, 1))
        }
        let best = r.grid.min { $0.error < $1.error }!
        #expect(r.alpha == best.alpha && r.beta == best.beta && r.errorHistory == [best.error])
    }

    @Test(arguments: [nil, 16] as [Int?])
    func lowRankBranchStrictlyLowersWeightError(group: Int?) throws {
        let (base, cal) = PTQFixtures.layer(64, 48, seed: 5)
        let spec = PTQFixtures.spec(4, nil, group: group)
        let wMax = ChannelBalancing.columnAbsMax(base.weight.data, rows: 48, cols: 64)
        let lambda = SVDQuantLayer.smoothing(activationAbsMax: cal.absMax, weightAbsMax: wMax, alpha: 0.5, beta: 0.5)
        let wHat = SVDQuantLayer.smoothedWeight(base.weight.data, rows: 48, cols: 64, smoothing: lambda)
        // Quantizing Ŵ directly.
        let direct = QuantizedLinear(base: base, spec: spec)
        direct.setInputTransform(base: base, smoothing: lambda, hadamard: false)
        let directError = PTQFixtures.squaredDistance(withNoGrad { direct.quantizedWeight(base: base).data }, wHat)
        // L₁L₂ + Q(R).
        let split = try SVDQuantLayer.split(wHat, full: wHat, rows: 48, cols: 64, rank: 8)
        let q = SVDQuantLayer.quantizer(base: base, spec: spec, smoothing: lambda, split: split)
        let qr = SVDQuantLayer.quantizedResidual(q, base: base)
        var reconstructed = qr
        for i in 0..<48 { for k in 0..<8 { for j in 0..<64 {
            reconstructed[i * 64 + j] += split.l1[i * 8 + k] * split.l2[k * 64 + j]
        } } }
        let splitError = PTQFixtures.squaredDistance(reconstructed, wHat)
        #expect(splitError < directError)
        // L + R = Ŵ exactly (up to rounding).
        for i in 0..<(48 * 64) {
            var lr: Float = 0
            for k in 0..<8 { lr += split.l1[(i / 64) * 8 + k] * split.l2[k * 64 + i % 64] }
            #expect(Swift.abs(lr + split.residual[i] - wHat[i]) < 1e-4)
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func refinementNeverRaisesTheLayerOutputError(seed: UInt64) throws {
        let (base, cal) = PTQFixtures.layer(64, 32, seed: seed)
        let spec = PTQFixtures.spec(4, 4)
        let options = SVDQuantOptions(rank: 4, alphas: [0.5], betas: [0.5], refinementIterations: 6)
        let r = try SVDQuantLayer.quantize(base: base, name: "t", calibration: cal, groupCount: 2, spec: spec, options: options)
        for (a, b) in zip(r.errorHistory, r.errorHistory.dropFirst()) { #expect(b < a) }
        let final = LayerOutputError.measure(r.quantizer, base: base, rows: cal.sampleTensor, groups: cal.sampleGroups,
                                             groupCount: 2).overall
        #expect(Swift.abs(final - r.errorHistory.last!) <= 1e-12 * final)
        #expect(final <= r.grid[0].error)
        #expect(r.rank == 4 && r.quantizer.lowRank?.l1.shape == [32, 4])
    }

    @Test func rankNeverExceedsTheLayerShape() throws {
        let (base, cal) = PTQFixtures.layer(16, 8, seed: 9)
        let r = try SVDQuantLayer.quantize(base: base, name: "t", calibration: cal, groupCount: 2, spec: PTQFixtures.spec(4, 6),
                                           options: SVDQuantOptions(rank: 32, alphas: [0.5], betas: [0.5], refinementIterations: 1))
        #expect(r.rank == 8)
        #expect(r.quantizer.lowRank?.l2.shape == [8, 16])
    }

    @Test(arguments: [(true, false), (true, true), (false, true)])
    func searchCandidatesMatchTheInstalledLayerBitForBit(smooth: Bool, hadamard: Bool) throws {
        let (base, cal) = PTQFixtures.layer(64, 24, seed: 4)
        let spec = PTQFixtures.spec(4, 6, group: 32)
        let wMax = ChannelBalancing.columnAbsMax(base.weight.data, rows: 24, cols: 64)
        let m = smooth ? ChannelBalancing.factors(activationAbsMax: cal.absMax, weightAbsMax: wMax, alpha: 0.6) : nil
        let q = QuantizedLinear(base: base, spec: spec)
        q.setInputTransform(base: base, smoothing: m, hadamard: hadamard)
        let c = CandidateLayer(base: base, spec: spec, smoothing: m, rotation: hadamard ? CandidateLayer.rotationMatrix(64) : nil,
                               latent: CandidateLayer.fold(base, smoothing: m, hadamard: hadamard))
        let x = cal.sampleTensor
        let (a, b) = withNoGrad { (q.forward(x, base: base).data, c.forward(x, base: base).data) }
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        // With a low-rank branch and a replaced folded weight (SVDQuant's layout).
        let wHat = SVDQuantLayer.smoothedWeight(base.weight.data, rows: 24, cols: 64, smoothing: m ?? [Float](repeating: 1, count: 64))
        let split = try SVDQuantLayer.split(wHat, full: wHat, rows: 24, cols: 64, rank: 3)
        let sq = SVDQuantLayer.quantizer(base: base, spec: spec, smoothing: m ?? [Float](repeating: 1, count: 64), split: split)
        let sc = CandidateLayer(base: base, spec: spec, smoothing: m ?? [Float](repeating: 1, count: 64), rotation: nil,
                                latent: split.residual, lowRank: (Tensor(shape: [24, 3], data: split.l1), Tensor(shape: [3, 64], data: split.l2)))
        let (u, v) = withNoGrad { (sq.forward(x, base: base).data, sc.forward(x, base: base).data) }
        #expect(u.map(\.bitPattern) == v.map(\.bitPattern))
    }
}
