import Testing
import QVMedia
@testable import QVMetrics

@Suite struct ConsistencyTests {
    @Test func identicalFramesScoreExactlyOne() throws {
        for clip in [SyntheticClips.staticClip(frames: 6, size: 32),
                     SyntheticClips.shape(frames: 1, size: 32, colour: [200, 30, 30], vx: 0, vy: 0, background: .grass)
                        .selecting(frames: [0, 0, 0, 0])] {
            let scores = try MetricSuite(dimensions: [.subjectConsistency, .backgroundConsistency]).evaluate(clip)
            #expect(scores[.subjectConsistency] == 1)
            #expect(scores[.backgroundConsistency] == 1)
            let report = try MetricSuite(dimensions: [.subjectConsistency, .backgroundConsistency])
                .report([.init(name: "a", clip: clip), .init(name: "b", clip: clip)])
            #expect(report.summary.values[.subjectConsistency] == 100)
            #expect(report.summary.values[.backgroundConsistency] == 100)
        }
    }

    @Test func changingContentLowersConsistency() throws {
        let night = SyntheticClips.shape(frames: 4, size: 32, colour: [220, 40, 40], vx: 1, vy: 0, background: .nightSky)
        let day = SyntheticClips.shape(frames: 4, size: 32, colour: [40, 80, 220], vx: 0, vy: 1, background: .daySky, square: true)
        let mixed = VideoClip(frameCount: 8, height: 32, width: 32, pixels: night.pixels + day.pixels)
        let suite = MetricSuite(dimensions: [.subjectConsistency, .backgroundConsistency])
        let smooth = try suite.evaluate(night)
        let cut = try suite.evaluate(mixed)
        #expect(cut[.subjectConsistency]! < smooth[.subjectConsistency]! - 0.1)
        #expect(cut[.backgroundConsistency]! < smooth[.backgroundConsistency]! - 0.1)
    }

    /// VBench's formula applied by hand to given feature vectors.
    @Test func scoreFollowsVBenchFormula() {
        let mean = [0.0, 0.0, 0.0]
        let features = [[1.0, 0, 0], [1, 1, 0], [0, 1, 0], [-1, 0, 0]]
        let s = TemporalConsistency.score(features: features, referenceMean: mean)
        let r = 0.5.squareRoot()
        // i=1: prev cos 1/√2, first cos 1/√2; i=2: prev 1/√2, first 0; i=3: prev 0 (−0 clamp), first max(0,−1)=0.
        let expected = (r + r) / 2 + (r + 0) / 2 + 0
        #expect(abs(s.sum - expected) < 1e-12)
        #expect(s.count == 3)
    }

    /// Frame-weighted aggregation: Σ over videos of Σ s_i, divided by Σ (T − 1), as VBench.
    @Test func summaryIsFrameWeighted() throws {
        let a = VideoMetricRow(video: "a", scores: [.subjectConsistency: 1.0, .imagingQuality: 0.2],
                               frameWeights: [.subjectConsistency: 15])
        let b = VideoMetricRow(video: "b", scores: [.subjectConsistency: 0.5, .imagingQuality: 0.6],
                               frameWeights: [.subjectConsistency: 5])
        let summary = MetricSummary(rows: [a, b])
        let expected: Double = 100 * (15 * 1.0 + 5 * 0.5) / 20
        let subject = try #require(summary.values[.subjectConsistency])
        let imaging = try #require(summary.values[.imagingQuality])
        #expect(abs(subject - expected) < 1e-9)
        #expect(abs(imaging - 40) < 1e-9)
    }
}
