import Foundation
import Testing
@testable import QVHarness

@Suite struct CellTests {
    /// A quality cell's cache key covers everything its scores depend on besides its configuration:
    /// the teacher's bytes, the data and metric definitions, and the BLAS kernel family.
    @Test func qualityInputsNameTeacherDataMetricsAndKernels() throws {
        let configuration = CellConfiguration(task: "quality", model: "wan-xs", method: "fp", w: 16, a: 16,
                                              knobs: [:], evaluation: nil, training: nil)
        // `swift test` runs in the package root, where the executor finds the shipped teachers.
        let inputs = try QVBenchExecutor().inputs(for: configuration).entries
        let teacher = try #require(FileManager.default.contents(atPath: ModelStore.fixturePath("wan-xs")))
        #expect(inputs["teacher"] == SHA256.hex(teacher))
        #expect(inputs["data"] == QVBenchExecutor.dataVersion)
        #expect(inputs["metrics"] == QVBenchExecutor.metricsVersion)
        #expect(inputs["blas"]?.isEmpty == false)
        // DESIGN.md's sampler (guidance at every step): no interval entry, so earlier keys stay valid.
        #expect(inputs["guidance_interval"] == nil)
        var cogx = configuration
        cogx.model = "cogx-xs"
        #expect(try QVBenchExecutor().inputs(for: cogx).entries["guidance_interval"] == "700:1000")
    }

    @Test func planIsModelsTimesRows() throws {
        let suite = try smallSuite()
        let cells = try CellPlanner.cells(of: suite, executor: FakeExecutor())
        #expect(cells.count == 10)
        #expect(cells.map(\.configuration.model) == Array(repeating: "wan-xs", count: 5) + Array(repeating: "cogx-xs", count: 5))
        #expect(Set(cells.map(\.key)).count == 10)
        #expect(cells[0].configuration.training == nil)
        #expect(cells[1].configuration.training == suite.training)
        let efficiency = try SuiteParser.load("\(packageRoot)/suites/efficiency.yaml")
        let kernelCells = try CellPlanner.cells(of: efficiency, executor: FakeExecutor()).filter { $0.configuration.task == "kernel" }
        #expect(kernelCells.count == 7 * 4)
        #expect(kernelCells.first?.configuration.kernel == KernelShape(m: 256, k: 128, n: 384))
    }

    @Test func keyDependsOnWhatChangesTheResultOnly() throws {
        let base = try smallSuite()
        let key = { (suite: Suite, index: Int) in try CellPlanner.cells(of: suite, executor: FakeExecutor())[index].key }
        var relabelled = base
        relabelled.rows[1].label = "LSQ (renamed)"
        #expect(try key(relabelled, 1) == key(base, 1))
        var knob = base
        knob.rows[2].knobs["lambda"] = .number(0.25)
        #expect(try key(knob, 2) != key(base, 2))
        #expect(try key(knob, 1) == key(base, 1))
        var steps = base
        steps.training.qatSteps = 99
        #expect(try key(steps, 0) == key(base, 0), "full precision does not train")
        #expect(try key(steps, 1) != key(base, 1))
        let retrained = try CellPlanner.cells(of: base, executor: FakeExecutor(teacherHash: "teacher-v2"))
        #expect(retrained[0].key != (try key(base, 0)), "a new teacher invalidates its cells")
    }

    @Test func explicitDefaultsShareTheCacheEntry() throws {
        let text = smallSuiteText + "\n  explicit: [QVGen]\n"
        var suite = try SuiteParser.parse(text, path: "small.yaml")
        suite.rows.append(RowSpec(label: "QVGen (explicit)", method: "qvgen", w: 4, a: 4,
                                  knobs: ["rank": .int(32), "lambda": .number(0.5), "decay": .word("rank"), "phi": .flag(true)]))
        let cells = try CellPlanner.cells(of: suite, executor: FakeExecutor())
        let plain = cells.first { $0.label == "QVGen" && $0.configuration.w == 4 }!
        let explicit = cells.first { $0.label == "QVGen (explicit)" }!
        #expect(plain.key == explicit.key)
    }
}

@Suite struct SelectionTests {
    @Test func onlyMatchesGroupLabelMethodModel() throws {
        let cells = try CellPlanner.cells(of: try smallSuite(), executor: FakeExecutor())
        let rank = try CellSelection(only: ["rank"]).apply(cells)
        #expect(Set(rank.map(\.label)) == ["QVGen, r0 = 8", "QVGen"])
        #expect(try CellSelection(only: ["lsq"]).apply(cells).count == 2)
        #expect(try CellSelection(only: ["cogx-xs"]).apply(cells).count == 5)
        #expect(try CellSelection(only: ["full"]).apply(cells).count == 2)
        #expect(try CellSelection(only: ["lsq,full"]).apply(cells).count == 4)
        let filtered = try CellSelection(only: ["qvgen"], filters: ["model=wan-xs", "w=3"]).apply(cells)
        #expect(filtered.map(\.title) == ["wan-xs · QVGen W3A3"])
        #expect(throws: HarnessError.self) { try CellSelection(filters: ["colour=red"]) }
        #expect(throws: HarnessError.self) { try CellSelection.Shard.parse("9/8") }
    }

    @Test func shardsPartitionTheCells() throws {
        let cells = try CellPlanner.cells(of: try SuiteParser.load("\(packageRoot)/suites/table1.yaml"), executor: FakeExecutor())
        var seen: [String] = []
        for i in 1...3 {
            let shard = try CellSelection(shard: try CellSelection.Shard.parse("\(i)/3")).apply(cells)
            #expect(!shard.isEmpty)
            seen += shard.map(\.key)
        }
        #expect(seen.sorted() == cells.map(\.key).sorted())
    }
}
