import Foundation
import Testing
@testable import QVHarness

@Suite struct CSVTests {
    @Test func awkwardFieldsRoundTrip() throws {
        let rows = [["plain", "with, comma", "with \"quotes\"", "line\nbreak", " padded ", "", "λ = 1/4"],
                    ["a", "b", "c", "d", "e", "f", "g"]]
        let text = CSVCodec.text(rows)
        #expect(text.hasPrefix("plain,\"with, comma\",\"with \"\"quotes\"\"\",\"line\nbreak\",\" padded \",,λ = 1/4\n"))
        #expect(try CSVCodec.parse(text, source: "t.csv") == rows)
    }

    @Test func readsHandWrittenCSVWithCRLF() throws {
        #expect(try CSVCodec.parse("a,\"b,c\"\r\n1,2\r\n", source: "t.csv") == [["a", "b,c"], ["1", "2"]])
    }

    @Test func malformedCSVIsAnError() {
        #expect(throws: HarnessError.self) { try CSVCodec.parse("a,\"b\nc,d\n", source: "bad.csv") }
        #expect(throws: HarnessError.self) { try CSVCodec.parse("a,\"b\"x,c\n", source: "bad.csv") }
    }

    @Test func resultsTableRoundTripsLabelsWithCommasAndQuotes() throws {
        let rows = [
            ResultRow(cell: "ab", model: "wan-s", method: "qvgen", label: "QVGen, \"r0 = 8\"", w: 4, a: 4,
                      knobs: "decay=rank;lambda=0.5", seed: 3, metric: "scene", value: 0.123456789012345, wallSeconds: 12.5),
            ResultRow(cell: "cd", model: "cogx-s", method: "fp", label: "Full precision", w: 16, a: 16, knobs: "", seed: 0,
                      metric: "imaging_quality", value: 1e-7, wallSeconds: 0.25),
        ]
        let table = ResultsTable(rows: rows)
        #expect(table.rows.map(\.model) == ["cogx-s", "wan-s"], "deterministic order")
        let parsed = try ResultsTable.parse(table.csv, source: "r.csv")
        #expect(parsed == table)
        #expect(parsed.entries.first { $0.model == "wan-s" }?.knobs == ["decay": "rank", "lambda": "0.5"])
    }

    @Test func resultsHeaderIsChecked() {
        #expect(throws: HarnessError.self) { try ResultsTable.parse("cell,model\nx,y\n", source: "r.csv") }
        let bad = ResultsTable.header.joined(separator: ",") + "\nk,wan-s,fp,FP,16,16,,0,scene,high,1\n"
        #expect(throws: HarnessError.self) { try ResultsTable.parse(bad, source: "r.csv") }
    }
}
