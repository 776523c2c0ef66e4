import Foundation
import Testing
@testable import QVHarness

@Suite struct PaperFixtureTests {
    let all = try! PaperNumbers.load(directory: "\(packageRoot)/fixtures/paper",
                                     tables: ["table1", "table2", "ablation_components", "ablation_lambda", "ablation_rank", "ablation_decay"])

    @Test func spotValuesMatchTheAppendix() throws {
        #expect(all.rows.filter { $0.table == "table1" }.count == 24)
        let cogQ3 = try #require(all.row(family: "cogx", label: "QVGen", w: 3, a: 3, preferring: "table1"))
        #expect(cogQ3.scores == ["IQ": 58.36, "AQ": 50.54, "MS": 98.37, "DD": 53.89, "BC": 94.55, "SC": 90.50, "Scene": 23.85, "OC": 22.92])
        let svdGroup = try #require(all.row(family: "wan", label: "SVDQuant (group)", w: 4, a: 4))
        #expect(svdGroup.scores["SC"] == 77.96)
        let wan14 = try #require(all.row(family: "wan", label: "QVGen", w: 3, a: 3, preferring: "table2"))
        #expect(wan14.paperModel == "Wan 14B" && wan14.scores["DD"] == 93.33)
        let sparse = try #require(all.row(family: "wan", label: "Sparse decay", w: 4, a: 4))
        #expect(sparse.scores == ["IQ": 61.15, "AQ": 54.06, "DD": 74.24, "Scene": 13.86, "OC": 22.52])
        let quarter = try #require(all.row(family: "wan", label: "λ = 1/4", w: 4, a: 4))
        #expect(quarter.scores["OC"] == 22.85)
    }

    /// The ablation tables agree with each other and with Table 1 where the paper repeats a row.
    @Test func repeatedRowsAgree() {
        let full = all.rows.filter { $0.label == "QVGen" && $0.table.hasPrefix("ablation") }
        #expect(full.count == 4 && Set(full.map(\.scores)).count == 1)
        let t1 = all.row(family: "wan", label: "QVGen", w: 4, a: 4, preferring: "table1")!
        for (k, v) in full[0].scores { #expect(t1.scores[k] == v) }
    }

    @Test func missingTableIsANamedError() {
        #expect(throws: HarnessError.self) { try PaperNumbers.load(directory: "\(packageRoot)/fixtures/paper", tables: ["table9"]) }
    }
}
