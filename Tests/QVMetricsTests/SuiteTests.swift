import Testing
import QVMedia
@testable import QVMetrics

@Suite struct MetricSuiteTests {
    @Test func allEightDimensionsWithExpectationAndClassifier() throws {
        let classifier = try CaptionedClip.sceneTraining()
        let item = CaptionedClip.make(count: 1, seed: 8)[0]
        let scores = try MetricSuite().evaluate(item.clip, expectation: item.expectation, sceneClassifier: classifier)
        #expect(Set(scores.keys) == Set(Dimension.allCases))
        for (_, value) in scores { #expect(value >= 0 && value <= 1) }
    }

    @Test func dimensionsNeedingCaptionsAreOmittedNotZero() throws {
        let clip = SyntheticClips.staticClip(frames: 4, size: 16)
        let scores = try MetricSuite().evaluate(clip)
        #expect(scores[.scene] == nil && scores[.overallConsistency] == nil)
        #expect(scores.count == 6)
        let report = try MetricSuite().report([.init(name: "a", clip: clip)])
        #expect(report.summary.values[.scene] == nil)
        #expect(!report.csv().contains("scene"))
        #expect(!report.json().contains("overall_consistency"))
    }

    @Test func tooFewFramesThrowsNamedError() throws {
        let one = SyntheticClips.staticClip(frames: 1, size: 16)
        #expect(throws: MetricsError.tooFewFrames(dimension: "clip.mp4: subject_consistency", frames: 1, needed: 2)) {
            try MetricSuite(dimensions: [.subjectConsistency]).evaluateRow(one, name: "clip.mp4")
        }
        let two = SyntheticClips.staticClip(frames: 2, size: 16)
        #expect(throws: MetricsError.tooFewFrames(dimension: "motion_smoothness", frames: 2, needed: 3)) {
            try MetricSuite(dimensions: [.motionSmoothness]).evaluate(two)
        }
        // Single-frame dimensions still work on one frame.
        #expect(try MetricSuite(dimensions: [.imagingQuality, .aestheticQuality]).evaluate(one).count == 2)
        let empty = VideoClip(frameCount: 0, height: 4, width: 4)
        #expect(throws: MetricsError.noFrames(what: "empty")) {
            try MetricSuite().evaluateRow(empty, name: "empty")
        }
        #expect(MetricsError.tooFewFrames(dimension: "x", frames: 1, needed: 3).description.contains("at least 3"))
    }
}

@Suite struct MetricReportTests {
    static func sampleReport() -> MetricReport {
        let a = VideoMetricRow(video: "clip, one.mp4", scores: [.imagingQuality: 0.5, .subjectConsistency: 0.9],
                               frameWeights: [.subjectConsistency: 3])
        let b = VideoMetricRow(video: "two", scores: [.imagingQuality: 0.25, .subjectConsistency: 1.0],
                               frameWeights: [.subjectConsistency: 1])
        return MetricReport(rows: [a, b], summary: MetricSummary(rows: [a, b]), fvd: 1.5)
    }

    @Test func csvHasHeaderRowsAndSummary() {
        let lines = Self.sampleReport().csv().split(separator: "\n").map(String.init)
        #expect(lines[0] == "video,imaging_quality,subject_consistency,dynamic_pair_ratio,fvd")
        #expect(lines[1] == "\"clip, one.mp4\",50.0,90.0,,")
        #expect(lines[2] == "two,25.0,100.0,,")
        // Subject consistency is frame-weighted: (0.9·3 + 1·1)/4 = 0.925.
        #expect(lines[3].hasPrefix("summary,37.5,92.5"))
        #expect(lines[3].hasSuffix(",1.5"))
    }

    @Test func markdownAndJSON() {
        let report = Self.sampleReport()
        let md = report.markdown()
        #expect(md.contains("| Video | Imaging | Subject cons. |"))
        #expect(md.contains("| **Summary** | **37.50** | **92.50** |"))
        #expect(md.contains("FVD-style distance to the reference set: 1.50"))
        let json = report.json()
        #expect(json.hasPrefix("{\"videos\":[{\"video\":\"clip, one.mp4\",\"scores\":{\"imaging_quality\":50.0,\"subject_consistency\":90.0}}"))
        #expect(json.contains("\"summary\":{\"imaging_quality\":37.5,\"subject_consistency\":92.5}"))
        #expect(json.contains("\"fvd\":1.5"))
        #expect(report.formatted(.md) == md)
    }

    @Test func numberFormatting() {
        #expect(fixed2(97.434) == "97.43")
        #expect(fixed2(0.005) == "0.01")
        #expect(fixed2(-1.5) == "-1.50")
        #expect(fixed2(100) == "100.00")
        #expect(jsonString("a\"b\\c\n") == "\"a\\\"b\\\\c\\n\"")
    }
}

@Suite struct RobustnessTests {
    /// Tiny, odd-sized and non-square clips run through every dimension with scores in [0, 1].
    @Test(arguments: [(2, 3), (5, 7), (9, 4), (17, 33)])
    func oddSizesGiveScoresInRange(height: Int, width: Int) throws {
        var pixels = [UInt8](repeating: 0, count: 5 * height * width * 3)
        for i in pixels.indices { pixels[i] = UInt8((i &* 37 &+ (i / (height * width * 3)) &* 11) & 0xFF) }
        let clip = VideoClip(frameCount: 5, height: height, width: width, pixels: pixels)
        let expectation = ClipExpectation(objectColour: NamedColour.basicPalette[0], motion: .stationary)
        let scores = try MetricSuite().evaluate(clip, expectation: expectation)
        #expect(scores.count == 7)
        for (d, v) in scores { #expect(v >= 0 && v <= 1, "\(d) = \(v)") }
    }

    /// VBench samples frames every round(fps/8) frames and scales the threshold by max(1, 8/fps).
    @Test func frameSamplingAndThresholdFollowFPS() {
        var clip = SyntheticClips.staticClip(frames: 12, size: 16)
        clip.fps = 24
        #expect(DynamicDegree.sampledFrames(clip) == [0, 3, 6, 9])
        #expect(DynamicDegree.threshold(clip) == 6.0 * 16 / 256)
        clip.fps = 4
        #expect(DynamicDegree.sampledFrames(clip) == Array(0..<12))
        #expect(DynamicDegree.threshold(clip) == 2 * 6.0 * 16 / 256)
        clip.fps = 12  // round(1.5) = 2 (ties to even)
        #expect(DynamicDegree.sampledFrames(clip) == [0, 2, 4, 6, 8, 10])
    }
}

@Suite struct ReportFVDTests {
    /// The report's FVD (flows shared with the dimensions) equals the standalone computation.
    @Test func reportFVDMatchesStandalone() throws {
        let clips = (0..<3).map { SyntheticClips.translatingTexture(frames: 4, size: 16, vx: Double($0) * 0.5, vy: 0, seed: UInt64(70 + $0)) }
        let reference = (0..<3).map { SyntheticClips.translatingTexture(frames: 4, size: 16, vx: 1, vy: 0.5, seed: UInt64(80 + $0)) }
        let report = try MetricSuite(dimensions: [.dynamicDegree])
            .report(clips.enumerated().map { .init(name: "c\($0)", clip: $1) }, fvdReference: reference)
        let standalone = try FrechetVideoDistance.distance(generated: clips, reference: reference)
        let fvd = try #require(report.fvd)
        #expect(abs(fvd - standalone) <= 1e-12 * max(1, standalone))
        #expect(standalone > 0)
    }
}
