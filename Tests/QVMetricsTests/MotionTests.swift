import Testing
import QVMedia
import QVTensor
@testable import QVMetrics

@Suite struct MotionSmoothnessTests {
    @Test func staticUInt8ClipScoresExactlyOne() throws {
        let clip = SyntheticClips.staticClip(frames: 7, size: 32)
        #expect(try MetricSuite(dimensions: [.motionSmoothness]).evaluate(clip)[.motionSmoothness] == 1)
    }

    @Test func shuffledFramesLowerSmoothness() throws {
        let suite = MetricSuite(dimensions: [.motionSmoothness])
        for (vx, vy) in [(1.0, 0.5), (2.0, 0.0)] {
            let clip = SyntheticClips.translatingTexture(frames: 9, size: 32, vx: vx, vy: vy, seed: 5)
            let smooth = try suite.evaluate(clip)[.motionSmoothness]!
            let shuffled = try suite.evaluate(clip.selecting(frames: [0, 5, 2, 7, 4, 1, 6, 3, 8]))[.motionSmoothness]!
            #expect(smooth > 0.97, "linear motion should interpolate well, got \(smooth)")
            #expect(shuffled < smooth - 0.01, "shuffled \(shuffled) vs ordered \(smooth)")
        }
    }

    /// The interpolation error of a clip against an independent scalar computation for zero flow:
    /// Î = trunc((I₀ + I₂)/2), error = mean |I₁ − Î|.
    @Test func zeroFlowInterpolationMatchesScalarReference() {
        var rng = SeededGenerator(seed: 9)
        let n = 3 * 4 * 5 * 3
        let pixels = (0..<n).map { _ in UInt8(rng.nextInt(below: 256)) }
        let clip = VideoClip(frameCount: 3, height: 4, width: 5, pixels: pixels)
        let zero = FlowField(width: 5, height: 4)
        let got = MotionSmoothness.meanAbsoluteError(clip: clip, before: 0, after: 2, target: 1, flow: zero)
        var total = 0
        for i in 0..<(4 * 5 * 3) {
            let mid = (Int(pixels[i]) + Int(pixels[2 * 60 + i])) / 2
            total += abs(mid - Int(pixels[60 + i]))
        }
        #expect(got == Double(total) / 60)
    }
}

@Suite struct DynamicDegreeTests {
    @Test func staticClipIsNotDynamic() throws {
        let clip = SyntheticClips.staticClip(frames: 8, size: 32)
        let row = try MetricSuite(dimensions: [.dynamicDegree]).evaluateRow(clip, name: "static")
        #expect(row.scores[.dynamicDegree] == 0)
        #expect(row.dynamicDegree!.pairScores.allSatisfy { $0 == 0 })
    }

    /// Threshold at 48 px is 6·48/256 = 1.125 px; translations 20% below and above it flip the decision.
    @Test(arguments: [(0.8, false), (0.9, false), (1.4, true), (2.5, true)])
    func decisionFlipsAtThreshold(speedFactor: Double, dynamic: Bool) throws {
        let size = 48
        let threshold = 6.0 * Double(size) / 256
        let v = speedFactor * threshold
        let clip = SyntheticClips.translatingTexture(frames: 5, size: size, vx: v * 0.8, vy: v * 0.6, seed: 11)
        let row = try MetricSuite(dimensions: [.dynamicDegree]).evaluateRow(clip, name: "t")
        let result = try #require(row.dynamicDegree)
        #expect(result.threshold == threshold)
        #expect(result.isDynamic == dynamic, "speed \(v), pair scores \(result.pairScores)")
        for s in result.pairScores { #expect(abs(s - v) <= 0.15 * v, "top-5% magnitude \(s) for speed \(v)") }
    }

    /// VBench's count rule uses Python's round (ties to even) on 4·T/16.
    @Test func requiredPairsUsesRoundHalfEven() {
        #expect(roundHalfEven(4 * 2 / 16.0) == 0)   // 0.5 → 0
        #expect(roundHalfEven(4 * 6 / 16.0) == 2)   // 1.5 → 2
        #expect(roundHalfEven(4 * 10 / 16.0) == 2)  // 2.5 → 2
        #expect(roundHalfEven(4 * 14 / 16.0) == 4)  // 3.5 → 4
        #expect(roundHalfEven(4 * 16 / 16.0) == 4)
        #expect(roundHalfEven(4 * 8 / 16.0) == 2)
    }

    /// A clip that moves in only one of its pairs: with T = 8 frames, round(2) = 2 pairs are needed.
    @Test func oneMovingPairOfSevenIsNotEnough() throws {
        let moving = SyntheticClips.translatingTexture(frames: 2, size: 32, vx: 2.5, vy: 0, seed: 4)
        let clip = moving.selecting(frames: [0, 0, 0, 0, 1, 1, 1, 1])
        let row = try MetricSuite(dimensions: [.dynamicDegree]).evaluateRow(clip, name: "one")
        let result = try #require(row.dynamicDegree)
        #expect(result.requiredPairs == 2)
        #expect(result.pairScores.filter { $0 > result.threshold }.count == 1)
        #expect(!result.isDynamic)
        #expect(abs(result.movingPairRatio - 1.0 / 7) < 1e-12)
    }

    @Test func topFractionMeanMatchesSortedReference() {
        var rng = SeededGenerator(seed: 3)
        let values = (0..<1000).map { _ in rng.nextFloat() * 10 }
        let top = values.sorted().suffix(50)
        let expected = top.map(Double.init).reduce(0, +) / 50
        #expect(abs(DynamicDegree.meanOfTopFraction(values, fraction: 0.05) - expected) < 1e-9)
    }
}
