import Testing
import QVMedia
import QVTensor
@testable import QVMetrics

@Suite struct FrechetDistanceTests {
    /// In one dimension with many samples (no shrinkage needed) FD = (μ₁ − μ₂)² + (σ₁ − σ₂)².
    @Test func oneDimensionalClosedForm() throws {
        var rng = SeededGenerator(seed: 3)
        let x = (0..<400).map { _ in [Double(rng.normal())] }
        let y = (0..<400).map { _ in [2 + 3 * Double(rng.normal())] }
        let gx = try FeatureGaussian(features: x), gy = try FeatureGaussian(features: y)
        #expect(gx.shrinkage == 0 && gy.shrinkage == 0)  // a 1×1 covariance is already a scaled identity
        let sx = gx.covariance[0].squareRoot(), sy = gy.covariance[0].squareRoot()
        let expected = (gx.mean[0] - gy.mean[0]) * (gx.mean[0] - gy.mean[0]) + (sx - sy) * (sx - sy)
        #expect(abs(try gx.frechetDistance(to: gy) - expected) < 1e-9)
    }

    /// Diagonal covariances: FD = |Δμ|² + Σ (√a_i − √b_i)².
    @Test func diagonalCovariancesClosedForm() throws {
        let d = 3
        var rng = SeededGenerator(seed: 5)
        let scalesA = [1.0, 2.0, 0.5], scalesB = [3.0, 1.0, 0.25]
        let xa = (0..<3000).map { _ in (0..<d).map { scalesA[$0] * Double(rng.normal()) } }
        let xb = (0..<3000).map { _ in (0..<d).map { 1 + scalesB[$0] * Double(rng.normal()) } }
        let ga = try FeatureGaussian(features: xa), gb = try FeatureGaussian(features: xb)
        // Independent check on the fitted (nearly diagonal) matrices through a different route:
        // eigenvalues of Σa^½ Σb Σa^½ for commuting diagonal parts are a_i b_i.
        var expected = 0.0
        for i in 0..<d {
            expected += (ga.mean[i] - gb.mean[i]) * (ga.mean[i] - gb.mean[i])
            let a = ga.covariance[i * d + i], b = gb.covariance[i * d + i]
            expected += (a.squareRoot() - b.squareRoot()) * (a.squareRoot() - b.squareRoot())
        }
        #expect(abs(try ga.frechetDistance(to: gb) - expected) < 0.02 * expected)
    }

    @Test func selfDistanceIsZeroWithShrinkage() throws {
        let clips = (0..<6).map { SyntheticClips.translatingTexture(frames: 6, size: 24, vx: Double($0) * 0.4, vy: 0.3, seed: UInt64(40 + $0)) }
        let features = clips.map { FrechetVideoDistance.features($0) }
        #expect(features[0].count == FrechetVideoDistance.featureCount)
        let g = try FeatureGaussian(features: features)
        #expect(g.shrinkage > 0 && g.shrinkage <= 1)
        var trace = 0.0
        for i in 0..<g.dimension { trace += g.covariance[i * g.dimension + i] }
        #expect(try g.frechetDistance(to: g) <= 1e-9 * max(trace, 1e-12))
        #expect(try FrechetVideoDistance.distance(generated: clips, reference: clips) <= 1e-9 * max(trace, 1e-12))
    }

    @Test func emptySetsThrow() {
        let clip = SyntheticClips.staticClip(frames: 2, size: 8)
        #expect(throws: MetricsError.emptySet(what: "FVD generated clips")) {
            try FrechetVideoDistance.distance(generated: [], reference: [clip])
        }
    }

    /// Reference set vs. the same clips degraded more and more: the distance grows at every step.
    @Test func growsWithNoiseBlurAndShuffling() throws {
        var reference: [VideoClip] = []
        for i in 0..<8 {
            let colour: [UInt8] = [UInt8(60 + 20 * i), 200, UInt8(200 - 20 * i)]
            let vx: Double = Double(i % 4) * 0.5 - 0.5
            let background = SyntheticClips.Background.allCases[i % 4]
            reference.append(SyntheticClips.shape(frames: 8, size: 24, colour: colour, vx: vx, vy: 0.7,
                                                  background: background, seed: UInt64(60 + i)))
        }
        let referenceGaussian = try FeatureGaussian(features: reference.map { FrechetVideoDistance.features($0) })
        func distance(_ clips: [VideoClip]) throws -> Double {
            try FeatureGaussian(features: clips.map { FrechetVideoDistance.features($0) }).frechetDistance(to: referenceGaussian)
        }
        let noise = try [0.0, 4, 12, 30].map { s in try distance(reference.enumerated().map { SyntheticClips.addingNoise($1, sigma: s, seed: UInt64($0)) }) }
        let blur = try [Float(0), 0.8, 1.5, 3].map { s in try distance(reference.map { SyntheticClips.blurred($0, sigma: s) }) }
        var rng = SeededGenerator(seed: 12)
        let shuffle = try [1, 2, 4, 8].map { window -> Double in
            try distance(reference.map { clip in
                var order = Array(0..<clip.frameCount)
                for start in stride(from: 0, to: order.count, by: window) {
                    var part = Array(order[start..<min(start + window, order.count)])
                    // A reversed window is the strongest reordering of that window; shuffling it keeps variety.
                    part.reverse()
                    rng.shuffle(&part)
                    order.replaceSubrange(start..<min(start + window, order.count), with: part)
                }
                return clip.selecting(frames: order)
            })
        }
        for ladder in [noise, blur, shuffle] {
            #expect(ladder[0] < 1e-9, "\(ladder)")
            #expect(zip(ladder, ladder.dropFirst()).allSatisfy { $0 < $1 }, "\(ladder)")
        }
    }
}

@Suite struct FeatureGaussianInputTests {
    @Test func raggedFeaturesAndMismatchedGaussiansThrow() throws {
        #expect(throws: MetricsError.featureLengthMismatch(what: "Fréchet distance feature set", expected: 2, got: 3)) {
            try FeatureGaussian(features: [[1, 2], [1, 2, 3]])
        }
        let a = try FeatureGaussian(features: [[1, 2], [2, 3]]), b = try FeatureGaussian(features: [[1], [2]])
        #expect(throws: MetricsError.self) { try a.frechetDistance(to: b) }
    }
}
