import Testing
import QVMedia
@testable import QVData

@Suite struct DatasetTests {
    func words(of captions: [Caption]) -> Set<String> { Set(captions.flatMap(\.words)) }

    @Test func evaluationSuiteIsFixedSizedAndCoversEveryAttribute() {
        let suite = MotionShapesPrompts.evaluationSuite
        #expect(suite.count == 48)
        #expect(Set(suite.map(\.caption)).count == 48)
        #expect(Set(suite.map(\.id)).count == 48 && suite[0].id == "ms00" && suite[47].id == "ms47")
        #expect(suite.allSatisfy { $0.seeds.count == 5 && Set($0.seeds).count == 5 && $0.caption.isCheckable })
        for prefix in [24, 48] {
            let captions = suite.prefix(prefix).map(\.caption)
            let primaries = captions.map(\.primary)
            #expect(Set(primaries.map(\.colour)) == Set(ColourName.allCases), "prefix \(prefix)")
            #expect(Set(primaries.map(\.shape)) == Set(ShapeKind.allCases), "prefix \(prefix)")
            #expect(Set(primaries.map(\.motion)) == Set(MotionKind.allCases), "prefix \(prefix)")
            #expect(Set(captions.map(\.scene)) == Set(SceneKind.allCases), "prefix \(prefix)")
        }
        #expect(suite.filter { $0.caption.secondary != nil }.count == 8)
        #expect(suite.filter { $0.caption.pan != nil }.count == 6)
        #expect(words(of: suite.map(\.caption)) == Set(Vocabulary.words))
    }

    @Test func trainingCaptionsExcludeEvaluationCaptionsAndCoverTheVocabulary() throws {
        let eval = MotionShapesPrompts.evaluationCaptions
        for (count, seed) in [(4096, UInt64(0)), (300, UInt64(7))] {
            let train = try MotionShapesPrompts.trainingCaptions(count: count, seed: seed)
            #expect(train.count == count)
            #expect(train.allSatisfy { !eval.contains($0) && $0.isCheckable })
            #expect(words(of: train) == Set(Vocabulary.words))
            // Balanced columns: each colour/scene appears count/values times, give or take re-draws.
            for colour in ColourName.allCases {
                let n = train.filter { $0.primary.colour == colour }.count
                #expect(abs(n - count / 8) <= max(3, count / 100), "\(colour): \(n)")
            }
            for scene in SceneKind.allCases {
                #expect(abs(train.filter { $0.scene == scene }.count - count / 6) <= 1)
            }
            #expect(abs(train.filter { $0.secondary != nil }.count - count / 4) <= 1)
            #expect(train.allSatisfy { c in c.secondary.map { s in s.colour != c.primary.colour } ?? true })
        }
        #expect(try MotionShapesPrompts.trainingCaptions(count: 50, seed: 1) == MotionShapesPrompts.trainingCaptions(count: 50, seed: 1))
        #expect(try MotionShapesPrompts.trainingCaptions(count: 50, seed: 1) != MotionShapesPrompts.trainingCaptions(count: 50, seed: 2))
        // The second-object share is a knob; outside [0, 1] it is an error.
        let half = try MotionShapesPrompts.trainingCaptions(count: 300, seed: 7, secondObjectFraction: 0.5)
        #expect(half.filter { $0.secondary != nil }.count == 150 && half.allSatisfy { !eval.contains($0) })
        #expect(throws: MotionShapesError.self) { try MotionShapesPrompts.trainingCaptions(count: 10, seed: 1, secondObjectFraction: 1.5) }
    }

