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

    /// --init-from continues a teacher under another cogx SNR shift (and says so), and refuses a
    /// teacher of another shape.
    @Test func initFromMayChangeOnlyTheSchedule() throws {
        ComputeThreads.setBLAS(1)
        let base = TeacherRecipe(model: "cogx-xs", steps: 2, batch: 2, learningRate: 1e-3, trainClips: 8, codecClips: 8, seed: 5)
        let a = directory("init-a"), b = directory("init-b"), c = directory("init-c")
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        let first = try #require(try TeacherTraining(recipe: base, directory: a).run { _ in })
        // Rewrite the teacher as if written before the shift was configurable (no snrShift: 3).
        var legacy = first.config
        legacy.snrShift = nil
        let old = ReferenceModel(config: legacy, codec: first.codec, vocabulary: first.vocabulary, seed: 0, info: first.info)
        for ((_, x), (_, y)) in zip(first.namedParameters, old.namedParameters) { y.data = x.data }
        let oldPath = a + "/legacy.safetensors"
        try old.save(to: oldPath)
        var next = base
        next.steps = 1
        next.initFrom = oldPath
        var lines: [String] = []
        let continued = try #require(try TeacherTraining(recipe: next, directory: b).run { lines.append($0) })
        #expect(continued.config.snrShift == 1)
        #expect(lines.contains { $0.contains("SNR shift 3") })
        var wrongSize = next
        wrongSize.model = "cogx-s"
        #expect(throws: HarnessError.self) { try TeacherTraining(recipe: wrongSize, directory: c).run { _ in } }
    }

    /// --init-from a shallower teacher of the same family and width grows it to the recipe's depth
    /// (`--depth`, else the preset's; `VideoDiT.grow`): the text encoder and codec carry over, the log says so.
    @Test func initFromAShallowerTeacherGrowsIt() throws {
        ComputeThreads.setBLAS(1)
        let base = TeacherRecipe(model: "wan-xs", steps: 1, batch: 2, learningRate: 1e-3, trainClips: 8, codecClips: 8, seed: 6)
        let a = directory("grow-a"), b = directory("grow-b")
        defer { for d in [a, b] { try? FileManager.default.removeItem(atPath: d) } }
        let first = try #require(try TeacherTraining(recipe: base, directory: a).run { _ in })
        var oneBlock = first.config
        oneBlock.depth = 1
        let shallow = ReferenceModel(config: oneBlock, codec: first.codec, vocabulary: first.vocabulary, seed: 7, info: first.info)
        for ((_, x), (_, y)) in zip(first.textEncoder.namedParameters(), shallow.textEncoder.namedParameters()) { y.data = x.data }
        let shallowPath = a + "/one-block.safetensors"
        try shallow.save(to: shallowPath)
        var next = base
        next.initFrom = shallowPath
        next.depth = 3
        next.learningRate = 0  // one step that changes nothing: the grown teacher is the shallow one, deeper
        var lines: [String] = []
        let grown = try #require(try TeacherTraining(recipe: next, directory: b).run { lines.append($0) })
        #expect(grown.config.depth == 3)
        #expect(lines.contains { $0.contains("growing the 1-block teacher to 3 blocks") })
        #expect(grown.codec.basis == first.codec.basis)
        for ((name, x), (_, y)) in zip(first.textEncoder.namedParameters(), grown.textEncoder.namedParameters()) {
            #expect(x.data == y.data, "text encoder \(name) carried over")
        }
        let c = first.config
        var rng = SeededGenerator(seed: 8)
        let x = Tensor.randn([1, c.frames, c.latentHeight, c.latentWidth, c.latentChannels], using: &rng)
        let ids = first.nullTokens()
        let text = shallow.textEncoder(ids), valid = shallow.textEncoder.validMask(ids)
        #expect(grown.dit(x, timesteps: [400], text: text, textValid: valid).data
                == shallow.dit(x, timesteps: [400], text: text, textValid: valid).data)
    }

    @Test func trainingOptionsChangeTheRecipeOnlyWhenSet() {
        // Checkpoints store the recipe JSON; recipes without the option must keep their old JSON.
        var recipe = TeacherRecipe.standard(for: "cogx-s")
        let old = TeacherTraining(recipe: recipe, directory: "unused").recipeJSON
        #expect(!old.contains("timestepShift"))
        recipe.timestepShift = 1
        #expect(TeacherTraining(recipe: recipe, directory: "unused").recipeJSON.contains("\"timestepShift\":1"))
        #expect(recipe.trainingSettings.timestepShift == 1)
        #expect(!old.contains("motionLossWeight"))
        recipe.motionLossWeight = 2
        #expect(TeacherTraining(recipe: recipe, directory: "unused").recipeJSON.contains("\"motionLossWeight\":2"))
        #expect(recipe.trainingSettings.motionLossWeight == 2)
        #expect(!old.contains("depth"))
        recipe.depth = 8
        #expect(TeacherTraining(recipe: recipe, directory: "unused").recipeJSON.contains("\"depth\":8"))
        #expect(!old.contains("secondObjectFraction"))
        recipe.secondObjectFraction = 0.5
        #expect(TeacherTraining(recipe: recipe, directory: "unused").recipeJSON.contains("\"secondObjectFraction\":0.5"))
    }
}
