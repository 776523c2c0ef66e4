import Testing
@testable import QVData
@testable import QVHarness

@Suite struct TeacherEvaluationTests {
    /// The training-caption diagnostic asks for captions of the training set itself (seen by a teacher
    /// trained on it), one request per evaluation request, seeded 0, 1, 2, …
    @Test func trainingRequestsAreTheTrainingSetsFirstCaptions() throws {
        let evaluation = TeacherEvaluation(prompts: 4, samples: 2)
        let requests = try evaluation.trainingRequests(pool: 300)
        let expected = Array(try MotionShapesPrompts.trainingCaptions(count: 300, seed: 1).prefix(8))
        #expect(requests.map(\.1) == expected)
        #expect(requests.map(\.0.seed) == Array(0..<8))
        #expect(try requests.allSatisfy { try Caption.parse($0.0.caption) == $0.1 })
        #expect(requests.allSatisfy { !MotionShapesPrompts.evaluationCaptions.contains($0.1) })
    }

    /// End to end on the shipped `cogx-xs` fixture (4 prompts): every generated clip is also measured
    /// played backwards, where a direction that hit forwards must miss; the ground truth meets the targets.
    @Test func runMeasuresTheClipsForwardsAndBackwards() throws {
        let model = try ModelStore.load(model: "cogx-xs", checkpoint: packageRoot + "/fixtures/teachers/cogx-xs.safetensors")
        let result = try TeacherEvaluation(prompts: 4, samples: 1, steps: 4).run(model: model)
        #expect(result.clips.count == 4)
        #expect(result.generated.clips == 4 && result.generatedReversed.clips == 4)
        #expect(result.generated.movingClips == result.generatedReversed.movingClips)
        for (forwards, backwards) in zip(result.generated.moving, result.generatedReversed.moving) where forwards.trackedHit {
            #expect(!backwards.trackedHit, "\(forwards.caption)")
        }
        #expect(result.evaluationData.meetsTargets)
        #expect(result.evaluationData.trackedDirectionHits == result.evaluationData.movingClips)
    }
}
