import QVMedia

/// One video's measurements: scores in [0, 1] per dimension, plus what the summary needs to aggregate
/// exactly like VBench (frame weights) and the diagnostics behind two of the dimensions.
public struct VideoMetricRow: Sendable, Hashable {
    public var video: String
    /// Per-dimension score in [0, 1]; a dimension that could not be measured (no expectation or
    /// classifier) is absent, not zero.
    public var scores: [Dimension: Double]
    /// For frame-weighted dimensions: how many frame terms the score averages (T − 1 or T).
    public var frameWeights: [Dimension: Int]
    public var dynamicDegree: DynamicDegreeResult?
    public var overallConsistency: OverallConsistencyResult?
}

/// The metric suite: measures clips on the VBench dimensions (DESIGN §8).
///
/// Usage: `try MetricSuite().evaluate(clip, expectation: e, sceneClassifier: c)` gives
/// `[Dimension: Double]`; `report(_:)` measures many clips and aggregates them like VBench.
public struct MetricSuite: Sendable {
    public var dimensions: [Dimension]
    public var flowParameters: OpticalFlowParameters

    public init(dimensions: [Dimension] = Dimension.allCases, flowParameters: OpticalFlowParameters = OpticalFlowParameters()) {
        self.dimensions = dimensions
        self.flowParameters = flowParameters
    }

    /// Scores in [0, 1] for the suite's dimensions. Scene needs an expected scene and a classifier;
    /// overall consistency needs an expectation with at least one checkable field; otherwise they are
    /// omitted. Throws when the clip has too few frames for a requested dimension.
    public func evaluate(_ clip: VideoClip, expectation: ClipExpectation? = nil,
                         sceneClassifier: SceneClassifier? = nil) throws -> [Dimension: Double] {
        try evaluateRow(clip, name: "", expectation: expectation, sceneClassifier: sceneClassifier).scores
    }

    /// Like `evaluate`, keeping the frame weights and diagnostics for aggregation and reports.
    public func evaluateRow(_ clip: VideoClip, name: String, expectation: ClipExpectation? = nil,
                            sceneClassifier: SceneClassifier? = nil) throws -> VideoMetricRow {
        var cache = ClipFlowCache(clip: clip, parameters: flowParameters)
        return try evaluateRow(cache: &cache, name: name, expectation: expectation, sceneClassifier: sceneClassifier)
    }

    func evaluateRow(cache: inout ClipFlowCache, name: String, expectation: ClipExpectation?,
                     sceneClassifier: SceneClassifier?) throws -> VideoMetricRow {
        let clip = cache.clip
        for d in dimensions where clip.frameCount < d.minimumFrames {
            if clip.frameCount == 0 { throw MetricsError.noFrames(what: name.isEmpty ? d.rawValue : name) }
            throw MetricsError.tooFewFrames(dimension: name.isEmpty ? d.rawValue : "\(name): \(d.rawValue)",
                                            frames: clip.frameCount, needed: d.minimumFrames)
        }
        var row = VideoMetricRow(video: name, scores: [:], frameWeights: [:])
        for d in dimensions {
            switch d {
            case .subjectConsistency:
                let s = TemporalConsistency.score(features: TemporalConsistency.subjectFeatures(clip),
                                                  referenceMean: ReferenceFrames.subjectMean)
                row.scores[d] = s.sum / Double(s.count)
                row.frameWeights[d] = s.count
            case .backgroundConsistency:
                let s = TemporalConsistency.score(features: TemporalConsistency.backgroundFeatures(clip),
                                                  referenceMean: ReferenceFrames.backgroundMean)
                row.scores[d] = s.sum / Double(s.count)
                row.frameWeights[d] = s.count
            case .motionSmoothness:
                row.scores[d] = MotionSmoothness.score(cache: &cache)
            case .dynamicDegree:
                let result = DynamicDegree.evaluate(cache: &cache)
                row.scores[d] = result.isDynamic ? 1 : 0
                row.dynamicDegree = result
            case .imagingQuality:
                row.scores[d] = ImagingQuality.score(clip)
            case .aestheticQuality:
                row.scores[d] = AestheticQuality.score(clip)
            case .scene:
                guard let expected = expectation?.scene, let sceneClassifier else { continue }
                let s = SceneConsistency.hits(clip, expected: expected, classifier: sceneClassifier)
                row.scores[d] = Double(s.hits) / Double(s.frames)
                row.frameWeights[d] = s.frames
            case .overallConsistency:
                guard let expectation else { continue }
                let result = OverallConsistency.evaluate(cache: &cache, expectation: expectation, classifier: sceneClassifier)
                if let score = result.score {
                    row.scores[d] = score
                    row.overallConsistency = result
                }
            }
        }
        return row
    }

