import Foundation
import QVMedia
import Testing
@testable import QVHarness

/// Writes a real PNG strip (3 frames of 8×8 side by side) whose colour encodes the row.
struct PaintingExecutor: CellExecutor {
    func inputs(for configuration: CellConfiguration) throws -> CellInputs { CellInputs() }
    func run(_ cell: Cell, directory: String, progress: (String) -> Void) throws -> CellResult {
        var strip = RGBImage(width: 24, height: 8, fill: .black)
        let shade = UInt8(truncatingIfNeeded: cell.order * 40 + 20)
        strip.fillRect(x: 0, y: 0, width: 8, height: 8, color: RGBColor(shade, 0, 0))
        strip.fillRect(x: 16, y: 0, width: 8, height: 8, color: RGBColor(0, shade, 255))
        try PNGFile.write(strip, to: directory + "/strip.png")
        return CellResult(metrics: FakeExecutor.metrics(cell.configuration), artefacts: ["samples": "strip.png", "log": "log.txt"])
    }
}

@Suite struct SampleSheetTests {
    @Test func reportComposesOneSheetPerModelFromTheSampleStrips() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let suitePath = root + "/small.yaml"
        try smallSuiteText.write(toFile: suitePath, atomically: true, encoding: .utf8)
        _ = try HarnessCommands.run(suitePath: suitePath, executor: PaintingExecutor(),
                                    options: RunOptions(jobs: 2, runsRoot: root + "/runs", reportsRoot: root + "/reports", showProgress: false),
                                    command: "qvbench run small.yaml", paperDirectory: packageRoot + "/fixtures/paper")
        let readme = try String(contentsOfFile: root + "/reports/small/README.md", encoding: .utf8)
        #expect(readme.contains("![wan-xs: samples per method](figures/wan-xs_samples.png)"))
        let sheet = try PNGFile.read(root + "/reports/small/figures/cogx-xs_samples.png")
        // Five rows of 8-pixel strips with 2-pixel gaps, a title and margins.
        #expect(sheet.height > 5 * 8 + 4 * 2 && sheet.width > 24)
        // The first cogx-xs row (cell order 5) is painted with shade 5·40+20 = 220 in its first frame.
        var found = false
        for y in 0..<sheet.height { for x in 0..<sheet.width where sheet[x, y] == RGBColor(220, 0, 0) { found = true } }
        #expect(found)
    }

    @Test func undecodableSamplesAreNotedNotFatal() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let suitePath = root + "/small.yaml"
        try smallSuiteText.write(toFile: suitePath, atomically: true, encoding: .utf8)
        _ = try HarnessCommands.run(suitePath: suitePath, executor: FakeExecutor(),
                                    options: RunOptions(jobs: 2, runsRoot: root + "/runs", reportsRoot: root + "/reports", showProgress: false),
                                    command: "x", paperDirectory: packageRoot + "/fixtures/paper")
        let readme = try String(contentsOfFile: root + "/reports/small/README.md", encoding: .utf8)
        #expect(readme.contains("(No combined sheet for wan-xs:"))
    }
}
