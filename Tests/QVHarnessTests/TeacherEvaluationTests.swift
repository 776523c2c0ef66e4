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
}