    /// The classical terms behind the imaging-quality score of one frame, for diagnostics.
    public static func imagingQualityTerms(_ clip: VideoClip, frame t: Int) -> ImagingQualityTerms {
        ImagingQuality.terms(clip, frame: t)
    }

    /// One clip to measure, with its name and (optional) caption expectation.
    public struct Input: Sendable {
        public var name: String
        public var clip: VideoClip
        public var expectation: ClipExpectation?
        public init(name: String, clip: VideoClip, expectation: ClipExpectation? = nil) {
            self.name = name
            self.clip = clip
            self.expectation = expectation
        }
    }

    /// Measures every input and aggregates. When `fvdReference` is given (and not empty), the report
    /// also carries the FVD-style distance of the inputs' clips to it.
    public func report(_ inputs: [Input], sceneClassifier: SceneClassifier? = nil,
                       fvdReference: [VideoClip] = []) throws -> MetricReport {
        var rows: [VideoMetricRow] = []
        var features: [[Double]] = []
        let wantFVD = !fvdReference.isEmpty && !inputs.isEmpty
        for input in inputs {
            // One flow cache per clip serves the dimensions and the FVD features.
            var cache = ClipFlowCache(clip: input.clip, parameters: flowParameters)
            rows.append(try evaluateRow(cache: &cache, name: input.name, expectation: input.expectation,
                                        sceneClassifier: sceneClassifier))
            if wantFVD { features.append(FrechetVideoDistance.features(cache: &cache)) }
        }
        var fvd: Double?
        if wantFVD {
            let reference = try FeatureGaussian(features: fvdReference.map {
                FrechetVideoDistance.features($0, flowParameters: flowParameters)
            })
            fvd = try FeatureGaussian(features: features).frechetDistance(to: reference)
        }
        return MetricReport(rows: rows, summary: MetricSummary(rows: rows), fvd: fvd)
    }
}

/// Per-dimension aggregate over videos, ×100 as VBench and the paper report it.
public struct MetricSummary: Sendable, Hashable {
    /// Aggregate ×100: frame-weighted for subject, background and scene consistency, the mean of
    /// per-video scores otherwise (VBench's rules). Dimensions no video measured are absent.
    public var values: [Dimension: Double]
    /// Videos that contributed to each dimension.
    public var videoCounts: [Dimension: Int]
    /// Mean over videos of the fraction of frame pairs above the dynamic threshold, ×100.
    public var dynamicPairRatio: Double?

    public init(rows: [VideoMetricRow]) {
        var values: [Dimension: Double] = [:], counts: [Dimension: Int] = [:]
        for d in Dimension.allCases {
            let measured = rows.filter { $0.scores[d] != nil }
            guard !measured.isEmpty else { continue }
            if d.isFrameWeighted {
                var sum = 0.0, weight = 0
                for r in measured {
                    let w = r.frameWeights[d] ?? 1
                    sum += r.scores[d]! * Double(w)
                    weight += w
                }
                values[d] = weight > 0 ? 100 * sum / Double(weight) : nil
            } else {
                values[d] = 100 * measured.map { $0.scores[d]! }.reduce(0, +) / Double(measured.count)
            }
            counts[d] = measured.count
        }
        self.values = values
        videoCounts = counts
        let ratios = rows.compactMap { $0.dynamicDegree?.movingPairRatio }
        dynamicPairRatio = ratios.isEmpty ? nil : 100 * ratios.reduce(0, +) / Double(ratios.count)
    }
}
