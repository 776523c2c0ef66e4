import Foundation
import Testing
@testable import QVHarness
@testable import QVModels
import QVTensor

@Suite struct TeacherTrainingTests {
    func directory(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("qv-teacher-\(name)-\(getpid())").path
    }

    @Test func slicedTrainingEqualsUninterrupted() throws {
        ComputeThreads.setBLAS(1)  // bit-exact comparisons need a fixed BLAS thread count
        let recipe = TeacherRecipe(model: "wan-xs", steps: 6, batch: 2, learningRate: 1e-3, trainClips: 12, codecClips: 12,
                                   seed: 3, checkpointEvery: 2)
        let a = directory("straight"), b = directory("sliced")
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let straight = try #require(try TeacherTraining(recipe: recipe, directory: a).run { _ in })
        #expect(try TeacherTraining(recipe: recipe, directory: b).run(stepLimit: 3) { _ in } == nil)
        let state = try SafetensorsFile.read(from: b + "/train-state.safetensors")
        #expect(state.metadata["step"] == "3")
        let resumed = try #require(try TeacherTraining(recipe: recipe, directory: b).run { _ in })
        for ((name, x), (_, y)) in zip(straight.namedParameters, resumed.namedParameters) {
            #expect(x.data == y.data, "\(name) differs after a sliced run")
        }
        let lines = try String(contentsOfFile: b + "/loss.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 7)  // header + 6 steps, no duplicates after resuming
        // A finished teacher is returned as is; another recipe in the same directory is refused.
        #expect(try TeacherTraining(recipe: recipe, directory: b).run { _ in } != nil)
        var other = recipe
        other.seed = 4
        #expect(throws: HarnessError.self) { try TeacherTraining(recipe: other, directory: b).run { _ in } }
    }
}
