import Foundation
@testable import QVHarness

/// The package root (for shipped suites and fixtures).
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A fresh empty directory under the system temp dir.
func temporaryDirectory(_ name: String = #function) -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = NSTemporaryDirectory() + "qvharness-\(safe)-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A deterministic stand-in for the real method/model layer: metrics are a pure function of the cell
/// configuration (so reruns and shards agree), calls are counted, and chosen cells fail.
final class FakeExecutor: CellExecutor, @unchecked Sendable {
    // Mutable state only under `lock`.
    private let lock = NSLock()
    private var calls: [String] = []
    private var directories: [String: [String]] = [:]
    /// Row labels whose cells throw mid-way (after writing a partial file).
    var failingLabels: Set<String>
    var teacherHash: String

    init(failingLabels: Set<String> = [], teacherHash: String = "teacher-v1") {
        self.failingLabels = failingLabels
        self.teacherHash = teacherHash
    }

    var runCount: Int { lock.lock(); defer { lock.unlock() }; return calls.count }
    var ranKeys: [String] { lock.lock(); defer { lock.unlock() }; return calls }
    /// Files that were in the cell directory when `run` was called, by key.
    func filesSeen(_ key: String) -> [String] { lock.lock(); defer { lock.unlock() }; return directories[key] ?? [] }

    func inputs(for configuration: CellConfiguration) throws -> CellInputs {
        configuration.task == "kernel" ? CellInputs() : CellInputs(["teacher": "\(configuration.model):\(teacherHash)"])
    }

    func run(_ cell: Cell, directory: String, progress: (String) -> Void) throws -> CellResult {
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.sorted() ?? []
        lock.lock()
        calls.append(cell.key)
        directories[cell.key] = existing
        let fail = failingLabels.contains(cell.label)
        lock.unlock()
        progress("step 1/2")
        try Data("partial".utf8).write(to: URL(fileURLWithPath: directory + "/checkpoint.bin"))
        if fail { throw HarnessError.invalid("simulated crash in \(cell.label)") }
        progress("step 2/2")
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: directory + "/samples.png"))
        return CellResult(metrics: Self.metrics(cell.configuration), timings: ["train": 0.01],
                          artefacts: ["samples": "samples.png"])
    }

    /// Pseudo-scores in 0…1 from the configuration hash.
    static func metrics(_ c: CellConfiguration) -> [String: Double] {
        let digest = Array(SHA256.hex(c.canonicalJSON).utf8)
        var out: [String: Double] = [:]
        for (i, (_, key)) in MetricNames.vbench.enumerated() {
            out[key] = Double(Int(digest[i]) % 97) / 100 + 0.01
        }
        out[MetricNames.trainLossFinal] = Double(c.w * 10 + c.a) / 1000
        return out
    }
}

let smallSuiteText = """
suite: small
description: "test suite, with a comma"
models: [wan-xs, cogx-xs]
evaluation: {prompts: 2, samples: 1, steps: 3, guidance: default}
training: {qat_steps: 5, batch: 2, calibration_prompts: 1}
rows:
  - {label: "Full precision", method: fp}
  - {label: "LSQ", method: lsq, w: 4, a: 4}
  - {label: "QVGen", method: qvgen, w: 4, a: 4}
  - {label: "QVGen, r0 = 8", method: qvgen, w: 4, a: 4, knobs: {rank: 8}}
  - {label: "QVGen", method: qvgen, w: 3, a: 3}
groups:
  rank: ["QVGen, r0 = 8", "QVGen"]
"""

func smallSuite() throws -> Suite { try SuiteParser.parse(smallSuiteText, path: "suites/small.yaml") }