    @Test func trainingDatasetIsDeterministicAndTokenized() throws {
        let a = try MotionShapesDataset.training(count: 64, seed: 5)
        let b = try MotionShapesDataset.training(count: 64, seed: 5)
        let c = try MotionShapesDataset.training(count: 64, seed: 6)
        let x = try a.example(17), y = try b.example(17)
        #expect(x.clip.pixels == y.clip.pixels && x.text == y.text && x.tokenIds == y.tokenIds)
        #expect(try a.example(17).clip.pixels != a.example(18).clip.pixels)
        #expect(a.entries != c.entries)
        #expect(Set(a.entries.map(\.clipSeed)).count == 64)
        #expect(x.text == x.caption.render() && x.truth.caption == x.caption)
        #expect(a.tokenizer.decode(x.tokenIds) == x.text)
        #expect(x.tokenIds.count == a.tokenizer.maxLength)
        #expect(throws: MotionShapesError.indexOutOfRange(index: 64, count: 64, what: "MotionShapes train set")) {
            try a.example(64)
        }
    }

    @Test func batchOrderIsASeededPermutation() throws {
        let d = try MotionShapesDataset.training(count: 50, seed: 1)
        let e0 = try d.batchOrder(epoch: 0, batchSize: 8)
        #expect(e0.count == 7 && e0.last!.count == 2 && e0.dropLast().allSatisfy { $0.count == 8 })
        #expect(e0.flatMap { $0 }.sorted() == Array(0..<50))
        #expect(try d.batchOrder(epoch: 0, batchSize: 8) == e0)
        #expect(try d.batchOrder(epoch: 1, batchSize: 8) != e0)
        #expect(try d.batchOrder(epoch: 0, batchSize: 8, dropLast: true).count == 6)
        let batch = try d.batch(e0[0])
        #expect(batch.map(\.index) == e0[0])
        #expect(throws: MotionShapesError.self) { try d.batchOrder(epoch: 0, batchSize: 0) }
    }

    @Test func evaluationDatasetIsPromptMajorWithTheSuiteSeeds() throws {
        let d = try MotionShapesDataset.evaluation()
        #expect(d.count == 240)
        let item = try d.example(7)
        #expect(item.promptIndex == 1 && item.sampleIndex == 2)
        #expect(item.caption == MotionShapesPrompts.evaluationSuite[1].caption)
        #expect(item.truth.seed == MotionShapesPrompts.evaluationSuite[1].seeds[2])
        let small = try MotionShapesDataset.evaluation(promptCount: 24, samplesPerPrompt: 2)
        #expect(small.count == 48)
        #expect(throws: MotionShapesError.self) { try MotionShapesDataset.evaluation(promptCount: 49) }
    }

    @Test func expectationsMapCaptionsToCheckableAttributes() throws {
        let e = try Caption.parse("a cyan triangle moves up-right and a white square grows on a night sky while the camera pans left").expectation
        #expect(e.objects.count == 2)
        #expect(e.objects[0].rgb == RGB(40, 215, 225) && e.objects[0].direction == .upRight)
        let v = try #require(e.objects[0].directionVector)
        #expect(abs(v.dx - 0.7071) < 1e-3 && abs(v.dy + 0.7071) < 1e-3)
        #expect(e.objects[1].direction == nil && e.objects[1].isDynamic)
        #expect(e.sceneLabel == "night sky" && e.cameraPan == .left && e.isDynamic)
        #expect(CaptionExpectation.sceneLabels.count == 6 && Set(CaptionExpectation.sceneLabels).count == 6)
        let still = try Caption.parse("a red circle stays still on a grey background").expectation
        #expect(!still.isDynamic && still.objects[0].direction == nil && still.sceneLabel == "grey background")
        // The palette is well separated: every pair of colours is far apart in RGB.
        let palette = CaptionExpectation.palette
        for i in palette.indices { for j in palette.indices where i < j {
            #expect(palette[i].rgb.distance(to: palette[j].rgb) > 80, "\(palette[i].name) vs \(palette[j].name)")
        } }
        for (name, rgb) in palette { #expect(CaptionExpectation.nearestColour(to: rgb) == name) }
    }

    /// Scenes must be separable by a nearest-centroid classifier on simple colour features: fit on
    /// reference clips, classify clips of other seeds.
    @Test func referenceScenesSupportANearestCentroidClassifier() throws {
        let renderer = try MotionShapesRenderer()
        let refs = try renderer.referenceScenes(perScene: 6)
        #expect(refs.count == 36)
        #expect(Set(refs.map(\.label)) == Set(CaptionExpectation.sceneLabels))
        func feature(_ clip: VideoClip, frame t: Int) -> [Double] {
            // Mean colour of each 4×4 block of 8×8 pixels.
            var f = [Double](repeating: 0, count: 48)
            for y in 0..<32 { for x in 0..<32 { for ch in 0..<3 {
                f[((y / 8) * 4 + x / 8) * 3 + ch] += Double(clip.pixels[((t * 32 + y) * 32 + x) * 3 + ch]) / 64
            } } }
            return f
        }
        var centroids: [String: [Double]] = [:]
        for r in refs {
            for t in 0..<8 {
                let f = feature(r.clip, frame: t)
                centroids[r.label] = zip(centroids[r.label] ?? Array(repeating: 0, count: 48), f).map { $0 + $1 / 48 }
            }
        }
        var hits = 0, total = 0
        for p in MotionShapesPrompts.evaluationSuite {
            let clip = renderer.render(p.caption, seed: p.seeds[0]).clip
            for t in [0, 7] {
                let f = feature(clip, frame: t)
                let label = centroids.min(by: { a, b in
                    zip(a.value, f).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                        < zip(b.value, f).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                })!.key
                if label == p.caption.scene.label { hits += 1 }
                total += 1
            }
        }
        print("nearest-centroid scene accuracy on the evaluation suite: \(hits)/\(total)")
        #expect(Double(hits) / Double(total) > 0.95, "scene accuracy \(hits)/\(total)")
    }
}
